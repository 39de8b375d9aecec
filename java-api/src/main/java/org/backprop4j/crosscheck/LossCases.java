package org.backprop4j.crosscheck;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.backprop4j.nn.Activation;

/**
 * The fused losses, one report row per output: the probabilities left in Z, the gradient dZ and
 * the returned loss, within their element bounds and the loss bounds of {@link ErrorBounds}; with
 * a separate dZ, without one (null), and with dZ written over Z, in turn. Logits reach ±1000
 * (softmax) and ±800 (sigmoid), where a loss computed from probabilities instead of logits
 * overflows. Mean squared error: its gradient dA and its value.
 */
final class LossCases {

    /** {rows, cols}: one element, one column, one row. */
    private static final int[][] EDGES = {{1, 1}, {5, 1}, {1, 10}};

    /** Where a case asks the kernel to write dZ. */
    private enum Gradient { SEPARATE, NONE, IN_PLACE }

    /** Softmax cross-entropy or sigmoid binary cross-entropy, called through a {@link TypedBackend}. */
    private interface Fused {
        double call(TypedBackend be, int rows, int cols, TypedArray z, int offZ, int ldz, TypedArray y, int offY,
                    int ldy, TypedArray dz, int offDz, int lddz);
    }

    /** The three report rows of a fused loss. */
    private record Rows(Tally p, Tally dz, Tally loss) {
        static Rows of(CaseContext ctx, String op, String gradient) {
            return new Rows(ctx.tally(op, "P"), ctx.tally(op, gradient), ctx.tally(op, "loss"));
        }
    }

    /** The operands of one case and where they sit. */
    private record Operands(int rows, int cols, CaseContext.Layout z, CaseContext.Layout y, CaseContext.Layout dz,
                            Gradient gradient) {
        /** E.g. {@code "rows=7 cols=13 offZ=2 ldz=17 offY=0 ldy=13 offDz=1 lddz=15"}; {@code z} names Z. */
        String describe(String z) {
            String lower = z.toLowerCase(Locale.ROOT);
            return String.format(Locale.ROOT, "rows=%d cols=%d off%s=%d ld%s=%d offY=%d ldy=%d %s", rows, cols, z,
                    this.z.off(), lower, this.z.ld(), y.off(), y.ld(), gradient == Gradient.NONE ? "d" + z + "=null"
                            : gradient == Gradient.IN_PLACE ? "d" + z + "=" + z
                            : "offD" + lower + "=" + dz.off() + " ldd" + lower + "=" + dz.ld());
        }
    }

    private LossCases() {
    }

    static void run(CaseContext ctx) {
        List<int[]> shapes = ctx.shapes(EDGES, ctx.quick ? 3 : 9, 100);
        Rows softmax = Rows.of(ctx, "softmaxCrossEntropy", "dZ");
        Rows sigmoid = Rows.of(ctx, "sigmoidBinaryCrossEntropy", "dZ");
        Rows mse = new Rows(null, ctx.tally("meanSquaredError", "dA"), ctx.tally("meanSquaredError", "loss"));
        for (int i = 0; i < shapes.size(); i++) {
            Gradient g = Gradient.values()[i % 3];
            softmaxCrossEntropy(ctx, softmax, operands(ctx, shapes.get(i), g));
            sigmoidBinaryCrossEntropy(ctx, sigmoid, operands(ctx, shapes.get(i), g));
            meanSquaredError(ctx, mse, operands(ctx, shapes.get(i), i % 2 == 0 ? Gradient.SEPARATE : Gradient.NONE));
        }
    }

    private static Operands operands(CaseContext ctx, int[] shape, Gradient g) {
        int cols = shape[1];
        return new Operands(shape[0], cols, ctx.layout(cols), ctx.layout(cols), ctx.layout(cols), g);
    }

