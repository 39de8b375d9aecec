package org.backprop4j.crosscheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.backprop4j.backend.Transpose;

/**
 * GEMM in the four transpose pairs, within {@link ErrorBounds#gemm}: a scalar, a row times a
 * column, vectors both ways, {@code k = 1} and {@code k = 0}, random odd shapes and one larger
 * product, each with {@code β = 0} over a C full of NaN, {@code β = 1} and {@code β = 0.5}, and
 * {@code α = 0} over an A and B full of NaN (never read). Outside the block it writes, C must be
 * untouched; A and B must not change.
 */
final class GemmCases {

    /** {m, n, k}. */
    private static final int[][] EDGES = {{1, 1, 1}, {1, 1, 300}, {1, 13, 7}, {13, 1, 7}, {7, 13, 1}, {3, 5, 0}};
    private static final double[] BETAS = {0, 1, 0.5};

    private GemmCases() {
    }

    static void run(CaseContext ctx) {
        List<int[]> shapes = new ArrayList<>(List.of(EDGES));
        for (int i = 0; i < (ctx.quick ? 3 : 10); i++) {
            shapes.add(new int[] {ctx.size(130), ctx.size(130), ctx.size(130)});
        }
        if (!ctx.quick) {
            // Long enough for a blocked or threaded BLAS to take another path than for small sizes.
            shapes.add(new int[] {200 + ctx.size(100), 150 + ctx.size(100), 250 + ctx.size(100)});
        }
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                Tally tally = ctx.tally("gemm", letter(ta) + letter(tb));
                for (int[] s : shapes) {
                    for (double beta : BETAS) {
                        double alpha = beta == 1 ? -0.7 : beta == 0 ? 1 : 1.5;
                        check(ctx, tally, ta, tb, s[0], s[1], s[2], alpha, beta);
                    }
                    check(ctx, tally, ta, tb, s[0], s[1], s[2], 0, 0.5);
                }
            }
        }
    }

    private static String letter(Transpose t) {
        return t.isTransposed() ? "T" : "N";
    }

    // C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C
    private static void check(CaseContext ctx, Tally tally, Transpose ta, Transpose tb, int m, int n, int k,
                              double alphaIn, double betaIn) {
        double alpha = ctx.round(alphaIn);
        double beta = ctx.round(betaIn);
        int aRows = ta.isTransposed() ? k : m;
        int aCols = ta.isTransposed() ? m : k;
        int bRows = tb.isTransposed() ? n : k;
        int bCols = tb.isTransposed() ? k : n;
        CaseContext.Layout la = ctx.layout(aCols);
        CaseContext.Layout lb = ctx.layout(bCols);
        CaseContext.Layout lc = ctx.layout(n);
        // alpha == 0: A and B are never read, so NaN there must not reach C; beta == 0: likewise C.
        double[] a = alpha == 0 ? CaseContext.filled(CaseContext.length(la.off(), la.ld(), aRows, aCols), Double.NaN)
                : ctx.matrix(la, aRows, aCols, -1, 1);
        double[] b = alpha == 0 ? CaseContext.filled(CaseContext.length(lb.off(), lb.ld(), bRows, bCols), Double.NaN)
                : ctx.matrix(lb, bRows, bCols, -1, 1);
        double[] c = beta == 0 ? CaseContext.filled(CaseContext.length(lc.off(), lc.ld(), m, n), Double.NaN)
                : ctx.matrix(lc, m, n, -1, 1);
        String shape = String.format(Locale.ROOT, "m=%d n=%d k=%d alpha=%s beta=%s%s offA=%d lda=%d offB=%d ldb=%d "
                        + "offC=%d ldc=%d", m, n, k, alpha, beta, beta == 0 ? " (NaN in C)" : "", la.off(), la.ld(),
                lb.off(), lb.ld(), lc.off(), lc.ld());
        ctx.run(shape, () -> {
            TypedArray cRef = ctx.ref.array(c);
            ctx.ref.gemm(ta, tb, m, n, k, alpha, ctx.ref.array(a), la.off(), la.ld(), ctx.ref.array(b), lb.off(),
                    lb.ld(), beta, cRef, lc.off(), lc.ld());
            TypedArray aIn = ctx.be.array(a);
            TypedArray bIn = ctx.be.array(b);
            TypedArray cOut = ctx.be.array(c);
            ctx.be.gemm(ta, tb, m, n, k, alpha, aIn, la.off(), la.ld(), bIn, lb.off(), lb.ld(), beta, cOut, lc.off(),
                    lc.ld());

            double[] bound = ErrorBounds.gemm(ctx.dtype, ta, tb, m, n, k, alpha, a, la.off(), la.ld(), b, lb.off(),
                    lb.ld(), beta, c, lc.off(), lc.ld());
            tally.within("C", n, CaseContext.block(cOut, lc.off(), lc.ld(), m, n),
                    CaseContext.block(cRef, lc.off(), lc.ld(), m, n), bound);
            tally.untouched("C", c, cOut, lc.off(), lc.ld(), m, n);
            tally.unchanged("A", a, aIn);
            tally.unchanged("B", b, bIn);
        }, tally);
    }
}
