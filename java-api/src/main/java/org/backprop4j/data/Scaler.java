package org.backprop4j.data;

import java.util.Arrays;

/**
 * Feature scaling of the form {@code scaled = (x - offset) / scale}, per column, fitted on one
 * dataset (the training set) and applied unchanged to others (validation, test, new inputs).
 *
 * <p>Every kind of scaler is just its {@link #offsets()} and {@link #scales()}, so it can be saved
 * beside a model and rebuilt with {@link #of(double[], double[])} (or {@link #uniform(double, double)}
 * when {@link #isUniform()}). Arithmetic is in {@code double}; the result is stored in the dataset's
 * dtype.
 */
public final class Scaler {

    private final double[] offsets;
    private final double[] scales;
    private final boolean uniform;

    private Scaler(double[] offsets, double[] scales, boolean uniform) {
        if (offsets.length != scales.length) {
            throw new IllegalArgumentException("there are " + offsets.length + " offsets but " + scales.length
                    + " scales; a scaler needs one of each per column");
        }
        if (offsets.length == 0) {
            throw new IllegalArgumentException("a scaler needs at least one column");
        }
        for (int j = 0; j < offsets.length; j++) {
            if (!Double.isFinite(offsets[j])) {
                throw new IllegalArgumentException("offset of column " + j + " is " + offsets[j] + "; it must be finite");
            }
            if (!(scales[j] > 0 && Double.isFinite(scales[j]))) {
                throw new IllegalArgumentException("scale of column " + j + " is " + scales[j]
                        + "; it must be positive and finite");
            }
        }
        this.offsets = offsets;
        this.scales = scales;
        this.uniform = uniform;
    }

    /**
     * Standardization: per column, subtract the mean and divide by the standard deviation (the
     * population one, dividing by {@code n}), so the training features get mean 0 and standard
     * deviation 1. A constant column gets offset = its value and scale 1, so it becomes all zeros
     * instead of a division by zero.
     */
    public static Scaler standardize(Dataset train) {
        int n = train.size();
        int w = train.featureCount();
        double[] x = train.featuresAsDouble();
        double[] offsets = new double[w];
        double[] scales = new double[w];
        for (int j = 0; j < w; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double v = x[i * w + j];
                sum += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (min == max) {
                // Exact test: sum / n need not reproduce a constant value exactly (0.1 * 3 / 3 != 0.1).
                offsets[j] = min;
                scales[j] = 1;
                continue;
            }
            double mean = sum / n;
            // Two passes, deviations divided by the largest one so the squares cannot overflow.
            double largest = Math.max(max - mean, mean - min);
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double d = (x[i * w + j] - mean) / largest;
                squares += d * d;
            }
            double std = largest * Math.sqrt(squares / n);
            offsets[j] = mean;
            scales[j] = std > 0 && Double.isFinite(std) ? std : 1;
        }
        return new Scaler(offsets, scales, false);
    }

    /**
     * Min-max scaling: per column, {@code (x - min) / (max - min)}, mapping the training features
     * onto [0, 1]. A constant column gets scale 1 and becomes all zeros. Other datasets can fall
     * outside [0, 1].
     */
    public static Scaler minMax(Dataset train) {
        int n = train.size();
        int w = train.featureCount();
        double[] x = train.featuresAsDouble();
        double[] offsets = new double[w];
        double[] scales = new double[w];
        for (int j = 0; j < w; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                min = Math.min(min, x[i * w + j]);
                max = Math.max(max, x[i * w + j]);
            }
            offsets[j] = min;
            scales[j] = max > min ? max - min : 1;
        }
        return new Scaler(offsets, scales, false);
    }

    /**
     * Divides every feature by {@code divisor}, for any number of columns: {@code divideBy(255)} for
     * 8-bit pixels, {@code divideBy(16)} for the 8×8 digits.
     */
    public static Scaler divideBy(double divisor) {
        return uniform(0, divisor);
    }

    /** {@code (x - offset) / scale} for every column, whatever the number of columns. */
    public static Scaler uniform(double offset, double scale) {
        return new Scaler(new double[] {offset}, new double[] {scale}, true);
    }

    /**
     * A per-column scaler from saved parameters, e.g. {@code of(s.offsets(), s.scales())}.
     *
     * @param offsets one per column, finite. Not modified.
     * @param scales  one per column, positive and finite. Not modified.
     */
    public static Scaler of(double[] offsets, double[] scales) {
        return new Scaler(offsets.clone(), scales.clone(), false);
    }

    /** The scaled dataset: same samples, labels and dtype, features {@code (x - offset) / scale}. */
    public Dataset apply(Dataset data) {
        return data.withFeatures(apply(data.featuresAsDouble(), data.featureCount()), data.featureCount());
    }

    /**
     * Scales a row-major feature matrix, e.g. new inputs for prediction.
     *
     * @param features     {@code rows × featureCount} values. Not modified.
     * @param featureCount columns per row
     * @return a new array of the scaled values
     * @throws IllegalArgumentException if {@code featureCount} differs from the fitted column count
     */
    public double[] apply(double[] features, int featureCount) {
        checkWidth(featureCount);
        if (featureCount < 1 || features.length % featureCount != 0) {
            throw new IllegalArgumentException("feature array length " + features.length
                    + " is not a multiple of featureCount " + featureCount);
        }
        double[] out = new double[features.length];
        for (int i = 0; i < features.length; i++) {
            int j = uniform ? 0 : i % featureCount;
            out[i] = (features[i] - offsets[j]) / scales[j];
        }
        return out;
    }

    /** Columns this scaler was fitted on, or 0 if it {@link #isUniform() is uniform}. */
    public int featureCount() {
        return uniform ? 0 : offsets.length;
    }

    /** True if one offset and scale apply to every column, whatever their number ({@link #divideBy(double)}). */
    public boolean isUniform() {
        return uniform;
    }

    /** A copy of the offsets: one per column, or a single one when uniform. */
    public double[] offsets() {
        return offsets.clone();
    }

    /** A copy of the scales: one per column, or a single one when uniform. */
    public double[] scales() {
        return scales.clone();
    }

    private void checkWidth(int featureCount) {
        if (!uniform && featureCount != offsets.length) {
            throw new IllegalArgumentException("the scaler was fitted on " + offsets.length
                    + " features, but the data has " + featureCount);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaler s && s.uniform == uniform && Arrays.equals(s.offsets, offsets)
                && Arrays.equals(s.scales, scales);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Boolean.hashCode(uniform) + Arrays.hashCode(offsets)) + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return uniform ? "Scaler[(x - " + offsets[0] + ") / " + scales[0] + " for every column]"
                : "Scaler[(x - offset) / scale with per-column parameters for " + offsets.length + " columns]";
    }
}
