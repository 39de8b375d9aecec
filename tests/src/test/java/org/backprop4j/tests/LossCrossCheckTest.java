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
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused losses of every backend against the reference: the returned loss within its reduction
 * bound, the probabilities left in Z and the gradient dZ within their element bounds, with a
 * separate dZ, without one (null), and with dZ written over Z. Logits reach ±1000 (softmax) and
 * ±800 (sigmoid), where a loss computed from probabilities instead of logits overflows.
 */
class LossCrossCheckTest {

    enum Gradient { SEPARATE, NONE, IN_PLACE }

    /** {rows, cols}. */
    private static final int[][] SHAPES = {{1, 1}, {5, 1}, {1, 10}, {7, 13}, {64, 10}, {103, 3}};

    private static final Named<Gradient> SEPARATE = Named.of("with dZ", Gradient.SEPARATE);
    private static final Named<Gradient> NONE = Named.of("without dZ", Gradient.NONE);
    private static final Named<Gradient> IN_PLACE = Named.of("dZ over Z", Gradient.IN_PLACE);

    static Stream<Arguments> fused() {
        return Backends4Test.availableWith(CrossCheck.DTYPES, List.of(SEPARATE, NONE, IN_PLACE));
    }

    static Stream<Arguments> mse() {
        return Backends4Test.availableWith(CrossCheck.DTYPES, List.of(SEPARATE, NONE));
    }

    /** One of the two fused kernels, called through a {@link TypedBackend}. */
    private interface Fused {
        double call(TypedBackend be, int rows, int cols, TypedArray z, int offZ, int ldz, TypedArray y, int offY, int ldy,
                    TypedArray dz, int offDz, int lddz);
    }

    /** The operands of one case and where they sit. */
    private record Layout(int rows, int cols, int offZ, int ldz, int offY, int ldy, int offDz, int lddz) {
        static Layout of(int rows, int cols, boolean padded) {
            return padded ? new Layout(rows, cols, OFF, cols + PAD, 1, cols + 2, 2, cols + 4)
                    : new Layout(rows, cols, 0, cols, 0, cols, 0, cols);
        }

