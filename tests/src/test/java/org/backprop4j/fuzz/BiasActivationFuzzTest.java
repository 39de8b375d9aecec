package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code sbiasActivation}/{@code dbiasActivation} with fuzzed activations (softmax and null
 * included, which must be rejected), shapes, offsets and lengths; see {@link BackendHarness}.
 * {@code X} must be within {@link ErrorBounds#activation} of the reference.
 */
class BiasActivationFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void biasActivation(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        BackendCase c = new BackendCase(f32 ? "sbiasActivation" : "dbiasActivation", s);
        Activation act = c.arg("act", s.pick(Activation.values()));
        int rows = c.arg("rows", s.dim());
        int cols = c.arg("cols", s.dim());
        int offX = c.arg("offX", s.offset());
        int ldx = c.arg("ldx", s.ld(cols));
        int x = c.matrix("x", rows, cols, ldx, offX, false);
        int offBias = c.arg("offBias", s.offset());
        int bias = c.vector("bias", cols, offBias, false);
        c.writes(x, offX, ldx, rows, cols);

        BackendHarness.run(c, rows > 0 && cols > 0, (be, ops) -> {
            if (f32) {
                be.sbiasActivation(act, rows, cols, ops[x].f, offX, ldx, ops[bias].f, offBias);
            } else {
                be.dbiasActivation(act, rows, cols, ops[x].d, offX, ldx, ops[bias].d, offBias);
            }
            return 0;
        }, (ref, out) -> {
            Buf x0 = c.before(x);
            Buf b0 = c.before(bias);
            Compare.region(c, out, ref, x, "x", offX, ldx, rows, cols, (r, col, expected) ->
                    ErrorBounds.activation(s.dtype, act, x0.get(offX + r * ldx + col) + b0.get(offBias + col), expected));
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("biasActivation");
    }
}
