package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code scolumnSums}/{@code dcolumnSums} with fuzzed shapes, offsets and lengths; see
 * {@link BackendHarness}. {@code y} must be within {@link ErrorBounds#reduction} of the reference
 * ({@code rows + 1} terms: the column and the old {@code y}).
 */
class ColumnSumsFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void columnSums(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        BackendCase c = new BackendCase(f32 ? "scolumnSums" : "dcolumnSums", s);
        int rows = c.arg("rows", s.dim());
        int cols = c.arg("cols", s.dim());
        int offX = c.arg("offX", s.offset());
        int ldx = c.arg("ldx", s.ld(cols));
        int x = c.matrix("x", rows, cols, ldx, offX, false);
        int offY = c.arg("offY", s.offset());
        int y = c.vector("y", cols, offY, false);
        c.writes(y, offY, Math.max(1, cols), 1, cols);

        BackendHarness.run(c, rows > 0 && cols > 0, (be, ops) -> {
            if (f32) {
                be.scolumnSums(rows, cols, ops[x].f, offX, ldx, ops[y].f, offY);
            } else {
                be.dcolumnSums(rows, cols, ops[x].d, offX, ldx, ops[y].d, offY);
            }
            return 0;
        }, (ref, out) -> {
            Buf x0 = c.before(x);
            Buf y0 = c.before(y);
            Compare.region(c, out, ref, y, "y", offY, Math.max(1, cols), 1, cols, (r, col, expected) -> {
                double terms = Math.abs(y0.get(offY + col));
                for (int i = 0; i < rows; i++) {
                    terms += Math.abs(x0.get(offX + i * ldx + col));
                }
                return ErrorBounds.reduction(s.dtype, rows + 1L, terms);
            });
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("columnSums");
    }
}
