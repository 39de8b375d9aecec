package org.backprop4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.backprop4j.nn.DType;

/**
 * Samples for training or evaluation: a feature matrix of {@code size × featureCount}, one sample
 * per row, plus either integer class labels (classification) or a real-valued target matrix of
 * {@code size × targetWidth} (regression).
 *
 * <p>Features are stored in the dataset's {@link DType}. A dataset is immutable: every
 * transformation returns a new one, and the arrays given to the factories are copied.
 */
public final class Dataset {

    private final DType dtype;
    private final int size;
    private final int featureCount;
    private final float[] features32;
    private final double[] features64;
    private final int[] labels;
    private final int classCount;
    private final double[] targets;
    private final int targetWidth;
    private final List<String> classNames;

    private Dataset(DType dtype, int size, int featureCount, float[] features32, double[] features64,
                    int[] labels, int classCount, double[] targets, int targetWidth, List<String> classNames) {
        this.dtype = dtype;
        this.size = size;
        this.featureCount = featureCount;
        this.features32 = features32;
        this.features64 = features64;
        this.labels = labels;
        this.classCount = classCount;
        this.targets = targets;
        this.targetWidth = targetWidth;
        this.classNames = classNames;
    }

    /**
     * A classification dataset from a flat row-major feature array.
     *
     * @param features   {@code size × featureCount} values, row-major. Not modified.
     * @param featureCount columns per sample, at least 1
     * @param labels     one class label per sample, each in {@code [0, classCount)}. Not modified.
     * @param classCount number of classes, at least 2; pass 0 to use {@code max(labels) + 1} (at least 2)
     * @throws IllegalArgumentException on an empty set, a length that is not a multiple of
     *         {@code featureCount}, a label count that differs from the sample count, a label out of
     *         range, or a NaN/infinite feature (naming its row and column)
     */
    public static Dataset ofClasses(double[] features, int featureCount, int[] labels, int classCount, DType dtype) {
        int n = rowCount(features.length, featureCount);
        checkLabels(labels, n);
        if (classCount == 1 || classCount < 0) {
            throw new IllegalArgumentException("classCount " + classCount + ": a classification has at least 2 classes "
                    + "(pass 0 to count them from the labels)");
        }
        int k = classCount > 0 ? classCount : Math.max(2, Arrays.stream(labels).max().orElse(0) + 1);
        checkLabelRange(labels, k);
        checkFinite(features, featureCount, dtype);
        return new Dataset(dtype, n, featureCount, dtype == DType.FLOAT32 ? toFloat(features) : null,
                dtype == DType.FLOAT64 ? features.clone() : null, labels.clone(), k, null, 0, null);
    }

    /** {@link #ofClasses(double[], int, int[], int, DType)} from rows of equal length. */
    public static Dataset ofClasses(double[][] rows, int[] labels, int classCount, DType dtype) {
        return ofClasses(flatten(rows), width(rows), labels, classCount, dtype);
    }

    /** {@link #ofClasses(double[], int, int[], int, DType)} from {@code float} rows of equal length. */
    public static Dataset ofClasses(float[][] rows, int[] labels, int classCount, DType dtype) {
        return ofClasses(flatten(toDouble(rows)), width(toDouble(rows)), labels, classCount, dtype);
    }

    /**
     * A regression dataset: features {@code size × featureCount} and targets {@code size × targetWidth},
     * both row-major. Not modified.
     *
     * @throws IllegalArgumentException on inconsistent lengths or NaN/infinite values (naming the row)
     */
    public static Dataset ofTargets(double[] features, int featureCount, double[] targets, int targetWidth, DType dtype) {
        int n = rowCount(features.length, featureCount);
        if (targetWidth < 1 || targets.length != (long) n * targetWidth) {
            throw new IllegalArgumentException("targets must hold " + n + " rows of " + targetWidth
                    + " values (" + (long) n * targetWidth + " in all), got " + targets.length);
        }
        checkFinite(features, featureCount, dtype);
        checkFinite(targets, targetWidth, dtype);
        return new Dataset(dtype, n, featureCount, dtype == DType.FLOAT32 ? toFloat(features) : null,
                dtype == DType.FLOAT64 ? features.clone() : null, null, 0, targets.clone(), targetWidth, null);
    }

