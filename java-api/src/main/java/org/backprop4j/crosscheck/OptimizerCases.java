package org.backprop4j.crosscheck;

import java.util.Locale;

/**
 * The fused optimizer steps: the weights and every state array (velocity, moments) within
 * {@link ErrorBounds#step} of the magnitudes each combines. Weights include exact zeros, where the
 * update alone sets the bound; gradients include zeros and large values. Adam runs its first step
 * (zero moments) and a later one.
 */
final class OptimizerCases {

    private OptimizerCases() {
    }

    /** Where the operands of one case sit: w, g and two state arrays, at different offsets. */
    private record Offsets(int w, int g, int s1, int s2) {
        static Offsets random(CaseContext ctx) {
            return new Offsets(ctx.rnd.nextInt(4), ctx.rnd.nextInt(4), ctx.rnd.nextInt(4), ctx.rnd.nextInt(4));
        }
    }

    static void run(CaseContext ctx) {
        int[] sizes = VectorCases.sizes(ctx);
        Tally sgd = ctx.tally("sgdStep", null);
        Tally momentum = ctx.tally("momentumStep", null);
        Tally nesterov = ctx.tally("momentumStep", "nesterov");
        Tally adam = ctx.tally("adamStep", null);
        Tally rmsprop = ctx.tally("rmspropStep", null);
        for (int n : sizes) {
            sgd(ctx, sgd, n);
            momentum(ctx, momentum, n, false);
            momentum(ctx, nesterov, n, true);
            adam(ctx, adam, n, 1);
            adam(ctx, adam, n, 2 + ctx.rnd.nextInt(999));
            rmsprop(ctx, rmsprop, n);
        }
    }

    private static double[] weights(CaseContext ctx, int off, int n) {
        double[] w = ctx.vector(off, n, -1, 1);
        for (int i = 0; i < n; i += 5) {
            w[off + i] = 0;
        }
        return w;
    }

    private static double[] gradients(CaseContext ctx, int off, int n) {
        double[] g = ctx.vector(off, n, -1, 1);
        for (int i = 0; i < n; i++) {
            if (i % 11 == 4) {
                g[off + i] = 0;
            } else if (i % 13 == 6) {
                g[off + i] = ctx.round(100 * g[off + i]);
            }
        }
        return g;
    }

    // w (n) -= lr · g (n)
    private static void sgd(CaseContext ctx, Tally tally, int n) {
        Offsets o = Offsets.random(ctx);
        double lr = ctx.round(0.01);
        double[] w = weights(ctx, o.w, n);
        double[] g = gradients(ctx, o.g, n);
        String shape = String.format(Locale.ROOT, "n=%d lr=%s offW=%d offG=%d", n, lr, o.w, o.g);
        ctx.run(shape, () -> {
            TypedArray wRef = ctx.ref.array(w);
            ctx.ref.sgdStep(n, lr, wRef, o.w, ctx.ref.array(g), o.g);
            TypedArray wOut = ctx.be.array(w);
            TypedArray gIn = ctx.be.array(g);
            ctx.be.sgdStep(n, lr, wOut, o.w, gIn, o.g);

            double[] bound = new double[n];
            for (int i = 0; i < n; i++) {
                bound[i] = ErrorBounds.step(ctx.dtype, Math.abs(w[o.w + i]) + lr * Math.abs(g[o.g + i]));
            }
            compare(tally, "w", wRef, wOut, w, o.w, n, bound);
            tally.unchanged("g", g, gIn);
        }, tally);
    }

    // v (n) = mu · v + g; w (n) -= lr · v, or w -= lr · (g + mu · v) (Nesterov)
    private static void momentum(CaseContext ctx, Tally tally, int n, boolean nesterov) {
        Offsets o = Offsets.random(ctx);
        double lr = ctx.round(0.01);
        double mu = ctx.round(0.9);
        double[] w = weights(ctx, o.w, n);
        double[] g = gradients(ctx, o.g, n);
        double[] v = ctx.vector(o.s1, n, -1, 1);
        String shape = String.format(Locale.ROOT, "n=%d lr=%s mu=%s offW=%d offG=%d offV=%d", n, lr, mu, o.w, o.g, o.s1);
        ctx.run(shape, () -> {
            TypedArray wRef = ctx.ref.array(w);
            TypedArray vRef = ctx.ref.array(v);
            ctx.ref.momentumStep(n, lr, mu, nesterov, wRef, o.w, ctx.ref.array(g), o.g, vRef, o.s1);
            TypedArray wOut = ctx.be.array(w);
            TypedArray gIn = ctx.be.array(g);
            TypedArray vOut = ctx.be.array(v);
            ctx.be.momentumStep(n, lr, mu, nesterov, wOut, o.w, gIn, o.g, vOut, o.s1);

            double[] wBound = new double[n];
            double[] vBound = new double[n];
            for (int i = 0; i < n; i++) {
                double grad = Math.abs(g[o.g + i]);
                double velocity = Math.abs(mu * v[o.s1 + i]) + grad;
                double update = nesterov ? grad + mu * velocity : velocity;
                vBound[i] = ErrorBounds.step(ctx.dtype, velocity);
                wBound[i] = ErrorBounds.step(ctx.dtype, Math.abs(w[o.w + i]) + lr * update);
            }
            compare(tally, "v", vRef, vOut, v, o.s1, n, vBound);
            compare(tally, "w", wRef, wOut, w, o.w, n, wBound);
            tally.unchanged("g", g, gIn);
        }, tally);
    }

