package org.backprop4j.crosscheck;

import java.util.Locale;

/**
 * axpy and scal within {@link ErrorBounds#step}, at offsets, with edge scalars: axpy by 0 and by
 * 1, and scal by 0 writing zeros over NaN (how gradients are zeroed).
 */
final class VectorCases {

    private static final double[] ALPHAS = {1, -0.7, 0, 3.5};

    private VectorCases() {
    }

    static void run(CaseContext ctx) {
        int[] sizes = sizes(ctx);
        Tally axpy = ctx.tally("axpy", null);
        Tally scal = ctx.tally("scal", null);
        for (int n : sizes) {
            for (double alpha : ALPHAS) {
                axpy(ctx, axpy, n, ctx.round(alpha));
                scal(ctx, scal, n, ctx.round(alpha == 3.5 ? 0.5 : alpha));
            }
        }
    }

    /** 1, then random odd and even sizes, and 1000 unless quick. */
    static int[] sizes(CaseContext ctx) {
        return ctx.quick ? new int[] {1, ctx.size(50)}
                : new int[] {1, ctx.size(20), ctx.size(200), ctx.size(2000), 1000};
    }

    // y (n) += alpha · x (n)
    private static void axpy(CaseContext ctx, Tally tally, int n, double alpha) {
        int offX = ctx.rnd.nextInt(4);
        int offY = ctx.rnd.nextInt(4);
        double[] x = ctx.vector(offX, n, -1, 1);
        double[] y = ctx.vector(offY, n, -1, 1);
        String shape = String.format(Locale.ROOT, "n=%d alpha=%s offX=%d offY=%d", n, alpha, offX, offY);
        ctx.run(shape, () -> {
            TypedArray yRef = ctx.ref.array(y);
            ctx.ref.axpy(n, alpha, ctx.ref.array(x), offX, yRef, offY);
            TypedArray xIn = ctx.be.array(x);
            TypedArray yOut = ctx.be.array(y);
            ctx.be.axpy(n, alpha, xIn, offX, yOut, offY);

            double[] bound = new double[n];
            for (int i = 0; i < n; i++) {
                bound[i] = ErrorBounds.step(ctx.dtype, Math.abs(y[offY + i]) + Math.abs(alpha * x[offX + i]));
            }
            tally.within("y", n, CaseContext.block(yOut, offY, n, 1, n), CaseContext.block(yRef, offY, n, 1, n), bound);
            tally.untouched("y", y, yOut, offY, n, 1, n);
            tally.unchanged("x", x, xIn);
        }, tally);
    }

    // x (n) *= alpha
    private static void scal(CaseContext ctx, Tally tally, int n, double alpha) {
        int off = ctx.rnd.nextInt(4);
        double[] x = ctx.vector(off, n, -1, 1);
        if (alpha == 0) {
            // Zeroing gradients: whatever was there, NaN included, becomes 0.
            for (int i = 0; i < n; i += 2) {
                x[off + i] = Double.NaN;
            }
        }
        String shape = String.format(Locale.ROOT, "n=%d alpha=%s%s off=%d", n, alpha, alpha == 0 ? " (NaN in x)" : "",
                off);
        ctx.run(shape, () -> {
            TypedArray xRef = ctx.ref.array(x);
            ctx.ref.scal(n, alpha, xRef, off);
            TypedArray xOut = ctx.be.array(x);
            ctx.be.scal(n, alpha, xOut, off);

            double[] bound = new double[n];
            for (int i = 0; i < n; i++) {
                bound[i] = alpha == 0 ? 0 : ErrorBounds.step(ctx.dtype, Math.abs(alpha * x[off + i]));
            }
            tally.within("x", n, CaseContext.block(xOut, off, n, 1, n), CaseContext.block(xRef, off, n, 1, n), bound);
            tally.untouched("x", x, xOut, off, n, 1, n);
        }, tally);
    }
}
