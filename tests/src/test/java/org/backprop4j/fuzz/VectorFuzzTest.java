package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code axpy} and {@code scal} (both dtypes) with fuzzed lengths, scalars and offsets; see
 * {@link BackendHarness}. Results must be within {@link ErrorBounds#step} of the reference, and
 * {@code scal} by 0 must write zeros in any regime, NaN included.
 */
class VectorFuzzTest {

    private static final double[] ALPHAS = {1, -1, 0.5, 2, 0, -0.75, 0.001};

    @FuzzTest(maxDuration = "20s")
    void vector(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        boolean axpy = data.consumeBoolean();
        BackendCase c = new BackendCase((f32 ? "s" : "d") + (axpy ? "axpy" : "scal"), s);
        int n = c.arg("n", s.dim());
        double alpha = c.arg("alpha", s.scalar(ALPHAS));
        int offX = c.arg("offX", s.offset());
        int x = c.vector("x", n, offX, false);
        int offY = axpy ? c.arg("offY", s.offset()) : 0;
        int y = axpy ? c.vector("y", n, offY, false) : -1;
        int out = axpy ? y : x;
        int offOut = axpy ? offY : offX;
        c.writes(out, offOut, Math.max(1, n), 1, n);

        BackendHarness.run(c, n > 0, (be, ops) -> {
            if (axpy && f32) {
                be.saxpy(n, (float) alpha, ops[x].f, offX, ops[y].f, offY);
            } else if (axpy) {
                be.daxpy(n, alpha, ops[x].d, offX, ops[y].d, offY);
            } else if (f32) {
                be.sscal(n, (float) alpha, ops[x].f, offX);
            } else {
                be.dscal(n, alpha, ops[x].d, offX);
            }
            return 0;
        }, (ref, result) -> {
            Buf x0 = c.before(x);
            Buf y0 = axpy ? c.before(y) : null;
            Compare.region(c, result, ref, out, axpy ? "y" : "x", offOut, Math.max(1, n), 1, n, (r, i, expected) ->
                    ErrorBounds.step(s.dtype, Math.abs(alpha * x0.get(offX + i)) + (axpy ? Math.abs(y0.get(offY + i)) : 0)));
        }, (ref, result) -> {
            if (axpy || alpha != 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (result.ops()[x].get(offX + i) != 0) {
                    throw c.mismatch(result.backend(), "x[" + (offX + i) + "] is " + result.ops()[x].get(offX + i)
                            + " after scaling by 0");
                }
            }
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("vector");
    }
}