        String describe(Gradient g) {
            return String.format(Locale.ROOT, "rows=%d cols=%d offZ=%d ldz=%d offY=%d ldy=%d %s", rows, cols, offZ, ldz,
                    offY, ldy, g == Gradient.NONE ? "dz=null" : g == Gradient.IN_PLACE ? "dz=z"
                            : "offDz=" + offDz + " lddz=" + lddz);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("fused")
    void softmaxCrossEntropy(Backend backend, DType dtype, Gradient gradient) {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int[] s : SHAPES) {
            for (boolean padded : new boolean[] {false, true}) {
                Layout l = Layout.of(s[0], s[1], padded);
                double[] z = ActivationCrossCheckTest.logits(rnd, dtype, l.offZ, l.ldz, l.rows, l.cols, 30);
                double[] y = CrossCheck.matrix(rnd, dtype, l.offY, l.ldy, l.rows, l.cols, -1, 1);
                for (int r = 0; r < l.rows; r++) {
                    // One-hot rows (row 0's target is not its huge logit), and one row of soft targets.
                    int hot = r == 0 ? 0 : rnd.nextInt(l.cols);
                    double[] soft = new double[l.cols];
                    double total = 0;
                    for (int c = 0; c < l.cols; c++) {
                        soft[c] = rnd.nextDouble();
                        total += soft[c];
                    }
                    for (int c = 0; c < l.cols; c++) {
                        y[CrossCheck.at(l.offY, l.ldy, r, c)] = r == 4 ? CrossCheck.round(dtype, soft[c] / total)
                                : c == hot ? 1 : 0;
                    }
                }
                double lossBound = ErrorBounds.softmaxCrossEntropy(dtype, l.rows, l.cols, z, l.offZ, l.ldz, y, l.offY, l.ldy);
                crossCheckFused("softmaxCrossEntropy", TypedBackend::softmaxCrossEntropy, backend, dtype, gradient, l,
                        z, y, lossBound, p -> ActivationCrossCheckTest.softmaxBounds(dtype, l.rows, l.cols, z, l.offZ,
                                l.ldz, p), l.rows, rnd);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("fused")
    void sigmoidBinaryCrossEntropy(Backend backend, DType dtype, Gradient gradient) {
        SplittableRandom rnd = new SplittableRandom(42);
        double[] extremes = {800, -800, 700, -700, 80, -80, 30, -30, 0.0, -0.0, 1e-30, 17};
        for (int[] s : SHAPES) {
            for (boolean padded : new boolean[] {false, true}) {
                Layout l = Layout.of(s[0], s[1], padded);
                double[] z = CrossCheck.matrix(rnd, dtype, l.offZ, l.ldz, l.rows, l.cols, -30, 30);
                double[] y = CrossCheck.matrix(rnd, dtype, l.offY, l.ldy, l.rows, l.cols, -1, 1);
                for (int i = 0; i < l.rows * l.cols; i++) {
                    int r = i / l.cols;
                    int c = i % l.cols;
                    if (i < 2 * extremes.length) {
                        z[CrossCheck.at(l.offZ, l.ldz, r, c)] = CrossCheck.round(dtype, extremes[i % extremes.length]);
                    }
                    // Hard labels, some soft ones; the extremes are confidently wrong once, then right.
                    double target;
                    if (i % 7 == 3) {
                        target = 0.25;
                    } else if (i < 2 * extremes.length) {
                        target = (i / extremes.length) % 2 == 0 ? i % 2 : 1 - i % 2;
                    } else {
                        target = rnd.nextInt(2);
                    }
                    y[CrossCheck.at(l.offY, l.ldy, r, c)] = target;
                }
                double lossBound = ErrorBounds.sigmoidBinaryCrossEntropy(dtype, l.rows, l.cols, z, l.offZ, l.ldz,
                        y, l.offY, l.ldy);
                crossCheckFused("sigmoidBinaryCrossEntropy", TypedBackend::sigmoidBinaryCrossEntropy, backend, dtype,
                        gradient, l, z, y, lossBound, p -> {
                            double[] bound = new double[p.length];
                            for (int i = 0; i < p.length; i++) {
                                double logit = z[CrossCheck.at(l.offZ, l.ldz, i / l.cols, i % l.cols)];
                                bound[i] = ErrorBounds.activation(dtype, Activation.SIGMOID, logit, p[i]);
                            }
                            return bound;
                        }, (double) l.rows * l.cols, rnd);
            }
        }
    }

    private static void crossCheckFused(String op, Fused kernel, Backend backend, DType dtype, Gradient g, Layout l,
                                        double[] z, double[] y, double lossBound,
                                        java.util.function.Function<double[], double[]> probabilityBounds,
                                        double count, SplittableRandom rnd) {
        double[] dzInit = CrossCheck.matrix(rnd, dtype, l.offDz, l.lddz, l.rows, l.cols, -1, 1);
        String shape = l.describe(g);

        // The reference always writes a separate dZ, so that both P and dZ are known.
        TypedBackend ref = CrossCheck.reference(dtype);
        TypedArray zRef = ref.array(z);
        TypedArray dzRef = ref.array(dzInit);
        double lossRef = kernel.call(ref, l.rows, l.cols, zRef, l.offZ, l.ldz, ref.array(y), l.offY, l.ldy,
                dzRef, l.offDz, l.lddz);
        double[] p = CrossCheck.block(zRef, l.offZ, l.ldz, l.rows, l.cols);
        double[] pBound = probabilityBounds.apply(p);

        TypedBackend be = new TypedBackend(backend, dtype);
        TypedArray zOut = be.array(z);
        TypedArray yIn = be.array(y);
        TypedArray dzOut = g == Gradient.SEPARATE ? be.array(dzInit) : g == Gradient.IN_PLACE ? zOut : null;
        int offDz = g == Gradient.IN_PLACE ? l.offZ : l.offDz;
        int lddz = g == Gradient.IN_PLACE ? l.ldz : l.lddz;
        double loss = kernel.call(be, l.rows, l.cols, zOut, l.offZ, l.ldz, yIn, l.offY, l.ldy, dzOut, offDz, lddz);

        CrossCheck.assertWithin(be, op, shape, "loss", loss, lossRef, lossBound);
        if (g != Gradient.IN_PLACE) {
            CrossCheck.assertWithin(be, op, shape, "P (in Z)", l.cols, CrossCheck.block(zOut, l.offZ, l.ldz, l.rows, l.cols),
                    p, pBound);
            CrossCheck.assertUntouched(be, op, shape, "Z", be.array(z), zOut, l.offZ, l.ldz, l.rows, l.cols);
        }
        if (g != Gradient.NONE) {
            double[] expected = CrossCheck.block(dzRef, l.offDz, l.lddz, l.rows, l.cols);
            double[] bound = new double[expected.length];
            for (int i = 0; i < bound.length; i++) {
                double target = y[CrossCheck.at(l.offY, l.ldy, i / l.cols, i % l.cols)];
                bound[i] = ErrorBounds.lossGradient(dtype, pBound[i], p[i], target, count);
            }
            CrossCheck.assertWithin(be, op, shape, "dZ", l.cols, CrossCheck.block(dzOut, offDz, lddz, l.rows, l.cols),
                    expected, bound);
            TypedArray before = g == Gradient.SEPARATE ? be.array(dzInit) : be.array(z);
            CrossCheck.assertUntouched(be, op, shape, "dZ", before, dzOut, offDz, lddz, l.rows, l.cols);
        }
        CrossCheck.assertUnchanged(be, op, shape, "Y", be.array(y), yIn);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("mse")
    void meanSquaredError(Backend backend, DType dtype, Gradient g) {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int[] s : SHAPES) {
            for (boolean padded : new boolean[] {false, true}) {
                Layout l = Layout.of(s[0], s[1], padded);
                double[] a = CrossCheck.matrix(rnd, dtype, l.offZ, l.ldz, l.rows, l.cols, -3, 3);
                double[] y = CrossCheck.matrix(rnd, dtype, l.offY, l.ldy, l.rows, l.cols, -3, 3);
                if (l.rows * l.cols > 1) {
                    y[l.offY] = a[l.offZ]; // an exact hit: gradient 0
                }
                double[] daInit = CrossCheck.matrix(rnd, dtype, l.offDz, l.lddz, l.rows, l.cols, -1, 1);
                String shape = l.describe(g).replace("Z", "A").replace("dz", "da");

                TypedBackend ref = CrossCheck.reference(dtype);
                TypedArray daRef = ref.array(daInit);
                double lossRef = ref.meanSquaredError(l.rows, l.cols, ref.array(a), l.offZ, l.ldz, ref.array(y), l.offY,
                        l.ldy, daRef, l.offDz, l.lddz);

                TypedBackend be = new TypedBackend(backend, dtype);
                TypedArray aIn = be.array(a);
                TypedArray yIn = be.array(y);
                TypedArray daOut = g == Gradient.SEPARATE ? be.array(daInit) : null;
                double loss = be.meanSquaredError(l.rows, l.cols, aIn, l.offZ, l.ldz, yIn, l.offY, l.ldy, daOut,
                        l.offDz, l.lddz);

                CrossCheck.assertWithin(be, "meanSquaredError", shape, "loss", loss, lossRef,
                        ErrorBounds.meanSquaredError(dtype, l.rows, l.cols, a, l.offZ, l.ldz, y, l.offY, l.ldy));
                if (g == Gradient.SEPARATE) {
                    double[] expected = CrossCheck.block(daRef, l.offDz, l.lddz, l.rows, l.cols);
                    double[] bound = new double[expected.length];
                    for (int i = 0; i < bound.length; i++) {
                        bound[i] = ErrorBounds.elementwise(dtype, expected[i]);
                    }
                    CrossCheck.assertWithin(be, "meanSquaredError", shape, "dA", l.cols,
                            CrossCheck.block(daOut, l.offDz, l.lddz, l.rows, l.cols), expected, bound);
                    CrossCheck.assertUntouched(be, "meanSquaredError", shape, "dA", be.array(daInit), daOut, l.offDz,
                            l.lddz, l.rows, l.cols);
                }
                CrossCheck.assertUnchanged(be, "meanSquaredError", shape, "A", be.array(a), aIn);
                CrossCheck.assertUnchanged(be, "meanSquaredError", shape, "Y", be.array(y), yIn);
            }
        }
    }
}