    private static void softmaxCrossEntropy(CaseContext ctx, Rows rows, Operands o) {
        double[] z = ActivationCases.logits(ctx, o.z, o.rows, o.cols, 30);
        double[] y = ctx.matrix(o.y, o.rows, o.cols, -1, 1);
        for (int r = 0; r < o.rows; r++) {
            // One-hot rows (row 0's target is not its huge logit), and one row of soft targets.
            int hot = r == 0 ? 0 : ctx.rnd.nextInt(o.cols);
            double[] soft = new double[o.cols];
            double total = 0;
            for (int c = 0; c < o.cols; c++) {
                soft[c] = ctx.rnd.nextDouble();
                total += soft[c];
            }
            for (int c = 0; c < o.cols; c++) {
                y[CaseContext.at(o.y.off(), o.y.ld(), r, c)] = r == 4 ? ctx.round(soft[c] / total) : c == hot ? 1 : 0;
            }
        }
        double lossBound = ErrorBounds.softmaxCrossEntropy(ctx.dtype, o.rows, o.cols, z, o.z.off(), o.z.ld(), y,
                o.y.off(), o.y.ld());
        fused(ctx, rows, TypedBackend::softmaxCrossEntropy, o, z, y, lossBound,
                p -> ActivationCases.softmaxBounds(ctx.dtype, o.rows, o.cols, z, o.z, p), o.rows);
    }

