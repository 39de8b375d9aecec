package org.backprop4j.tests;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.crosscheck.TypedArray;
import org.backprop4j.crosscheck.TypedBackend;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused optimizer steps of every backend against the reference: the weights and every state
 * array (velocity, moments) within {@link ErrorBounds#step} of the magnitudes each combines.
 * Weights include exact zeros, where the update alone sets the bound; gradients include zeros and
 * large values.
 */
class OptimizerCrossCheckTest {

    private static final int[] SIZES = {1, 7, 1000};
    private static final int OFF_W = 3;
    private static final int OFF_G = 1;
    private static final int OFF_S1 = 2;
    private static final int OFF_S2 = 5;

    static Stream<Arguments> dtypes() {
        return Backends4Test.availableWith(CrossCheck.DTYPES);
    }

    static Stream<Arguments> momentum() {
        return Backends4Test.availableWith(CrossCheck.DTYPES,
                List.of(Named.of("heavy ball", false), Named.of("nesterov", true)));
    }

    static Stream<Arguments> adam() {
        return Backends4Test.availableWith(CrossCheck.DTYPES, List.of(Named.of("t=1", 1), Named.of("t=1000", 1000)));
    }

    private static double[] weights(SplittableRandom rnd, DType dtype, int n) {
        double[] w = CrossCheck.vector(rnd, dtype, OFF_W, n, -1, 1);
        for (int i = 0; i < n; i += 5) {
            w[OFF_W + i] = 0;
        }
        return w;
    }

    private static double[] gradients(SplittableRandom rnd, DType dtype, int n) {
        double[] g = CrossCheck.vector(rnd, dtype, OFF_G, n, -1, 1);
        for (int i = 0; i < n; i++) {
            if (i % 11 == 4) {
                g[OFF_G + i] = 0;
            } else if (i % 13 == 6) {
                g[OFF_G + i] = CrossCheck.round(dtype, 100 * g[OFF_G + i]);
            }
        }
        return g;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void sgd(Backend backend, DType dtype) {
        SplittableRandom rnd = new SplittableRandom(42);
        double lr = CrossCheck.round(dtype, 0.01);
        for (int n : SIZES) {
            double[] w = weights(rnd, dtype, n);
            double[] g = gradients(rnd, dtype, n);
            String shape = String.format(Locale.ROOT, "n=%d lr=%s offW=%d offG=%d", n, lr, OFF_W, OFF_G);

            TypedBackend ref = CrossCheck.reference(dtype);
            TypedArray wRef = ref.array(w);
            ref.sgdStep(n, lr, wRef, OFF_W, ref.array(g), OFF_G);
            TypedBackend be = new TypedBackend(backend, dtype);
            TypedArray wOut = be.array(w);
            TypedArray gIn = be.array(g);
            be.sgdStep(n, lr, wOut, OFF_W, gIn, OFF_G);

            double[] bound = new double[n];
            for (int i = 0; i < n; i++) {
                bound[i] = ErrorBounds.step(dtype, Math.abs(w[OFF_W + i]) + lr * Math.abs(g[OFF_G + i]));
            }
            compare(be, "sgdStep", shape, "w", wRef, wOut, w, OFF_W, n, bound);
            CrossCheck.assertUnchanged(be, "sgdStep", shape, "g", be.array(g), gIn);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("momentum")
    void momentum(Backend backend, DType dtype, boolean nesterov) {
        SplittableRandom rnd = new SplittableRandom(42);
        double lr = CrossCheck.round(dtype, 0.01);
        double mu = CrossCheck.round(dtype, 0.9);
        for (int n : SIZES) {
            double[] w = weights(rnd, dtype, n);
            double[] g = gradients(rnd, dtype, n);
            double[] v = CrossCheck.vector(rnd, dtype, OFF_S1, n, -1, 1);
            String shape = String.format(Locale.ROOT, "n=%d lr=%s mu=%s nesterov=%s offW=%d offG=%d offV=%d", n, lr, mu,
                    nesterov, OFF_W, OFF_G, OFF_S1);

            TypedBackend ref = CrossCheck.reference(dtype);
            TypedArray wRef = ref.array(w);
            TypedArray vRef = ref.array(v);
            ref.momentumStep(n, lr, mu, nesterov, wRef, OFF_W, ref.array(g), OFF_G, vRef, OFF_S1);
            TypedBackend be = new TypedBackend(backend, dtype);
            TypedArray wOut = be.array(w);
            TypedArray gIn = be.array(g);
            TypedArray vOut = be.array(v);
            be.momentumStep(n, lr, mu, nesterov, wOut, OFF_W, gIn, OFF_G, vOut, OFF_S1);

            double[] wBound = new double[n];
            double[] vBound = new double[n];
            for (int i = 0; i < n; i++) {
                double grad = Math.abs(g[OFF_G + i]);
                double velocity = Math.abs(mu * v[OFF_S1 + i]) + grad;
                double update = nesterov ? grad + mu * velocity : velocity;
                vBound[i] = ErrorBounds.step(dtype, velocity);
                wBound[i] = ErrorBounds.step(dtype, Math.abs(w[OFF_W + i]) + lr * update);
            }
            compare(be, "momentumStep", shape, "v", vRef, vOut, v, OFF_S1, n, vBound);
            compare(be, "momentumStep", shape, "w", wRef, wOut, w, OFF_W, n, wBound);
            CrossCheck.assertUnchanged(be, "momentumStep", shape, "g", be.array(g), gIn);
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("adam")
    void adam(Backend backend, DType dtype, int t) {
        SplittableRandom rnd = new SplittableRandom(42);
        double lr = CrossCheck.round(dtype, 1e-3);
        double beta1 = CrossCheck.round(dtype, 0.9);
        double beta2 = CrossCheck.round(dtype, 0.999);
        double eps = CrossCheck.round(dtype, 1e-8);
        for (int n : SIZES) {
            double[] w = weights(rnd, dtype, n);
            double[] g = gradients(rnd, dtype, n);
            // t = 1 starts from zero moments; later steps from moments of a plausible size.
            double[] m = t == 1 ? new double[OFF_S1 + n + 1] : CrossCheck.vector(rnd, dtype, OFF_S1, n, -0.5, 0.5);
            double[] v = t == 1 ? new double[OFF_S2 + n + 1] : CrossCheck.vector(rnd, dtype, OFF_S2, n, 0, 0.25);
            String shape = String.format(Locale.ROOT, "n=%d t=%d lr=%s beta1=%s beta2=%s eps=%s offW=%d offG=%d offM=%d "
                    + "offV=%d", n, t, lr, beta1, beta2, eps, OFF_W, OFF_G, OFF_S1, OFF_S2);

            TypedBackend ref = CrossCheck.reference(dtype);
            TypedArray wRef = ref.array(w);
            TypedArray mRef = ref.array(m);
            TypedArray vRef = ref.array(v);
            ref.adamStep(n, lr, beta1, beta2, eps, t, wRef, OFF_W, ref.array(g), OFF_G, mRef, OFF_S1, vRef, OFF_S2);
            TypedBackend be = new TypedBackend(backend, dtype);
            TypedArray wOut = be.array(w);
            TypedArray gIn = be.array(g);
            TypedArray mOut = be.array(m);
            TypedArray vOut = be.array(v);
            be.adamStep(n, lr, beta1, beta2, eps, t, wOut, OFF_W, gIn, OFF_G, mOut, OFF_S1, vOut, OFF_S2);

            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            double[] wBound = new double[n];
            double[] mBound = new double[n];
            double[] vBound = new double[n];
            for (int i = 0; i < n; i++) {
                double grad = g[OFF_G + i];
                double first = Math.abs(beta1 * m[OFF_S1 + i]) + Math.abs((1 - beta1) * grad);
                double second = Math.abs(beta2 * v[OFF_S2 + i]) + (1 - beta2) * grad * grad;
                double secondValue = beta2 * v[OFF_S2 + i] + (1 - beta2) * grad * grad;
                mBound[i] = ErrorBounds.step(dtype, first);
                vBound[i] = ErrorBounds.step(dtype, second);
                double update = lr * (first / correction1) / (Math.sqrt(secondValue / correction2) + eps);
                wBound[i] = ErrorBounds.step(dtype, Math.abs(w[OFF_W + i]) + update);
            }
            compare(be, "adamStep", shape, "m", mRef, mOut, m, OFF_S1, n, mBound);
            compare(be, "adamStep", shape, "v", vRef, vOut, v, OFF_S2, n, vBound);
            compare(be, "adamStep", shape, "w", wRef, wOut, w, OFF_W, n, wBound);
            CrossCheck.assertUnchanged(be, "adamStep", shape, "g", be.array(g), gIn);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dtypes")
    void rmsprop(Backend backend, DType dtype) {
        SplittableRandom rnd = new SplittableRandom(42);
        double lr = CrossCheck.round(dtype, 1e-3);
        double rho = CrossCheck.round(dtype, 0.9);
        double eps = CrossCheck.round(dtype, 1e-8);
        for (int n : SIZES) {
            double[] w = weights(rnd, dtype, n);
            double[] g = gradients(rnd, dtype, n);
            double[] s = CrossCheck.vector(rnd, dtype, OFF_S1, n, 0, 0.25);
            String shape = String.format(Locale.ROOT, "n=%d lr=%s rho=%s eps=%s offW=%d offG=%d offS=%d", n, lr, rho, eps,
                    OFF_W, OFF_G, OFF_S1);

            TypedBackend ref = CrossCheck.reference(dtype);
            TypedArray wRef = ref.array(w);
            TypedArray sRef = ref.array(s);
            ref.rmspropStep(n, lr, rho, eps, wRef, OFF_W, ref.array(g), OFF_G, sRef, OFF_S1);
            TypedBackend be = new TypedBackend(backend, dtype);
            TypedArray wOut = be.array(w);
            TypedArray gIn = be.array(g);
            TypedArray sOut = be.array(s);
            be.rmspropStep(n, lr, rho, eps, wOut, OFF_W, gIn, OFF_G, sOut, OFF_S1);

            double[] wBound = new double[n];
            double[] sBound = new double[n];
            for (int i = 0; i < n; i++) {
                double grad = g[OFF_G + i];
                double square = rho * s[OFF_S1 + i] + (1 - rho) * grad * grad;
                sBound[i] = ErrorBounds.step(dtype, Math.abs(rho * s[OFF_S1 + i]) + (1 - rho) * grad * grad);
                wBound[i] = ErrorBounds.step(dtype, Math.abs(w[OFF_W + i]) + lr * Math.abs(grad) / (Math.sqrt(square) + eps));
            }
            compare(be, "rmspropStep", shape, "s", sRef, sOut, s, OFF_S1, n, sBound);
            compare(be, "rmspropStep", shape, "w", wRef, wOut, w, OFF_W, n, wBound);
            CrossCheck.assertUnchanged(be, "rmspropStep", shape, "g", be.array(g), gIn);
        }
    }

    /** The {@code n} elements at {@code off} within their bounds, and nothing else in the array changed. */
    private static void compare(TypedBackend be, String op, String shape, String operand, TypedArray expected, TypedArray actual,
                                double[] before, int off, int n, double[] bound) {
        CrossCheck.assertWithin(be, op, shape, operand, n, CrossCheck.block(actual, off, n, 1, n),
                CrossCheck.block(expected, off, n, 1, n), bound);
        CrossCheck.assertUntouched(be, op, shape, operand, be.array(before), actual, off, n, 1, n);
    }
}
