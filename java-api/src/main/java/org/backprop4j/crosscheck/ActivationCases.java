package org.backprop4j.crosscheck;

import java.util.List;
import java.util.Locale;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;

/**
 * The bias + activation forward kernel and the activation backward kernel for every element-wise
 * activation, and softmax: relu and identity bit-exact, the others within
 * {@link ErrorBounds#activation}, {@link ErrorBounds#activationBackward} and
 * {@link ErrorBounds#softmax}. Every other case starts with signed zeros, tiny values and the
 * saturating ±80 and ±700; softmax rows include a huge logit, equal logits and ties.
 */
final class ActivationCases {

    /** {rows, cols}: one element, one row, one column. */
    private static final int[][] EDGES = {{1, 1}, {1, 37}, {29, 1}};

    private ActivationCases() {
    }

    static void run(CaseContext ctx) {
        List<int[]> shapes = ctx.shapes(EDGES, ctx.quick ? 2 : 6, 120);
        if (!ctx.quick) {
            shapes.add(new int[] {128, 100});
        }
        for (Activation act : Activation.values()) {
            if (act.isElementwise()) {
                Tally tally = ctx.tally("biasActivation", act.id());
                for (int i = 0; i < shapes.size(); i++) {
                    forward(ctx, tally, act, shapes.get(i)[0], shapes.get(i)[1], i % 2 == 1);
                }
            }
        }
        for (Activation act : Activation.values()) {
            if (act.isElementwise()) {
                Tally tally = ctx.tally("activationBackward", act.id());
                for (int i = 0; i < shapes.size(); i++) {
                    backward(ctx, tally, act, shapes.get(i)[0], shapes.get(i)[1], i % 2 == 1);
                }
            }
        }
        Tally tally = ctx.tally("softmax", null);
        for (int[] s : shapes) {
            softmax(ctx, tally, s[0], s[1]);
        }
    }

    /** Pre-activations that probe zero signs, underflow and saturation. */
    private static double[] specials(DType dtype) {
        double small = dtype == DType.FLOAT32 ? 1e-37 : 1e-300;
        return new double[] {0.0, -0.0, small, -small, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 1, -1, 15, -15,
            30, -30, 80, -80, 700, -700};
    }

    /** Uniform in {@code [lo, hi)}; with {@code specials}, the block starts with {@link #specials}. */
    private static double[] input(CaseContext ctx, CaseContext.Layout l, int rows, int cols, double lo, double hi,
                                  boolean specials) {
        double[] x = ctx.matrix(l, rows, cols, lo, hi);
        if (specials) {
            double[] s = specials(ctx.dtype);
            for (int i = 0; i < Math.min(rows * cols, 3 * s.length); i++) {
                x[CaseContext.at(l.off(), l.ld(), i / cols, i % cols)] = ctx.round(s[i % s.length]);
            }
        }
        return x;
    }