    private static void sigmoidBinaryCrossEntropy(CaseContext ctx, Rows rows, Operands o) {
        double[] extremes = {800, -800, 700, -700, 80, -80, 30, -30, 0.0, -0.0, 1e-30, 17};
        double[] z = ctx.matrix(o.z, o.rows, o.cols, -30, 30);
        double[] y = ctx.matrix(o.y, o.rows, o.cols, -1, 1);
        for (int i = 0; i < o.rows * o.cols; i++) {
            int zi = CaseContext.at(o.z.off(), o.z.ld(), i / o.cols, i % o.cols);
            if (i < 2 * extremes.length) {
                z[zi] = ctx.round(extremes[i % extremes.length]);
            }
            // Hard labels, some soft ones; the extremes are confidently wrong once, then right.
            double target;
            if (i % 7 == 3) {
                target = 0.25;
            } else if (i < 2 * extremes.length) {
                target = (i / extremes.length) % 2 == 0 ? i % 2 : 1 - i % 2;
            } else {
                target = ctx.rnd.nextInt(2);
            }
            y[CaseContext.at(o.y.off(), o.y.ld(), i / o.cols, i % o.cols)] = target;
        }
        double lossBound = ErrorBounds.sigmoidBinaryCrossEntropy(ctx.dtype, o.rows, o.cols, z, o.z.off(), o.z.ld(), y,
                o.y.off(), o.y.ld());
        fused(ctx, rows, TypedBackend::sigmoidBinaryCrossEntropy, o, z, y, lossBound, p -> {
            double[] bound = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                double logit = z[CaseContext.at(o.z.off(), o.z.ld(), i / o.cols, i % o.cols)];
                bound[i] = ErrorBounds.activation(ctx.dtype, Activation.SIGMOID, logit, p[i]);
            }
            return bound;
        }, (double) o.rows * o.cols);
    }

    // P (rows, cols) = g(Z) in Z; dZ = (P − Y) / count; returns the loss
    private static void fused(CaseContext ctx, Rows rows, Fused kernel, Operands o, double[] z, double[] y,
                              double lossBound, Function<double[], double[]> probabilityBounds, double count) {
        double[] dzInit = ctx.matrix(o.dz, o.rows, o.cols, -1, 1);
        Gradient g = o.gradient;
        Tally[] checked = g == Gradient.SEPARATE ? new Tally[] {rows.p, rows.dz, rows.loss}
                : g == Gradient.NONE ? new Tally[] {rows.p, rows.loss} : new Tally[] {rows.dz, rows.loss};
        ctx.run(o.describe("Z"), () -> {
            // The reference always writes a separate dZ, so that both P and dZ are known.
            TypedArray zRef = ctx.ref.array(z);
            TypedArray dzRef = ctx.ref.array(dzInit);
            double lossRef = kernel.call(ctx.ref, o.rows, o.cols, zRef, o.z.off(), o.z.ld(), ctx.ref.array(y),
                    o.y.off(), o.y.ld(), dzRef, o.dz.off(), o.dz.ld());
            double[] p = CaseContext.block(zRef, o.z.off(), o.z.ld(), o.rows, o.cols);
            double[] pBound = probabilityBounds.apply(p);

            TypedArray zOut = ctx.be.array(z);
            TypedArray yIn = ctx.be.array(y);
            TypedArray dzOut = g == Gradient.SEPARATE ? ctx.be.array(dzInit) : g == Gradient.IN_PLACE ? zOut : null;
            CaseContext.Layout dzAt = g == Gradient.IN_PLACE ? o.z : o.dz;
            double loss = kernel.call(ctx.be, o.rows, o.cols, zOut, o.z.off(), o.z.ld(), yIn, o.y.off(), o.y.ld(),
                    dzOut, dzAt.off(), dzAt.ld());

            rows.loss.within("loss", loss, lossRef, lossBound);
            rows.loss.unchanged("Y", y, yIn);
            if (g != Gradient.IN_PLACE) {
                rows.p.within("P (in Z)", o.cols, CaseContext.block(zOut, o.z.off(), o.z.ld(), o.rows, o.cols), p,
                        pBound);
                rows.p.untouched("Z", z, zOut, o.z.off(), o.z.ld(), o.rows, o.cols);
            }
            if (g != Gradient.NONE) {
                double[] expected = CaseContext.block(dzRef, o.dz.off(), o.dz.ld(), o.rows, o.cols);
                double[] bound = new double[expected.length];
                for (int i = 0; i < bound.length; i++) {
                    double target = y[CaseContext.at(o.y.off(), o.y.ld(), i / o.cols, i % o.cols)];
                    bound[i] = ErrorBounds.lossGradient(ctx.dtype, pBound[i], p[i], target, count);
                }
                rows.dz.within("dZ", o.cols, CaseContext.block(dzOut, dzAt.off(), dzAt.ld(), o.rows, o.cols), expected,
                        bound);
                rows.dz.untouched("dZ", g == Gradient.SEPARATE ? dzInit : z, dzOut, dzAt.off(), dzAt.ld(), o.rows,
                        o.cols);
            }
        }, checked);
    }

    // loss = mean((A − Y)²) over A, Y (rows, cols); dA = 2 (A − Y) / (rows · cols)
    private static void meanSquaredError(CaseContext ctx, Rows rows, Operands o) {
        double[] a = ctx.matrix(o.z, o.rows, o.cols, -3, 3);
        double[] y = ctx.matrix(o.y, o.rows, o.cols, -3, 3);
        if (o.rows * o.cols > 1) {
            y[o.y.off()] = a[o.z.off()]; // an exact hit: gradient 0
        }
        double[] daInit = ctx.matrix(o.dz, o.rows, o.cols, -1, 1);
        boolean withGradient = o.gradient == Gradient.SEPARATE;
        String shape = o.describe("A");
        Tally[] checked = withGradient ? new Tally[] {rows.dz, rows.loss} : new Tally[] {rows.loss};
        ctx.run(shape, () -> {
            TypedArray daRef = ctx.ref.array(daInit);
            double lossRef = ctx.ref.meanSquaredError(o.rows, o.cols, ctx.ref.array(a), o.z.off(), o.z.ld(),
                    ctx.ref.array(y), o.y.off(), o.y.ld(), daRef, o.dz.off(), o.dz.ld());
            TypedArray aIn = ctx.be.array(a);
            TypedArray yIn = ctx.be.array(y);
            TypedArray daOut = withGradient ? ctx.be.array(daInit) : null;
            double loss = ctx.be.meanSquaredError(o.rows, o.cols, aIn, o.z.off(), o.z.ld(), yIn, o.y.off(), o.y.ld(),
                    daOut, o.dz.off(), o.dz.ld());

            rows.loss.within("loss", loss, lossRef, ErrorBounds.meanSquaredError(ctx.dtype, o.rows, o.cols, a,
                    o.z.off(), o.z.ld(), y, o.y.off(), o.y.ld()));
            rows.loss.unchanged("A", a, aIn);
            rows.loss.unchanged("Y", y, yIn);
            if (withGradient) {
                double[] expected = CaseContext.block(daRef, o.dz.off(), o.dz.ld(), o.rows, o.cols);
                double[] bound = new double[expected.length];
                for (int i = 0; i < bound.length; i++) {
                    bound[i] = ErrorBounds.elementwise(ctx.dtype, expected[i]);
                }
                rows.dz.within("dA", o.cols, CaseContext.block(daOut, o.dz.off(), o.dz.ld(), o.rows, o.cols), expected,
                        bound);
                rows.dz.untouched("dA", daInit, daOut, o.dz.off(), o.dz.ld(), o.rows, o.cols);
            }
        }, checked);
    }
}
