package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code sactivationBackward}/{@code dactivationBackward} with fuzzed activations, shapes, offsets
 * and lengths; see {@link BackendHarness}. {@code dX} must be within
 * {@link ErrorBounds#activationBackward} of the reference.
 */
class ActivationBackwardFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void activationBackward(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        BackendCase c = new BackendCase(f32 ? "sactivationBackward" : "dactivationBackward", s);
        Activation act = c.arg("act", s.pick(Activation.values()));
        int rows = c.arg("rows", s.dim());
        int cols = c.arg("cols", s.dim());
        int offA = c.arg("offA", s.offset());
        int lda = c.arg("lda", s.ld(cols));
        int a = c.matrix("a", rows, cols, lda, offA, false);
        int offDx = c.arg("offDx", s.offset());
        int lddx = c.arg("lddx", s.ld(cols));
        int dx = c.matrix("dx", rows, cols, lddx, offDx, false);
        c.writes(dx, offDx, lddx, rows, cols);

        BackendHarness.run(c, rows > 0 && cols > 0, (be, ops) -> {
            if (f32) {
                be.sactivationBackward(act, rows, cols, ops[a].f, offA, lda, ops[dx].f, offDx, lddx);
            } else {
                be.dactivationBackward(act, rows, cols, ops[a].d, offA, lda, ops[dx].d, offDx, lddx);
            }
            return 0;
        }, (ref, out) -> {
            Buf a0 = c.before(a);
            Buf dx0 = c.before(dx);
            Compare.region(c, out, ref, dx, "dx", offDx, lddx, rows, cols, (r, col, expected) ->
                    ErrorBounds.activationBackward(s.dtype, act, a0.get(offA + r * lda + col),
                            dx0.get(offDx + r * lddx + col), expected));
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("activationBackward");
    }
}