    /** {@link #ofTargets(double[], int, double[], int, DType)} from rows. */
    public static Dataset ofTargets(double[][] rows, double[][] targets, DType dtype) {
        return ofTargets(flatten(rows), width(rows), flatten(targets), width(targets), dtype);
    }

    /** The same dataset with human-readable class names (e.g. {@code "non-cat", "cat"}). */
    public Dataset withClassNames(List<String> names) {
        requireClasses("class names");
        if (names.size() != classCount) {
            throw new IllegalArgumentException("expected " + classCount + " class names, got " + names.size());
        }
        return new Dataset(dtype, size, featureCount, features32, features64, labels, classCount, targets,
                targetWidth, List.copyOf(names));
    }

    /** The same samples stored as {@code dtype} (this dataset if it already is). */
    public Dataset as(DType dtype) {
        if (dtype == this.dtype) {
            return this;
        }
        double[] f = featuresAsDouble();
        return new Dataset(dtype, size, featureCount, dtype == DType.FLOAT32 ? toFloat(f) : null,
                dtype == DType.FLOAT64 ? f : null, labels, classCount, targets, targetWidth, classNames);
    }

    /** The samples at the given indices, in that order (indices may repeat). */
    public Dataset select(int[] indices) {
        double[] f = new double[indices.length * featureCount];
        int[] l = labels == null ? null : new int[indices.length];
        double[] t = targets == null ? null : new double[indices.length * targetWidth];
        for (int i = 0; i < indices.length; i++) {
            int src = indices[i];
            if (src < 0 || src >= size) {
                throw new IndexOutOfBoundsException("sample index " + src + " is outside [0, " + size + ")");
            }
            for (int j = 0; j < featureCount; j++) {
                f[i * featureCount + j] = feature(src, j);
            }
            if (l != null) {
                l[i] = labels[src];
            }
            if (t != null) {
                System.arraycopy(targets, src * targetWidth, t, i * targetWidth, targetWidth);
            }
        }
        return new Dataset(dtype, indices.length, featureCount, dtype == DType.FLOAT32 ? toFloat(f) : null,
                dtype == DType.FLOAT64 ? f : null, l, classCount, t, targetWidth, classNames);
    }

    /** A dataset with the same labels/targets and new features (same sample count), e.g. after scaling. */
    public Dataset withFeatures(double[] features, int featureCount) {
        int n = rowCount(features.length, featureCount);
        if (n != size) {
            throw new IllegalArgumentException("new features have " + n + " rows, the dataset has " + size);
        }
        checkFinite(features, featureCount, dtype);
        return new Dataset(dtype, size, featureCount, dtype == DType.FLOAT32 ? toFloat(features) : null,
                dtype == DType.FLOAT64 ? features.clone() : null, labels, classCount, targets, targetWidth, classNames);
    }

    /** The element type the features are stored in. */
    public DType dtype() {
        return dtype;
    }

    /** Number of samples. */
    public int size() {
        return size;
    }

    /** Columns per sample. */
    public int featureCount() {
        return featureCount;
    }

    /** True if this dataset has class labels, false if it has real-valued targets. */
    public boolean hasClasses() {
        return labels != null;
    }

    /** Number of classes (0 for a regression dataset). */
    public int classCount() {
        return classCount;
    }

    /** Columns of the target matrix a network is trained against: the class count, or the target width. */
    public int targetWidth() {
        return labels != null ? classCount : targetWidth;
    }

    /** Class names, or names {@code "0"}, {@code "1"}, ... when none were given. */
    public List<String> classNames() {
        requireClasses("class names");
        if (classNames != null) {
            return classNames;
        }
        String[] names = new String[classCount];
        for (int i = 0; i < classCount; i++) {
            names[i] = Integer.toString(i);
        }
        return List.of(names);
    }

    /** The feature in row {@code row}, column {@code col}. */
    public double feature(int row, int col) {
        Objects.checkIndex(row, size);
        Objects.checkIndex(col, featureCount);
        int i = row * featureCount + col;
        return features32 != null ? features32[i] : features64[i];
    }

    /** The class label of sample {@code row}. */
    public int label(int row) {
        requireClasses("labels");
        return labels[row];
    }

    /** A copy of the class labels. */
    public int[] labels() {
        requireClasses("labels");
        return labels.clone();
    }

