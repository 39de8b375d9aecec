package org.backprop4j.tests;

import static org.backprop4j.tests.CrossCheck.OFF;
import static org.backprop4j.tests.CrossCheck.PAD;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.crosscheck.TypedArray;
import org.backprop4j.crosscheck.TypedBackend;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bias + activation forward kernel, the activation backward kernel and softmax of every
 * backend against the reference: relu and identity bit-exact, the others within
 * {@link ErrorBounds#activation}, {@link ErrorBounds#activationBackward} and
 * {@link ErrorBounds#softmax}. Inputs span [−30, 30] plus signed zeros, tiny values and the
 * saturating ±80 and ±700.
 */
class ActivationCrossCheckTest {

    /** {rows, cols}. */
    private static final int[][] SHAPES = {{1, 1}, {1, 13}, {7, 1}, {7, 13}, {103, 7}, {16, 64}};

    /** {@link #SHAPES} and three more drawn from {@code rnd}. */
    private static List<int[]> shapes(SplittableRandom rnd) {
        List<int[]> out = new java.util.ArrayList<>(List.of(SHAPES));
        for (int i = 0; i < 3; i++) {
            out.add(new int[] {1 + rnd.nextInt(60), 1 + rnd.nextInt(40)});
        }
        return out;
    }

    static Stream<Arguments> elementwise() {
        List<Activation> acts = Stream.of(Activation.values()).filter(Activation::isElementwise).toList();
        return Backends4Test.availableWith(CrossCheck.DTYPES, acts);
    }

    static Stream<Arguments> dtypes() {
        return Backends4Test.availableWith(CrossCheck.DTYPES);
    }

    /** Pre-activations that probe zero signs, underflow and saturation. */
    private static double[] specials(DType dtype) {
        double small = dtype == DType.FLOAT32 ? 1e-37 : 1e-300;
        return new double[] {0.0, -0.0, small, -small, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 1, -1, 15, -15,
            30, -30, 80, -80, 700, -700};
    }

    /**
     * Random values in {@code [lo, hi)} at {@code (off, ld)}; when {@code withSpecials}, the block
     * starts with {@link #specials}, repeated over the first row(s).
     */
    private static double[] input(SplittableRandom rnd, DType dtype, int off, int ld, int rows, int cols,
                                  double lo, double hi, boolean withSpecials) {
        double[] x = CrossCheck.matrix(rnd, dtype, off, ld, rows, cols, lo, hi);
        if (withSpecials) {
            double[] s = specials(dtype);
            for (int i = 0; i < Math.min(rows * cols, 3 * s.length); i++) {
                x[CrossCheck.at(off, ld, i / cols, i % cols)] = CrossCheck.round(dtype, s[i % s.length]);
            }
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("elementwise")
    void biasActivation(Backend backend, DType dtype, Activation act) {
        SplittableRandom rnd = new SplittableRandom(42);
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedBackend be = new TypedBackend(backend, dtype);
        for (int[] s : shapes(rnd)) {
            int rows = s[0];
            int cols = s[1];
            for (boolean specials : new boolean[] {false, true}) {
                int off = specials ? OFF : 0;
                int ld = cols + (specials ? PAD : 0);
                double[] x = input(rnd, dtype, off, ld, rows, cols, -30, 30, specials);
                // -0 as the bias keeps every special, -0 included, as the pre-activation.
                double[] bias = specials ? CrossCheck.filled(off + cols, -0.0)
                        : CrossCheck.vector(rnd, dtype, off, cols, -1, 1);
                String shape = String.format(Locale.ROOT, "%s rows=%d cols=%d off=%d ldx=%d%s", act, rows, cols, off,
                        ld, specials ? " special inputs" : "");

                TypedArray xRef = ref.array(x);
                ref.biasActivation(act, rows, cols, xRef, off, ld, ref.array(bias), off);
                TypedArray xOut = be.array(x);
                TypedArray biasIn = be.array(bias);
                be.biasActivation(act, rows, cols, xOut, off, ld, biasIn, off);

                double[] expected = CrossCheck.block(xRef, off, ld, rows, cols);
                double[] bound = new double[expected.length];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        double z = x[CrossCheck.at(off, ld, r, c)] + bias[off + c];
                        bound[r * cols + c] = ErrorBounds.activation(dtype, act, z, expected[r * cols + c]);
                    }
                }
                CrossCheck.assertWithin(be, "biasActivation", shape, "X", cols,
                        CrossCheck.block(xOut, off, ld, rows, cols), expected, bound);
                CrossCheck.assertUntouched(be, "biasActivation", shape, "X", be.array(x), xOut, off, ld, rows, cols);
                CrossCheck.assertUnchanged(be, "biasActivation", shape, "bias", be.array(bias), biasIn);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("elementwise")
    void activationBackward(Backend backend, DType dtype, Activation act) {
        SplittableRandom rnd = new SplittableRandom(42);
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedBackend be = new TypedBackend(backend, dtype);
        for (int[] s : shapes(rnd)) {
            int rows = s[0];
            int cols = s[1];
            for (boolean specials : new boolean[] {false, true}) {
                int offA = specials ? OFF : 0;
                int lda = cols + (specials ? PAD : 0);
                int offDx = specials ? 1 : 0;
                int lddx = cols + (specials ? 2 : 0);
                // The forward output A = g(Z) as the layer keeps it, from the reference.
                TypedArray forward = ref.array(input(rnd, dtype, offA, lda, rows, cols, -30, 30, specials));
                ref.biasActivation(act, rows, cols, forward, offA, lda, ref.array(CrossCheck.filled(cols, -0.0)), 0);
                double[] a = forward.toDouble();
                double[] dx = input(rnd, dtype, offDx, lddx, rows, cols, -2, 2, false);
                if (specials) {
                    double[] incoming = {0.0, -0.0, 1e-30, -1e-30, 1e6, -1e6};
                    for (int i = 0; i < Math.min(rows * cols, 2 * incoming.length); i++) {
                        dx[CrossCheck.at(offDx, lddx, i / cols, i % cols)] = CrossCheck.round(dtype,
                                incoming[(i * 7) % incoming.length]);
                    }
                }
                String shape = String.format(Locale.ROOT, "%s rows=%d cols=%d offA=%d lda=%d offDx=%d lddx=%d%s", act,
                        rows, cols, offA, lda, offDx, lddx, specials ? " special inputs" : "");

                TypedArray dxRef = ref.array(dx);
                ref.activationBackward(act, rows, cols, ref.array(a), offA, lda, dxRef, offDx, lddx);
                TypedArray aIn = be.array(a);
                TypedArray dxOut = be.array(dx);
                be.activationBackward(act, rows, cols, aIn, offA, lda, dxOut, offDx, lddx);

                double[] expected = CrossCheck.block(dxRef, offDx, lddx, rows, cols);
                double[] bound = new double[expected.length];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        bound[r * cols + c] = ErrorBounds.activationBackward(dtype, act, a[CrossCheck.at(offA, lda, r, c)],
                                dx[CrossCheck.at(offDx, lddx, r, c)], expected[r * cols + c]);
                    }
                }
                CrossCheck.assertWithin(be, "activationBackward", shape, "dX", cols,
                        CrossCheck.block(dxOut, offDx, lddx, rows, cols), expected, bound);
                CrossCheck.assertUntouched(be, "activationBackward", shape, "dX", be.array(dx), dxOut, offDx, lddx,
                        rows, cols);
                CrossCheck.assertUnchanged(be, "activationBackward", shape, "A", be.array(a), aIn);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void softmax(Backend backend, DType dtype) {
        SplittableRandom rnd = new SplittableRandom(42);
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedBackend be = new TypedBackend(backend, dtype);
        for (int[] s : new int[][] {{1, 1}, {9, 1}, {1, 10}, {7, 13}, {103, 7}, {6, 300}}) {
            int rows = s[0];
            int cols = s[1];
            for (boolean padded : new boolean[] {false, true}) {
                int off = padded ? OFF : 0;
                int ld = cols + (padded ? PAD : 0);
                double[] x = logits(rnd, dtype, off, ld, rows, cols, 30);
                String shape = String.format(Locale.ROOT, "rows=%d cols=%d off=%d ldx=%d", rows, cols, off, ld);

                TypedArray xRef = ref.array(x);
                ref.softmax(rows, cols, xRef, off, ld);
                TypedArray xOut = be.array(x);
                be.softmax(rows, cols, xOut, off, ld);

                double[] expected = CrossCheck.block(xRef, off, ld, rows, cols);
                double[] bound = softmaxBounds(dtype, rows, cols, x, off, ld, expected);
                CrossCheck.assertWithin(be, "softmax", shape, "X", cols, CrossCheck.block(xOut, off, ld, rows, cols),
                        expected, bound);
                CrossCheck.assertUntouched(be, "softmax", shape, "X", be.array(x), xOut, off, ld, rows, cols);
            }
        }
    }

    /**
     * Logits uniform in {@code [-spread, spread)}; row 0 has one huge logit (1000), row 1 is all
     * equal, row 2 is all -1000 but one, row 3 holds ties at the maximum.
     */
    static double[] logits(SplittableRandom rnd, DType dtype, int off, int ld, int rows, int cols, double spread) {
        double[] x = CrossCheck.matrix(rnd, dtype, off, ld, rows, cols, -spread, spread);
        for (int c = 0; c < cols; c++) {
            if (rows > 0) {
                x[CrossCheck.at(off, ld, 0, c)] = c == cols / 2 ? 1000 : x[CrossCheck.at(off, ld, 0, c)];
            }
            if (rows > 1) {
                x[CrossCheck.at(off, ld, 1, c)] = CrossCheck.round(dtype, 3.7);
            }
            if (rows > 2) {
                x[CrossCheck.at(off, ld, 2, c)] = c == 0 ? 2 : -1000;
            }
            if (rows > 3 && c % 2 == 0) {
                x[CrossCheck.at(off, ld, 3, c)] = spread;
            }
        }
        return x;
    }

    /** {@link ErrorBounds#softmax} of every element, from the logits and the reference probabilities. */
    static double[] softmaxBounds(DType dtype, int rows, int cols, double[] z, int off, int ld, double[] p) {
        double[] bound = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[CrossCheck.at(off, ld, r, c)]);
            }
            for (int c = 0; c < cols; c++) {
                double shifted = z[CrossCheck.at(off, ld, r, c)] - max;
                bound[r * cols + c] = ErrorBounds.softmax(dtype, cols, shifted, p[r * cols + c]);
            }
        }
        return bound;
    }
}
