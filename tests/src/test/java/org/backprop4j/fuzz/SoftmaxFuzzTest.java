package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code ssoftmax}/{@code dsoftmax} with fuzzed shapes, offsets and lengths; see
 * {@link BackendHarness}. {@code X} must be within {@link ErrorBounds#softmax} of the reference.
 */
class SoftmaxFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void softmax(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        BackendCase c = new BackendCase(f32 ? "ssoftmax" : "dsoftmax", s);
        int rows = c.arg("rows", s.dim());
        int cols = c.arg("cols", s.dim());
        int offX = c.arg("offX", s.offset());
        int ldx = c.arg("ldx", s.ld(cols));
        int x = c.matrix("x", rows, cols, ldx, offX, false);
        c.writes(x, offX, ldx, rows, cols);

        BackendHarness.run(c, rows > 0 && cols > 0, (be, ops) -> {
            if (f32) {
                be.ssoftmax(rows, cols, ops[x].f, offX, ldx);
            } else {
                be.dsoftmax(rows, cols, ops[x].d, offX, ldx);
            }
            return 0;
        }, (ref, out) -> {
            double[] max = rowMax(c.before(x), offX, ldx, rows, cols);
            Buf x0 = c.before(x);
            Compare.region(c, out, ref, x, "x", offX, ldx, rows, cols, (r, col, expected) ->
                    ErrorBounds.softmax(s.dtype, cols, x0.get(offX + r * ldx + col) - max[r], expected));
        });
    }

    static double[] rowMax(Buf z, int off, int ld, int rows, int cols) {
        double[] max = new double[rows];
        for (int r = 0; r < rows; r++) {
            max[r] = Double.NEGATIVE_INFINITY;
            for (int col = 0; col < cols; col++) {
                max[r] = Math.max(max[r], z.get(off + r * ld + col));
            }
        }
        return max;
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("softmax");
    }
}