    // X (rows, cols) = g(X + bias), bias (cols)
    private static void forward(CaseContext ctx, Tally tally, Activation act, int rows, int cols, boolean specials) {
        CaseContext.Layout l = ctx.layout(cols);
        int offBias = ctx.rnd.nextInt(3);
        double[] x = input(ctx, l, rows, cols, -30, 30, specials);
        // -0 as the bias keeps every special, -0 included, as the pre-activation.
        double[] bias = specials ? CaseContext.filled(offBias + cols + 1, -0.0) : ctx.vector(offBias, cols, -1, 1);
        String shape = String.format(Locale.ROOT, "rows=%d cols=%d offX=%d ldx=%d offBias=%d%s", rows, cols, l.off(),
                l.ld(), offBias, specials ? " special inputs" : "");
        ctx.run(shape, () -> {
            TypedArray xRef = ctx.ref.array(x);
            ctx.ref.biasActivation(act, rows, cols, xRef, l.off(), l.ld(), ctx.ref.array(bias), offBias);
            TypedArray xOut = ctx.be.array(x);
            TypedArray biasIn = ctx.be.array(bias);
            ctx.be.biasActivation(act, rows, cols, xOut, l.off(), l.ld(), biasIn, offBias);

            double[] expected = CaseContext.block(xRef, l.off(), l.ld(), rows, cols);
            double[] bound = new double[expected.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    double z = x[CaseContext.at(l.off(), l.ld(), r, c)] + bias[offBias + c];
                    bound[r * cols + c] = ErrorBounds.activation(ctx.dtype, act, z, expected[r * cols + c]);
                }
            }
            tally.within("X", cols, CaseContext.block(xOut, l.off(), l.ld(), rows, cols), expected, bound);
            tally.untouched("X", x, xOut, l.off(), l.ld(), rows, cols);
            tally.unchanged("bias", bias, biasIn);
        }, tally);
    }

    // dX (rows, cols) *= g'(Z), from A = g(Z) (rows, cols)
    private static void backward(CaseContext ctx, Tally tally, Activation act, int rows, int cols, boolean specials) {
        CaseContext.Layout la = ctx.layout(cols);
        CaseContext.Layout ldx = ctx.layout(cols);
        // The forward output A = g(Z) as a layer keeps it, from the reference.
        TypedArray forward = ctx.ref.array(input(ctx, la, rows, cols, -30, 30, specials));
        ctx.ref.biasActivation(act, rows, cols, forward, la.off(), la.ld(), ctx.ref.array(new double[cols]), 0);
        double[] a = forward.toDouble();
        double[] dx = input(ctx, ldx, rows, cols, -2, 2, false);
        if (specials) {
            double[] incoming = {0.0, -0.0, 1e-30, -1e-30, 1e6, -1e6};
            for (int i = 0; i < Math.min(rows * cols, 2 * incoming.length); i++) {
                int at = CaseContext.at(ldx.off(), ldx.ld(), i / cols, i % cols);
                dx[at] = ctx.round(incoming[(i * 7) % incoming.length]);
            }
        }
        String shape = String.format(Locale.ROOT, "rows=%d cols=%d offA=%d lda=%d offDx=%d lddx=%d%s", rows, cols,
                la.off(), la.ld(), ldx.off(), ldx.ld(), specials ? " special inputs" : "");
        ctx.run(shape, () -> {
            TypedArray dxRef = ctx.ref.array(dx);
            ctx.ref.activationBackward(act, rows, cols, ctx.ref.array(a), la.off(), la.ld(), dxRef, ldx.off(), ldx.ld());
            TypedArray aIn = ctx.be.array(a);
            TypedArray dxOut = ctx.be.array(dx);
            ctx.be.activationBackward(act, rows, cols, aIn, la.off(), la.ld(), dxOut, ldx.off(), ldx.ld());

            double[] expected = CaseContext.block(dxRef, ldx.off(), ldx.ld(), rows, cols);
            double[] bound = new double[expected.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    bound[r * cols + c] = ErrorBounds.activationBackward(ctx.dtype, act,
                            a[CaseContext.at(la.off(), la.ld(), r, c)], dx[CaseContext.at(ldx.off(), ldx.ld(), r, c)],
                            expected[r * cols + c]);
                }
            }
            tally.within("dX", cols, CaseContext.block(dxOut, ldx.off(), ldx.ld(), rows, cols), expected, bound);
            tally.untouched("dX", dx, dxOut, ldx.off(), ldx.ld(), rows, cols);
            tally.unchanged("A", a, aIn);
        }, tally);
    }

    // each row of X (rows, cols) = softmax(row)
    private static void softmax(CaseContext ctx, Tally tally, int rows, int cols) {
        CaseContext.Layout l = ctx.layout(cols);
        double[] x = logits(ctx, l, rows, cols, 30);
        String shape = String.format(Locale.ROOT, "rows=%d cols=%d offX=%d ldx=%d", rows, cols, l.off(), l.ld());
        ctx.run(shape, () -> {
            TypedArray xRef = ctx.ref.array(x);
            ctx.ref.softmax(rows, cols, xRef, l.off(), l.ld());
            TypedArray xOut = ctx.be.array(x);
            ctx.be.softmax(rows, cols, xOut, l.off(), l.ld());

            double[] expected = CaseContext.block(xRef, l.off(), l.ld(), rows, cols);
            tally.within("X", cols, CaseContext.block(xOut, l.off(), l.ld(), rows, cols), expected,
                    softmaxBounds(ctx.dtype, rows, cols, x, l, expected));
            tally.untouched("X", x, xOut, l.off(), l.ld(), rows, cols);
        }, tally);
    }

    /**
     * Logits uniform in {@code [-spread, spread)}; row 0 has one huge logit (1000), row 1 is all
     * equal, row 2 is all -1000 but one, row 3 holds ties at the maximum.
     */
    static double[] logits(CaseContext ctx, CaseContext.Layout l, int rows, int cols, double spread) {
        double[] x = ctx.matrix(l, rows, cols, -spread, spread);
        for (int c = 0; c < cols; c++) {
            if (rows > 0) {
                x[CaseContext.at(l.off(), l.ld(), 0, c)] = c == cols / 2 ? 1000 : x[CaseContext.at(l.off(), l.ld(), 0, c)];
            }
            if (rows > 1) {
                x[CaseContext.at(l.off(), l.ld(), 1, c)] = ctx.round(3.7);
            }
            if (rows > 2) {
                x[CaseContext.at(l.off(), l.ld(), 2, c)] = c == 0 ? 2 : -1000;
            }
            if (rows > 3 && c % 2 == 0) {
                x[CaseContext.at(l.off(), l.ld(), 3, c)] = spread;
            }
        }
        return x;
    }

    /** {@link ErrorBounds#softmax} of every element, from the logits and the reference probabilities. */
    static double[] softmaxBounds(DType dtype, int rows, int cols, double[] z, CaseContext.Layout l, double[] p) {
        double[] bound = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[CaseContext.at(l.off(), l.ld(), r, c)]);
            }
            for (int c = 0; c < cols; c++) {
                double shifted = z[CaseContext.at(l.off(), l.ld(), r, c)] - max;
                bound[r * cols + c] = ErrorBounds.softmax(dtype, cols, shifted, p[r * cols + c]);
            }
        }
        return bound;
    }
}