    /** Target {@code col} of sample {@code row}: for classification the one-hot value (0 or 1). */
    public double target(int row, int col) {
        Objects.checkIndex(row, size);
        Objects.checkIndex(col, targetWidth());
        return targetAt(row, col);
    }

    /** {@link #target} for indices the caller has checked: the training loop's per-sample copy. */
    private double targetAt(int row, int col) {
        if (labels != null) {
            return labels[row] == col ? 1 : 0;
        }
        return targets[row * targetWidth + col];
    }

    /** A copy of the features as {@code double}, row-major. */
    public double[] featuresAsDouble() {
        if (features64 != null) {
            return features64.clone();
        }
        double[] out = new double[features32.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = features32[i];
        }
        return out;
    }

    /** Copies the features of sample {@code row} into {@code dst} at {@code offDst}. */
    public void copyFeatures(int row, float[] dst, int offDst) {
        if (features32 != null) {
            System.arraycopy(features32, row * featureCount, dst, offDst, featureCount);
        } else {
            for (int j = 0, src = row * featureCount; j < featureCount; j++) {
                dst[offDst + j] = (float) features64[src + j];
            }
        }
    }

    /** Copies the features of sample {@code row} into {@code dst} at {@code offDst}. */
    public void copyFeatures(int row, double[] dst, int offDst) {
        if (features64 != null) {
            System.arraycopy(features64, row * featureCount, dst, offDst, featureCount);
        } else {
            for (int j = 0, src = row * featureCount; j < featureCount; j++) {
                dst[offDst + j] = features32[src + j];
            }
        }
    }

    /** Writes the {@link #targetWidth()} targets of sample {@code row} (one-hot for classes) into {@code dst}. */
    public void copyTargets(int row, float[] dst, int offDst) {
        for (int j = 0, w = targetWidth(); j < w; j++) {
            dst[offDst + j] = (float) targetAt(row, j);
        }
    }

    /** Writes the {@link #targetWidth()} targets of sample {@code row} (one-hot for classes) into {@code dst}. */
    public void copyTargets(int row, double[] dst, int offDst) {
        for (int j = 0, w = targetWidth(); j < w; j++) {
            dst[offDst + j] = targetAt(row, j);
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " samples × " + featureCount + " features, "
                + (labels != null ? classCount + " classes" : targetWidth + " targets") + ", " + dtype + "]";
    }

    private void requireClasses(String what) {
        if (labels == null) {
            throw new IllegalStateException("this dataset has real-valued targets, not classes: it has no " + what);
        }
    }

    private static int rowCount(int length, int featureCount) {
        if (featureCount < 1) {
            throw new IllegalArgumentException("featureCount must be >= 1, got " + featureCount);
        }
        if (length == 0) {
            throw new IllegalArgumentException("the dataset is empty: it needs at least one sample");
        }
        if (length % featureCount != 0) {
            throw new IllegalArgumentException("feature array length " + length + " is not a multiple of featureCount "
                    + featureCount);
        }
        return length / featureCount;
    }

    private static void checkLabels(int[] labels, int n) {
        if (labels.length != n) {
            throw new IllegalArgumentException("there are " + n + " samples but " + labels.length + " labels");
        }
    }

    private static void checkLabelRange(int[] labels, int k) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("label " + labels[i] + " of row " + i + " is outside [0, " + k
                        + "): labels must be class indices 0.." + (k - 1));
            }
        }
    }

    /** Rejects NaN and infinities, and in float32 the values that would become infinite when stored. */
    private static void checkFinite(double[] values, int width, DType dtype) {
        Objects.requireNonNull(dtype, "dtype");
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("row " + i / width + ", column " + i % width + " is " + values[i]
                        + ": data must be finite (remove or impute missing values)");
            }
            if (!dtype.holds(values[i])) {
                throw new IllegalArgumentException("row " + i / width + ", column " + i % width + " is " + values[i]
                        + ", beyond the float32 range (" + Float.MAX_VALUE + "): use DType.FLOAT64 or scale the data");
            }
        }
    }

    private static int width(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("the dataset is empty: it needs at least one sample");
        }
        return rows[0].length;
    }

    private static double[] flatten(double[][] rows) {
        int w = width(rows);
        double[] out = new double[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != w) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, row 0 has " + w);
            }
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return out;
    }

    private static double[][] toDouble(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                out[i][j] = rows[i][j];
            }
        }
        return out;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
