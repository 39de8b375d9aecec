package org.backprop4j.data;

import java.util.SplittableRandom;
import org.backprop4j.nn.DType;

/**
 * Small seeded 2-D classification problems for examples, tests and benchmarks. The same arguments
 * give the same dataset on every JVM: the random numbers come from {@link SplittableRandom} and the
 * math from {@link StrictMath}. Samples are generated class by class, noise is Gaussian with standard
 * deviation {@code noise} added to both coordinates, and the rows are then shuffled.
 */
public final class Synthetic {

    private Synthetic() {
    }

    /**
     * Two interleaving half circles. Class 0 (the outer moon, {@code n / 2} points) is
     * {@code (cos t, sin t)}, class 1 (the inner moon, the other {@code n - n / 2}) is
     * {@code (1 - cos t, 1/2 - sin t)}, with {@code t} evenly spaced over {@code [0, π]}, ends included.
     *
     * @param n     samples, at least 2
     * @param noise standard deviation of the Gaussian noise on each coordinate, at least 0
     */
    public static Dataset twoMoons(int n, double noise, long seed, DType dtype) {
        checkSize(n, 2);
        checkNoise(noise);
        SplittableRandom random = new SplittableRandom(seed);
        Builder b = new Builder(n);
        int outer = n / 2;
        int inner = n - outer;
        for (int i = 0; i < outer; i++) {
            double t = Math.PI * fraction(i, outer);
            b.add(StrictMath.cos(t), StrictMath.sin(t), 0, noise, random);
        }
        for (int i = 0; i < inner; i++) {
            double t = Math.PI * fraction(i, inner);
            b.add(1 - StrictMath.cos(t), 0.5 - StrictMath.sin(t), 1, noise, random);
        }
        return b.build(2, random, dtype);
    }

    /**
     * Two concentric circles. Class 0 ({@code n / 2} points) lies on the circle of radius 1, class 1
     * (the rest) on the circle of radius {@code factor}; angles are evenly spaced over
     * {@code [0, 2π)}.
     *
     * @param n      samples, at least 2
     * @param noise  standard deviation of the Gaussian noise on each coordinate, at least 0
     * @param factor radius of the inner circle, strictly between 0 and 1
     */
    public static Dataset circles(int n, double noise, double factor, long seed, DType dtype) {
        checkSize(n, 2);
        checkNoise(noise);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("factor (inner radius / outer radius) must be strictly between 0 and 1, got "
                    + factor);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Builder b = new Builder(n);
        int outer = n / 2;
        int[] counts = {outer, n - outer};
        double[] radius = {1, factor};
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < counts[c]; i++) {
                double t = 2 * Math.PI * i / counts[c];
                b.add(radius[c] * StrictMath.cos(t), radius[c] * StrictMath.sin(t), c, noise, random);
            }
        }
        return b.build(2, random, dtype);
    }

    /**
     * A spiral with {@code classes} arms around the origin. Arm {@code k} has about
     * {@code n / classes} points (the first {@code n % classes} arms one more); its point {@code i} of
     * {@code m} has radius {@code r = (i + 1) / m} and angle {@code 2πk / classes + 4r} radians, at
     * {@code (r cos θ, r sin θ)}.
     *
     * @param n       samples, at least {@code classes}
     * @param classes arms, at least 2
     * @param noise   standard deviation of the Gaussian noise on each coordinate, at least 0
     */
    public static Dataset spirals(int n, int classes, double noise, long seed, DType dtype) {
        if (classes < 2) {
            throw new IllegalArgumentException("a spiral needs at least 2 arms (classes), got " + classes);
        }
        checkSize(n, classes);
        checkNoise(noise);
        SplittableRandom random = new SplittableRandom(seed);
        Builder b = new Builder(n);
        for (int k = 0; k < classes; k++) {
            int m = n / classes + (k < n % classes ? 1 : 0);
            for (int i = 0; i < m; i++) {
                double r = (i + 1) / (double) m;
                double theta = 2 * Math.PI * k / classes + 4 * r;
                b.add(r * StrictMath.cos(theta), r * StrictMath.sin(theta), k, noise, random);
            }
        }
        return b.build(classes, random, dtype);
    }

    /**
     * Noisy exclusive or: sample {@code i} starts at corner {@code i mod 4} of the unit square, in the
     * order (0,0), (0,1), (1,0), (1,1), labelled with the XOR of its coordinates (0, 1, 1, 0), and gets
     * Gaussian noise. Both classes have {@code n / 2} samples when {@code n} is a multiple of 4.
     *
     * @param n     samples, at least 2
     * @param noise standard deviation of the Gaussian noise on each coordinate, at least 0
     */
    public static Dataset xor(int n, double noise, long seed, DType dtype) {
        checkSize(n, 2);
        checkNoise(noise);
        SplittableRandom random = new SplittableRandom(seed);
        Builder b = new Builder(n);
        for (int i = 0; i < n; i++) {
            int a = (i >> 1) & 1;
            int c = i & 1;
            b.add(a, c, a ^ c, noise, random);
        }
        return b.build(2, random, dtype);
    }

    /** The XOR truth table, in this order: (0,0) → 0, (0,1) → 1, (1,0) → 1, (1,1) → 0. */
    public static Dataset xorTruthTable(DType dtype) {
        return Dataset.ofClasses(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, 2, new int[] {0, 1, 1, 0}, 2, dtype);
    }

    /** {@code i / (m - 1)}, or 0 when {@code m == 1}: evenly spaced over [0, 1], ends included. */
    private static double fraction(int i, int m) {
        return m == 1 ? 0 : i / (double) (m - 1);
    }

    private static void checkSize(int n, int min) {
        if (n < min) {
            throw new IllegalArgumentException("n must be at least " + min + " so every class has a sample, got " + n);
        }
    }

    private static void checkNoise(double noise) {
        if (!(noise >= 0 && Double.isFinite(noise))) {
            throw new IllegalArgumentException("noise is a standard deviation and must be finite and >= 0, got " + noise);
        }
    }

    /** A standard normal variate by Box–Muller; u1 in (0, 1] keeps the logarithm finite. */
    private static double gaussian(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** Collects 2-D points and labels, then shuffles them into a dataset. */
    private static final class Builder {
        private final double[] xy;
        private final int[] labels;
        private int size;

        Builder(int n) {
            xy = new double[2 * n];
            labels = new int[n];
        }

        void add(double x, double y, int label, double noise, SplittableRandom random) {
            if (noise > 0) {
                x += noise * gaussian(random);
                y += noise * gaussian(random);
            }
            xy[2 * size] = x;
            xy[2 * size + 1] = y;
            labels[size++] = label;
        }

        Dataset build(int classCount, SplittableRandom random, DType dtype) {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Split.shuffle(order, random);
            double[] x = new double[2 * size];
            int[] l = new int[size];
            for (int i = 0; i < size; i++) {
                x[2 * i] = xy[2 * order[i]];
                x[2 * i + 1] = xy[2 * order[i] + 1];
                l[i] = labels[order[i]];
            }
            return Dataset.ofClasses(x, 2, l, classCount, dtype);
        }
    }
}
