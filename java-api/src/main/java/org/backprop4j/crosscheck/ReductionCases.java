package org.backprop4j.crosscheck;

import java.util.List;
import java.util.Locale;

/**
 * Column sums (the bias gradient) within {@link ErrorBounds#reduction}: they accumulate into a
 * non-zero {@code y}, over shapes from one element to a thousand rows. The loss values are
 * reductions too; {@link LossCases} checks them.
 */
final class ReductionCases {

    /** {rows, cols}: one element, one row, one column, a long column. */
    private static final int[][] EDGES = {{1, 1}, {1, 64}, {7, 1}, {1000, 3}};

    private ReductionCases() {
    }

    static void run(CaseContext ctx) {
        List<int[]> shapes = ctx.shapes(EDGES, ctx.quick ? 2 : 8, 300);
        Tally tally = ctx.tally("columnSums", null);
        for (int[] s : shapes) {
            columnSums(ctx, tally, s[0], s[1]);
        }
    }

    // y (cols) += Σ_r X[r] over X (rows, cols)
    private static void columnSums(CaseContext ctx, Tally tally, int rows, int cols) {
        CaseContext.Layout l = ctx.layout(cols);
        int offY = ctx.rnd.nextInt(3);
        double[] x = ctx.matrix(l, rows, cols, -1, 1);
        double[] y = ctx.vector(offY, cols, -4, 4);
        String shape = String.format(Locale.ROOT, "rows=%d cols=%d offX=%d ldx=%d offY=%d", rows, cols, l.off(), l.ld(),
                offY);
        ctx.run(shape, () -> {
            TypedArray yRef = ctx.ref.array(y);
            ctx.ref.columnSums(rows, cols, ctx.ref.array(x), l.off(), l.ld(), yRef, offY);
            TypedArray xIn = ctx.be.array(x);
            TypedArray yOut = ctx.be.array(y);
            ctx.be.columnSums(rows, cols, xIn, l.off(), l.ld(), yOut, offY);

            double[] bound = new double[cols];
            for (int c = 0; c < cols; c++) {
                double terms = Math.abs(y[offY + c]);
                for (int r = 0; r < rows; r++) {
                    terms += Math.abs(x[CaseContext.at(l.off(), l.ld(), r, c)]);
                }
                bound[c] = ErrorBounds.reduction(ctx.dtype, rows + 1, terms);
            }
            tally.within("y", cols, CaseContext.block(yOut, offY, cols, 1, cols), CaseContext.block(yRef, offY, cols, 1,
                    cols), bound);
            tally.untouched("y", y, yOut, offY, cols, 1, cols);
            tally.unchanged("X", x, xIn);
        }, tally);
    }
}
