package org.backprop4j.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Classification quality: accuracy, the confusion matrix and per-class precision, recall and F1.
 * Rows of the confusion matrix are actual classes, columns predicted classes.
 */
public final class Evaluation {

    private final int[][] confusion;
    private final int total;
    private final double cost;
    private final List<String> classNames;

    private Evaluation(int[][] confusion, int total, double cost, List<String> classNames) {
        this.confusion = confusion;
        this.total = total;
        this.cost = cost;
        this.classNames = classNames;
    }

    /**
     * Compares predictions with the truth.
     *
     * @param actual     true class of each sample. Not modified.
     * @param predicted  predicted class of each sample. Not modified.
     * @param classCount number of classes; every label must be in {@code [0, classCount)}
     * @param cost       the loss on the same samples, or NaN if unknown
     * @param classNames names of the classes, or null for "0", "1", ...
     */
    public static Evaluation of(int[] actual, int[] predicted, int classCount, double cost, List<String> classNames) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " true labels but " + predicted.length + " predictions");
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("nothing to evaluate: no samples");
        }
        int[][] m = new int[classCount][classCount];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= classCount || predicted[i] < 0 || predicted[i] >= classCount) {
                throw new IllegalArgumentException("sample " + i + ": class " + actual[i] + " / prediction " + predicted[i]
                        + " is outside [0, " + classCount + ")");
            }
            m[actual[i]][predicted[i]]++;
        }
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            names.add(classNames != null && c < classNames.size() ? classNames.get(c) : Integer.toString(c));
        }
        return new Evaluation(m, actual.length, cost, List.copyOf(names));
    }

    /** Number of samples evaluated. */
    public int total() {
        return total;
    }

    /** Number of classes: the size of each side of the confusion matrix. */
    public int classCount() {
        return confusion.length;
    }

    /** The loss on the evaluated samples, or NaN if it was not given. */
    public double cost() {
        return cost;
    }

    /** Fraction of samples predicted right. */
    public double accuracy() {
        int right = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
        }
        return (double) right / total;
    }

    /** A copy of the confusion matrix: {@code [actual][predicted]} counts. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** Of the samples predicted as {@code c}, the fraction that are {@code c}; 0 if none were predicted. */
    public double precision(int c) {
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    /** Of the samples of class {@code c}, the fraction predicted as {@code c}; 0 if there are none. */
    public double recall(int c) {
        int actual = 0;
        for (int v : confusion[c]) {
            actual += v;
        }
        return actual == 0 ? 0 : (double) confusion[c][c] / actual;
    }

    /** Harmonic mean of precision and recall of class {@code c}; 0 if both are 0. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Number of samples whose true class is {@code c}. */
    public int support(int c) {
        int actual = 0;
        for (int v : confusion[c]) {
            actual += v;
        }
        return actual;
    }

    /** Unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double sum = 0;
        for (int c = 0; c < confusion.length; c++) {
            sum += f1(c);
        }
        return sum / confusion.length;
    }

    /** The class names in class order; a class that was given no name is named by its number. */
    public List<String> classNames() {
        return classNames;
    }

    /** A report: accuracy, a per-class table and the confusion matrix. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("accuracy %.4f (%d of %d)", accuracy(), Math.round(accuracy() * total), total));
        if (!Double.isNaN(cost)) {
            sb.append(String.format(", cost %.6f", cost));
        }
        sb.append(String.format("%n%-12s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < confusion.length; c++) {
            sb.append(String.format("%-12s %9.4f %9.4f %9.4f %8d%n", classNames.get(c), precision(c), recall(c), f1(c),
                    support(c)));
        }
        sb.append(String.format("%-12s %29.4f%n", "macro f1", macroF1()));
        sb.append("confusion matrix (rows: actual, columns: predicted)\n");
        for (int[] row : confusion) {
            for (int v : row) {
                sb.append(String.format("%6d", v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
