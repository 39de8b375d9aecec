package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * The fused optimizer steps ({@code sgdStep}, {@code momentumStep} with and without Nesterov,
 * {@code adamStep}, {@code rmspropStep}, both dtypes) with fuzzed lengths, hyper-parameters,
 * steps and offsets; see {@link BackendHarness}. In the tame regime (positive learning rates,
 * moments in [0, 1), non-negative second moments) the weights and every state array must be within
 * {@link ErrorBounds#step} of the reference, with the magnitudes OptimizerCrossCheckTest uses.
 */
class OptimizerFuzzTest {

    private static final String[] KINDS = {"sgdStep", "momentumStep", "adamStep", "rmspropStep"};
    private static final double[] RATES = {1e-3, 0.01, 0.1, 0.5, 1};
    private static final double[] MOMENTS = {0.9, 0.99, 0.999, 0.5, 0};
    private static final double[] EPSILONS = {1e-8, 1e-7, 1e-3, 0.1};
    private static final int[] STEPS = {1, 2, 3, 10, 1000, 1_000_000};

    @FuzzTest(maxDuration = "20s")
    void step(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        int kind = data.consumeInt(0, 3);
        BackendCase c = new BackendCase((f32 ? "s" : "d") + KINDS[kind], s);
        int n = c.arg("n", s.dim());
        double lr = c.arg("lr", s.scalar(RATES));
        double h1 = kind == 1 || kind == 2 || kind == 3 ? c.arg(kind == 3 ? "rho" : kind == 2 ? "beta1" : "mu",
                s.scalar(MOMENTS)) : 0;
        double h2 = kind == 2 ? c.arg("beta2", s.scalar(MOMENTS)) : 0;
        double eps = kind >= 2 ? c.arg("eps", s.scalar(EPSILONS)) : 0;
        boolean nesterov = kind == 1 && c.arg("nesterov", s.bool());
        int t = kind == 2 ? c.arg("t", s.tame ? STEPS[data.consumeInt(0, STEPS.length - 1)]
                : data.consumeBoolean() ? s.edgeInt() : data.consumeInt()) : 1;
        int offW = c.arg("offW", s.offset());
        int w = c.vector("w", n, offW, false);
        int offG = c.arg("offG", s.offset());
        int g = c.vector("g", n, offG, false);
        // State: momentum's v, Adam's m and v, RMSProp's s (second moments non-negative when tame).
        int offS1 = kind >= 1 ? c.arg(kind == 2 ? "offM" : kind == 3 ? "offS" : "offV", s.offset()) : 0;
        int s1 = kind >= 1 ? c.vector(kind == 2 ? "m" : kind == 3 ? "s" : "v", n, offS1, kind == 3) : -1;
        int offS2 = kind == 2 ? c.arg("offV", s.offset()) : 0;
        int s2 = kind == 2 ? c.vector("v", n, offS2, true) : -1;
        int ld = Math.max(1, n);
        c.writes(w, offW, ld, 1, n);
        if (s1 >= 0) {
            c.writes(s1, offS1, ld, 1, n);
        }
        if (s2 >= 0) {
            c.writes(s2, offS2, ld, 1, n);
        }

        BackendHarness.run(c, n > 0, (be, ops) -> {
            if (f32) {
                float[] ww = ops[w].f;
                float[] gg = ops[g].f;
                switch (kind) {
                    case 0:
                        be.ssgdStep(n, (float) lr, ww, offW, gg, offG);
                        break;
                    case 1:
                        be.smomentumStep(n, (float) lr, (float) h1, nesterov, ww, offW, gg, offG, ops[s1].f, offS1);
                        break;
                    case 2:
                        be.sadamStep(n, (float) lr, (float) h1, (float) h2, (float) eps, t, ww, offW, gg, offG,
                                ops[s1].f, offS1, ops[s2].f, offS2);
                        break;
                    default:
                        be.srmspropStep(n, (float) lr, (float) h1, (float) eps, ww, offW, gg, offG, ops[s1].f, offS1);
                }
            } else {
                double[] ww = ops[w].d;
                double[] gg = ops[g].d;
                switch (kind) {
                    case 0:
                        be.dsgdStep(n, lr, ww, offW, gg, offG);
                        break;
                    case 1:
                        be.dmomentumStep(n, lr, h1, nesterov, ww, offW, gg, offG, ops[s1].d, offS1);
                        break;
                    case 2:
                        be.dadamStep(n, lr, h1, h2, eps, t, ww, offW, gg, offG, ops[s1].d, offS1, ops[s2].d, offS2);
                        break;
                    default:
                        be.drmspropStep(n, lr, h1, eps, ww, offW, gg, offG, ops[s1].d, offS1);
                }
            }
            return 0;
        }, (ref, out) -> {
            Buf w0 = c.before(w);
            Buf g0 = c.before(g);
            Buf a0 = s1 >= 0 ? c.before(s1) : null;
            Buf b0 = s2 >= 0 ? c.before(s2) : null;
            double[] wBound = new double[n];
            double[] s1Bound = new double[n];
            double[] s2Bound = new double[n];
            double correction1 = 1 - Math.pow(h1, t);
            double correction2 = 1 - Math.pow(h2, t);
            for (int i = 0; i < n; i++) {
                double weight = Math.abs(w0.get(offW + i));
                double grad = g0.get(offG + i);
                switch (kind) {
                    case 0:
                        wBound[i] = ErrorBounds.step(s.dtype, weight + lr * Math.abs(grad));
                        break;
                    case 1: {
                        double velocity = Math.abs(h1 * a0.get(offS1 + i)) + Math.abs(grad);
                        double update = nesterov ? Math.abs(grad) + h1 * velocity : velocity;
                        s1Bound[i] = ErrorBounds.step(s.dtype, velocity);
                        wBound[i] = ErrorBounds.step(s.dtype, weight + lr * update);
                        break;
                    }
                    case 2: {
                        double first = Math.abs(h1 * a0.get(offS1 + i)) + Math.abs((1 - h1) * grad);
                        double second = Math.abs(h2 * b0.get(offS2 + i)) + (1 - h2) * grad * grad;
                        double secondValue = h2 * b0.get(offS2 + i) + (1 - h2) * grad * grad;
                        s1Bound[i] = ErrorBounds.step(s.dtype, first);
                        s2Bound[i] = ErrorBounds.step(s.dtype, second);
                        double update = lr * (first / correction1) / (Math.sqrt(secondValue / correction2) + eps);
                        wBound[i] = ErrorBounds.step(s.dtype, weight + update);
                        break;
                    }
                    default: {
                        double square = h1 * a0.get(offS1 + i) + (1 - h1) * grad * grad;
                        s1Bound[i] = ErrorBounds.step(s.dtype, Math.abs(h1 * a0.get(offS1 + i)) + (1 - h1) * grad * grad);
                        wBound[i] = ErrorBounds.step(s.dtype, weight + lr * Math.abs(grad) / (Math.sqrt(square) + eps));
                    }
                }
            }
            if (s1 >= 0) {
                Compare.region(c, out, ref, s1, kind == 2 ? "m" : kind == 3 ? "s" : "v", offS1, ld, 1, n,
                        (r, i, expected) -> s1Bound[i]);
            }
            if (s2 >= 0) {
                Compare.region(c, out, ref, s2, "v", offS2, ld, 1, n, (r, i, expected) -> s2Bound[i]);
            }
            Compare.region(c, out, ref, w, "w", offW, ld, 1, n, (r, i, expected) -> wBound[i]);
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("optimizer");
    }
}
