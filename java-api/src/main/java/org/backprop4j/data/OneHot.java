package org.backprop4j.data;

/**
 * Conversions between class labels and one-hot rows: label {@code c} of {@code k} classes is the row
 * with 1 at column {@code c} and 0 elsewhere. Matrices are row-major, one sample per row.
 */
public final class OneHot {

    private OneHot() {
    }

    /**
     * The {@code labels.length × classCount} one-hot matrix.
     *
     * @param labels     class indices in {@code [0, classCount)}. Not modified.
     * @param classCount number of classes, at least 1
     * @throws IllegalArgumentException on a label out of range, naming its position
     */
    public static double[] encode(int[] labels, int classCount) {
        checkClassCount(classCount);
        double[] out = new double[Math.multiplyExact(labels.length, classCount)];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classCount) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is outside [0, "
                        + classCount + ")");
            }
            out[i * classCount + labels[i]] = 1;
        }
        return out;
    }

    /**
     * The class of each row: the column of its largest value (the first one on a tie). Works on
     * one-hot rows and on predicted probabilities or scores alike.
     *
     * @param rows       {@code n × classCount} values, row-major. Not modified.
     * @param classCount columns per row, at least 1
     * @throws IllegalArgumentException if the length is not a multiple of {@code classCount} or a
     *         value is NaN (naming its row and column)
     */
    public static int[] decode(double[] rows, int classCount) {
        checkShape(rows.length, classCount);
        int n = rows.length / classCount;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * classCount;
            int best = 0;
            for (int j = 0; j < classCount; j++) {
                double v = rows[base + j];
                if (Double.isNaN(v)) {
                    throw nan(i, j);
                }
                if (v > rows[base + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** {@link #decode(double[], int)} for {@code float} rows. */
    public static int[] decode(float[] rows, int classCount) {
        checkShape(rows.length, classCount);
        int n = rows.length / classCount;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int base = i * classCount;
            int best = 0;
            for (int j = 0; j < classCount; j++) {
                float v = rows[base + j];
                if (Float.isNaN(v)) {
                    throw nan(i, j);
                }
                if (v > rows[base + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static void checkClassCount(int classCount) {
        if (classCount < 1) {
            throw new IllegalArgumentException("classCount must be at least 1, got " + classCount);
        }
    }

    private static void checkShape(int length, int classCount) {
        checkClassCount(classCount);
        if (length % classCount != 0) {
            throw new IllegalArgumentException("array length " + length + " is not a multiple of classCount "
                    + classCount);
        }
    }

    private static IllegalArgumentException nan(int row, int col) {
        return new IllegalArgumentException("row " + row + ", column " + col + " is NaN: cannot pick a class");
    }
}