    // m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²; w -= lr · (m / (1 − b1^t)) / (sqrt(v / (1 − b2^t)) + eps)
    // w, g, m, v are (n)
    private static void adam(CaseContext ctx, Tally tally, int n, int t) {
        Offsets o = Offsets.random(ctx);
        double lr = ctx.round(1e-3);
        double beta1 = ctx.round(0.9);
        double beta2 = ctx.round(0.999);
        double eps = ctx.round(1e-8);
        double[] w = weights(ctx, o.w, n);
        double[] g = gradients(ctx, o.g, n);
        // t = 1 starts from zero moments; later steps from moments of a plausible size.
        double[] m = t == 1 ? new double[o.s1 + n + 1] : ctx.vector(o.s1, n, -0.5, 0.5);
        double[] v = t == 1 ? new double[o.s2 + n + 1] : ctx.vector(o.s2, n, 0, 0.25);
        String shape = String.format(Locale.ROOT, "n=%d t=%d lr=%s beta1=%s beta2=%s eps=%s offW=%d offG=%d offM=%d "
                + "offV=%d", n, t, lr, beta1, beta2, eps, o.w, o.g, o.s1, o.s2);
        ctx.run(shape, () -> {
            TypedArray wRef = ctx.ref.array(w);
            TypedArray mRef = ctx.ref.array(m);
            TypedArray vRef = ctx.ref.array(v);
            ctx.ref.adamStep(n, lr, beta1, beta2, eps, t, wRef, o.w, ctx.ref.array(g), o.g, mRef, o.s1, vRef, o.s2);
            TypedArray wOut = ctx.be.array(w);
            TypedArray gIn = ctx.be.array(g);
            TypedArray mOut = ctx.be.array(m);
            TypedArray vOut = ctx.be.array(v);
            ctx.be.adamStep(n, lr, beta1, beta2, eps, t, wOut, o.w, gIn, o.g, mOut, o.s1, vOut, o.s2);

            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            double[] wBound = new double[n];
            double[] mBound = new double[n];
            double[] vBound = new double[n];
            for (int i = 0; i < n; i++) {
                double grad = g[o.g + i];
                double first = Math.abs(beta1 * m[o.s1 + i]) + Math.abs((1 - beta1) * grad);
                double second = Math.abs(beta2 * v[o.s2 + i]) + (1 - beta2) * grad * grad;
                double secondValue = beta2 * v[o.s2 + i] + (1 - beta2) * grad * grad;
                mBound[i] = ErrorBounds.step(ctx.dtype, first);
                vBound[i] = ErrorBounds.step(ctx.dtype, second);
                double update = lr * (first / correction1) / (Math.sqrt(secondValue / correction2) + eps);
                wBound[i] = ErrorBounds.step(ctx.dtype, Math.abs(w[o.w + i]) + update);
            }
            compare(tally, "m", mRef, mOut, m, o.s1, n, mBound);
            compare(tally, "v", vRef, vOut, v, o.s2, n, vBound);
            compare(tally, "w", wRef, wOut, w, o.w, n, wBound);
            tally.unchanged("g", g, gIn);
        }, tally);
    }

    // s = rho·s + (1−rho)·g²; w -= lr · g / (sqrt(s) + eps), all (n)
    private static void rmsprop(CaseContext ctx, Tally tally, int n) {
        Offsets o = Offsets.random(ctx);
        double lr = ctx.round(1e-3);
        double rho = ctx.round(0.9);
        double eps = ctx.round(1e-8);
        double[] w = weights(ctx, o.w, n);
        double[] g = gradients(ctx, o.g, n);
        double[] s = ctx.vector(o.s1, n, 0, 0.25);
        String shape = String.format(Locale.ROOT, "n=%d lr=%s rho=%s eps=%s offW=%d offG=%d offS=%d", n, lr, rho, eps,
                o.w, o.g, o.s1);
        ctx.run(shape, () -> {
            TypedArray wRef = ctx.ref.array(w);
            TypedArray sRef = ctx.ref.array(s);
            ctx.ref.rmspropStep(n, lr, rho, eps, wRef, o.w, ctx.ref.array(g), o.g, sRef, o.s1);
            TypedArray wOut = ctx.be.array(w);
            TypedArray gIn = ctx.be.array(g);
            TypedArray sOut = ctx.be.array(s);
            ctx.be.rmspropStep(n, lr, rho, eps, wOut, o.w, gIn, o.g, sOut, o.s1);

            double[] wBound = new double[n];
            double[] sBound = new double[n];
            for (int i = 0; i < n; i++) {
                double grad = g[o.g + i];
                double square = rho * s[o.s1 + i] + (1 - rho) * grad * grad;
                sBound[i] = ErrorBounds.step(ctx.dtype, Math.abs(rho * s[o.s1 + i]) + (1 - rho) * grad * grad);
                double update = lr * Math.abs(grad) / (Math.sqrt(square) + eps);
                wBound[i] = ErrorBounds.step(ctx.dtype, Math.abs(w[o.w + i]) + update);
            }
            compare(tally, "s", sRef, sOut, s, o.s1, n, sBound);
            compare(tally, "w", wRef, wOut, w, o.w, n, wBound);
            tally.unchanged("g", g, gIn);
        }, tally);
    }

    /** The {@code n} elements at {@code off} within their bounds, and nothing else in the array changed. */
    private static void compare(Tally tally, String operand, TypedArray expected, TypedArray actual, double[] before,
                                int off, int n, double[] bound) {
        tally.within(operand, n, CaseContext.block(actual, off, n, 1, n), CaseContext.block(expected, off, n, 1, n),
                bound);
        tally.untouched(operand, before, actual, off, n, 1, n);
    }
}
