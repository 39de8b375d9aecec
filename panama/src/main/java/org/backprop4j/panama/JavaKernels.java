package org.backprop4j.panama;

import java.util.Arrays;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.Activation;

/**
 * The element-wise kernels of the panama backend, in plain Java written for the C2 JIT's
 * auto-vectorizer. Every formula is the one of the reference backend ({@code ReferenceBackend});
 * arguments have been validated by {@code AbstractBackend}.
 *
 * <p>Accuracy. The float kernels evaluate the reference's double expressions and round once, so
 * identity, relu, leaky relu, every activation derivative, column sums, the MSE gradient, axpy,
 * scal and the optimizer steps agree with it bit for bit. The double kernels do the same, and
 * their sigmoid, tanh and softmax call {@link Math#exp}/{@link Math#tanh} as the reference does.
 * The float sigmoid, tanh and softmax use {@link #expNonPositive}/{@link #expm1NonPositive}, a
 * double-precision exp built from arithmetic alone (relative error below 4e-12), so they round
 * to the reference's float in all but a few elements in 10^5, and then differ by one ulp. Loss values are sums in the reference's
 * order; the BCE loss takes {@code log1p} from {@link #log1pUnit}.
 *
 * <p>How the loops are written, from measurements on JDK 25 (x86-64, AVX-512, JMH):
 * <ul>
 * <li>C2 vectorizes float and double arithmetic, conversions between float, double, int and long,
 *     and {@code Math.max/min/abs/signum/sqrt}. It does not vectorize calls ({@code Math.exp} is a
 *     scalar stub), conditional moves ({@code a > 0 ? x : y} becomes a branch), or the bit casts
 *     ({@code Double.doubleToRawLongBits}) with which exp usually builds {@code 2^n}; and a loop
 *     body beyond its unroll limit (about 60 nodes) is not vectorized either. Hence the squaring
 *     exp below, selects written as arithmetic ({@link #positive}), and long computations split
 *     into several short loops.</li>
 * <li>Two arrays of the same element type may be one array, so a loop that writes one and reads
 *     the other at a different index expression ({@code x[offX + i]}, {@code b[offB + i]}) is
 *     vectorized only sometimes, depending on how and when C2 compiled it: float relu with its
 *     bias at another offset ran at 1.6 ns an element, with the bias in a double array at 0.3 ns.
 *     So every loop here either indexes all its arrays of one type by the same expression (then
 *     even the same array has no dependence between iterations) or pairs a float array with
 *     double scratch (float[] and double[] never alias). Kernels whose operands come at different
 *     offsets copy them to scratch first ({@link Scratch}); the network's calls, whose operands
 *     share offsets, do not need to. Operands in one array at different offsets, which may
 *     overlap, go to the reference kernels instead: their plain loops define that result.</li>
 * </ul>
 */
final class JavaKernels {

    /** Elements per scratch block: 4 KB of doubles, well inside L1. */
    static final int BLOCK = 512;

    private static final double LEAK = Activation.LEAKY_RELU_SLOPE;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * For operands that share one array at different offsets, and may therefore overlap: the
     * reference's plain loops define what such a call computes, and copying to scratch would
     * change it. No network makes such calls.
     */
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    /**
     * Per-thread scratch, so that no kernel allocates after its first call on a thread: blocks of
     * {@link #BLOCK} floats and doubles for staging, and two rows of doubles that grow to the
     * widest row seen.
     */
    private static final class Scratch {
        final float[] f0 = new float[BLOCK];
        final float[] f1 = new float[BLOCK];
        final float[] f2 = new float[BLOCK];
        final float[] f3 = new float[BLOCK];
        final double[] d0 = new double[BLOCK];
        final double[] d1 = new double[BLOCK];
        final double[] d2 = new double[BLOCK];
        final double[] d3 = new double[BLOCK];
        private double[] row0 = new double[BLOCK];
        private double[] row1 = new double[BLOCK];

        double[] row0(int n) {
            if (row0.length < n) {
                row0 = new double[n];
            }
            return row0;
        }

        double[] row1(int n) {
            if (row1.length < n) {
                row1 = new double[n];
            }
            return row1;
        }
    }

    private JavaKernels() {
    }

    // ---- Element functions, shared by the float and double kernels ---------------------------

    // e^x for x <= 0 (or NaN), in place over t[from, to): e^x = (e^(x/2^14))^(2^14), with e^y a
    // Taylor polynomial of degree 5 for |y| <= 110/2^14 (truncation below 2e-16 relative) and 14
    // squarings, each of which doubles the relative error: below 4e-12 in all (measured 1.7e-12
    // for x >= -20, 3.6e-12 down to the clamp), far below a float ulp (6e-8) but too much for a
    // double exp. No bit casts, no table: every step vectorizes. Fewer squarings need a longer
    // polynomial, and a degree-12 one took twice as long (its loop is long for C2's unrolling).
    // The squarings are two loops of 7 for the same reason. Below -110 the result (< 2e-48) is 0
    // as a float.
    static void expNonPositive(double[] t, int from, int to) {
        for (int i = from; i < to; i++) {
            double y = Math.max(t[i], -110.0) * 0x1p-14;
            t[i] = 1 + y * (1 + y * (1.0 / 2 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120)))));
        }
        square7(t, from, to);
        square7(t, from, to);
    }

    private static void square7(double[] t, int from, int to) {
        for (int i = from; i < to; i++) {
            double p = t[i];
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            p *= p;
            t[i] = p;
        }
    }

    // e^x - 1 for x <= 0 (or NaN), in place over t[from, to), accurate relative to the result also
    // near 0: q = e^y - 1 by its Taylor polynomial, then e^(2y) - 1 = q (q + 2) fourteen times.
    // q + 2 is in [1, 2], so nothing cancels; each doubling at most doubles the relative error.
    static void expm1NonPositive(double[] t, int from, int to) {
        for (int i = from; i < to; i++) {
            double y = Math.max(t[i], -110.0) * 0x1p-14;
            t[i] = y * (1 + y * (1.0 / 2 + y * (1.0 / 6 + y * (1.0 / 24 + y * (1.0 / 120 + y * (1.0 / 720))))));
        }
        double7(t, from, to);
        double7(t, from, to);
    }

    private static void double7(double[] t, int from, int to) {
        for (int i = from; i < to; i++) {
            double q = t[i];
            q *= q + 2;
            q *= q + 2;
            q *= q + 2;
            q *= q + 2;
            q *= q + 2;
            q *= q + 2;
            q *= q + 2;
            t[i] = q;
        }
    }

    // log(1 + e) for e in [0, 1] (or NaN), in place over t[from, to): 2 atanh(s) with s = e / (2 + e)
    // in [0, 1/3], whose odd series converges by s^2 <= 1/9 a term; 17 terms reach 1e-17 relative.
    static void log1pUnit(double[] t, int from, int to) {
        for (int i = from; i < to; i++) {
            double e = t[i];
            double s = e / (2 + e);
            double s2 = s * s;
            t[i] = 2 * s * (1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11
                    + s2 * (1.0 / 13 + s2 * (1.0 / 15 + s2 * (1.0 / 17 + s2 * (1.0 / 19 + s2 * (1.0 / 21
                    + s2 * (1.0 / 23 + s2 * (1.0 / 25 + s2 * (1.0 / 27 + s2 * (1.0 / 29 + s2 * (1.0 / 31
                    + s2 * (1.0 / 33)))))))))))))))));
        }
    }

    /**
     * {@code 1 / (1 + e^-z)} for {@code z >= 0}, {@code e^z / (1 + e^z)} below, given
     * {@code e = e^-|z|}: the reference's sigmoid, with its branch as arithmetic. {@code pos} is 1
     * for {@code z > 0} and 0 otherwise (at {@code z = ±0} both forms give 1/2); NaN stays NaN.
     */
    static double sigmoidFromExp(double z, double e) {
        double pos = Math.max(Math.signum(z), 0.0);
        return (pos + (1 - pos) * e) / (1 + e);
    }

    /** {@code tanh(z) = sign(z) · -m / (2 + m)} given {@code m = e^(-2|z|) - 1}; keeps -0. */
    static double tanhFromExpm1(double z, double m) {
        return -m / (2 + m) * Math.signum(z);
    }

    /** 1 if {@code a > 0}, else 0 (also for NaN): {@code a > 0 ? 1 : 0} in a form that vectorizes. */
    static int positive(double a) {
        // a · 2^1075 is at least 2 for the smallest positive double; (int) maps NaN to 0 and saturates.
        return Math.max(0, Math.min(1, (int) (a * 0x1p1023 * 0x1p52)));
    }

    // ---- Bias + activation forward -----------------------------------------------------------

    // X[r][c] = g(X[r][c] + bias[c])
    // X is (rows, cols), bias is (cols)
    // The bias goes to a double row first: float x[xr + c] then pairs with double bb[c] (and e[c]),
    // and the loops vectorize whatever the offsets (see the class comment).
    static void sbiasActivation(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                float[] bias, int offBias) {
        if (x == bias) {
            REFERENCE.sbiasActivation(act, rows, cols, x, offX, ldx, bias, offBias);
            return;
        }
        Scratch s = SCRATCH.get();
        double[] bb = s.row0(cols);
        for (int c = 0; c < cols; c++) {
            bb[c] = bias[offBias + c];
        }
        switch (act) {
            case IDENTITY -> sidentity(rows, cols, x, offX, ldx, bb);
            case RELU -> srelu(rows, cols, x, offX, ldx, bb);
            case LEAKY_RELU -> sleakyRelu(rows, cols, x, offX, ldx, bb);
            case SIGMOID -> ssigmoid(rows, cols, x, offX, ldx, bb, s.row1(cols));
            case TANH -> stanh(rows, cols, x, offX, ldx, bb, s.row1(cols));
            default -> throw new IllegalArgumentException(act + " is not element-wise");
        }
    }

    private static void sidentity(int rows, int cols, float[] x, int offX, int ldx, double[] bb) {
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            for (int c = 0; c < cols; c++) {
                x[xr + c] = (float) (x[xr + c] + bb[c]);
            }
        }
    }

    // Math.max(0, z) keeps NaN and makes -0 +0, as the reference.
    private static void srelu(int rows, int cols, float[] x, int offX, int ldx, double[] bb) {
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            for (int c = 0; c < cols; c++) {
                x[xr + c] = (float) Math.max(0.0, x[xr + c] + bb[c]);
            }
        }
    }

    // z > 0 ? z : 0.01 z == max(z, 0.01 z), also for ±0, infinities and NaN.
    private static void sleakyRelu(int rows, int cols, float[] x, int offX, int ldx, double[] bb) {
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            for (int c = 0; c < cols; c++) {
                double z = x[xr + c] + bb[c];
                x[xr + c] = (float) Math.max(z, LEAK * z);
            }
        }
    }

    // In blocks of BLOCK columns, so that e's block stays in L1 between the three passes.
    private static void ssigmoid(int rows, int cols, float[] x, int offX, int ldx, double[] bb, double[] e) {
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int end = Math.min(cols, c0 + BLOCK);
                for (int c = c0; c < end; c++) {
                    e[c] = -Math.abs(x[xr + c] + bb[c]);
                }
                expNonPositive(e, c0, end);
                for (int c = c0; c < end; c++) {
                    x[xr + c] = (float) sigmoidFromExp(x[xr + c] + bb[c], e[c]);
                }
            }
        }
    }

    private static void stanh(int rows, int cols, float[] x, int offX, int ldx, double[] bb, double[] m) {
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int end = Math.min(cols, c0 + BLOCK);
                for (int c = c0; c < end; c++) {
                    m[c] = -2 * Math.abs(x[xr + c] + bb[c]);
                }
                expm1NonPositive(m, c0, end);
                for (int c = c0; c < end; c++) {
                    x[xr + c] = (float) tanhFromExpm1(x[xr + c] + bb[c], m[c]);
                }
            }
        }
    }

    // X[r][c] = g(X[r][c] + bias[c])
    // X is (rows, cols), bias is (cols)
    // Each row is copied to scratch, computed there against the bias copied to scratch at the same
    // index, and copied back: double x and double bias at different offsets do not vectorize.
    static void dbiasActivation(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                double[] bias, int offBias) {
        if (x == bias) {
            REFERENCE.dbiasActivation(act, rows, cols, x, offX, ldx, bias, offBias);
            return;
        }
        Scratch s = SCRATCH.get();
        double[] bb = s.row0(cols);
        double[] t = s.row1(cols);
        System.arraycopy(bias, offBias, bb, 0, cols);
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            System.arraycopy(x, xr, t, 0, cols);
            switch (act) {
                case IDENTITY -> didentity(cols, t, bb);
                case RELU -> drelu(cols, t, bb);
                case LEAKY_RELU -> dleakyRelu(cols, t, bb);
                case SIGMOID -> dsigmoid(cols, t, bb);
                case TANH -> dtanh(cols, t, bb);
                default -> throw new IllegalArgumentException(act + " is not element-wise");
            }
            System.arraycopy(t, 0, x, xr, cols);
        }
    }

    private static void didentity(int n, double[] t, double[] bb) {
        for (int c = 0; c < n; c++) {
            t[c] = t[c] + bb[c];
        }
    }

    private static void drelu(int n, double[] t, double[] bb) {
        for (int c = 0; c < n; c++) {
            t[c] = Math.max(0.0, t[c] + bb[c]);
        }
    }

    private static void dleakyRelu(int n, double[] t, double[] bb) {
        for (int c = 0; c < n; c++) {
            double z = t[c] + bb[c];
            t[c] = Math.max(z, LEAK * z);
        }
    }

    // Math.exp and Math.tanh as in the reference: the squaring exp is not accurate enough for doubles.
    private static void dsigmoid(int n, double[] t, double[] bb) {
        for (int c = 0; c < n; c++) {
            double z = t[c] + bb[c];
            t[c] = sigmoidFromExp(z, Math.exp(-Math.abs(z)));
        }
    }

    private static void dtanh(int n, double[] t, double[] bb) {
        for (int c = 0; c < n; c++) {
            t[c] = Math.tanh(t[c] + bb[c]);
        }
    }

    // ---- Activation backward -----------------------------------------------------------------
    // dX *= g'(z) from the output a: 1, a > 0, a > 0 ? 1 : 0.01, a (1 - a), 1 - a^2. Multiplying by
    // 0 rather than storing 0 keeps the reference's NaN · 0 = NaN and -x · 0 = -0. The kernels
    // proper (...At) take one offset for both operands; operands at different offsets or leading
    // dimensions are staged through scratch in blocks.

    // dX[r][c] *= g'(z), taken from the output A[r][c] = g(z)
    // A and dX are (rows, cols)
    static void sactivationBackward(Activation act, int rows, int cols, float[] a, int offA, int lda,
                                    float[] dx, int offDx, int lddx) {
        if (act == Activation.IDENTITY) {
            return; // dx · 1 == dx
        }
        if (a == dx && (offA != offDx || lda != lddx)) {
            // Before any rows are merged below: the reference checks its arguments again.
            REFERENCE.sactivationBackward(act, rows, cols, a, offA, lda, dx, offDx, lddx);
            return;
        }
        if (lda == cols && lddx == cols) {
            cols *= rows; // both contiguous: one long row (rows · cols is at most an array length)
            rows = 1;
            lda = cols;
            lddx = cols;
        }
        if (offA == offDx && lda == lddx) {
            for (int r = 0; r < rows; r++) {
                sbackwardAt(act, cols, a, dx, offA + r * lda);
            }
            return;
        }
        Scratch s = SCRATCH.get();
        for (int r = 0; r < rows; r++) {
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int w = Math.min(BLOCK, cols - c0);
                System.arraycopy(a, offA + r * lda + c0, s.f0, 0, w);
                System.arraycopy(dx, offDx + r * lddx + c0, s.f1, 0, w);
                sbackwardAt(act, w, s.f0, s.f1, 0);
                System.arraycopy(s.f1, 0, dx, offDx + r * lddx + c0, w);
            }
        }
    }

    // dx[o + i] *= g'(a[o + i]), i in [0, n)
    private static void sbackwardAt(Activation act, int n, float[] a, float[] dx, int o) {
        switch (act) {
            case RELU -> {
                for (int i = o; i < o + n; i++) {
                    dx[i] = (float) (dx[i] * (double) positive(a[i]));
                }
            }
            case LEAKY_RELU -> {
                for (int i = o; i < o + n; i++) {
                    double p = positive(a[i]);
                    dx[i] = (float) (dx[i] * (p + (1 - p) * LEAK));
                }
            }
            case SIGMOID -> {
                for (int i = o; i < o + n; i++) {
                    double av = a[i];
                    dx[i] = (float) (dx[i] * (av * (1 - av)));
                }
            }
            case TANH -> {
                for (int i = o; i < o + n; i++) {
                    double av = a[i];
                    dx[i] = (float) (dx[i] * (1 - av * av));
                }
            }
            default -> throw new IllegalArgumentException(act + " has no derivative kernel");
        }
    }

    // dX[r][c] *= g'(z), taken from the output A[r][c] = g(z)
    // A and dX are (rows, cols)
    static void dactivationBackward(Activation act, int rows, int cols, double[] a, int offA, int lda,
                                    double[] dx, int offDx, int lddx) {
        if (act == Activation.IDENTITY) {
            return;
        }
        if (a == dx && (offA != offDx || lda != lddx)) {
            REFERENCE.dactivationBackward(act, rows, cols, a, offA, lda, dx, offDx, lddx);
            return;
        }
        if (lda == cols && lddx == cols) {
            cols *= rows;
            rows = 1;
            lda = cols;
            lddx = cols;
        }
        if (offA == offDx && lda == lddx) {
            for (int r = 0; r < rows; r++) {
                dbackwardAt(act, cols, a, dx, offA + r * lda);
            }
            return;
        }
        Scratch s = SCRATCH.get();
        for (int r = 0; r < rows; r++) {
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int w = Math.min(BLOCK, cols - c0);
                System.arraycopy(a, offA + r * lda + c0, s.d0, 0, w);
                System.arraycopy(dx, offDx + r * lddx + c0, s.d1, 0, w);
                dbackwardAt(act, w, s.d0, s.d1, 0);
                System.arraycopy(s.d1, 0, dx, offDx + r * lddx + c0, w);
            }
        }
    }

    // dx[o + i] *= g'(a[o + i]), i in [0, n)
    private static void dbackwardAt(Activation act, int n, double[] a, double[] dx, int o) {
        switch (act) {
            case RELU -> {
                for (int i = o; i < o + n; i++) {
                    dx[i] = dx[i] * positive(a[i]);
                }
            }
            case LEAKY_RELU -> {
                for (int i = o; i < o + n; i++) {
                    double p = positive(a[i]);
                    dx[i] = dx[i] * (p + (1 - p) * LEAK);
                }
            }
            case SIGMOID -> {
                for (int i = o; i < o + n; i++) {
                    double av = a[i];
                    dx[i] = dx[i] * (av * (1 - av));
                }
            }
            case TANH -> {
                for (int i = o; i < o + n; i++) {
                    double av = a[i];
                    dx[i] = dx[i] * (1 - av * av);
                }
            }
            default -> throw new IllegalArgumentException(act + " has no derivative kernel");
        }
    }

    // ---- Softmax -----------------------------------------------------------------------------

    /** max_c x[xi + c] over n > 0 elements; NaN if any is NaN, as the reference's Math.max loop. */
    private static float rowMax(float[] x, int xi, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            m = Math.max(m, x[xi + c]);
        }
        return m;
    }

    private static double rowMax(double[] x, int xi, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            m = Math.max(m, x[xi + c]);
        }
        return m;
    }

    /** e[c] = e^(x[xi + c] - max) for c in [0, n); returns their sum, in order. */
    private static double shiftedExp(float[] x, int xi, int n, double max, double[] e) {
        for (int c = 0; c < n; c++) {
            e[c] = x[xi + c] - max;
        }
        expNonPositive(e, 0, n);
        double sum = 0;
        for (int c = 0; c < n; c++) {
            sum += e[c];
        }
        return sum;
    }

    // X[r][c] = exp(X[r][c] - max_r) / Σ_j exp(X[r][j] - max_r)
    // X is (rows, cols)
    static void ssoftmax(int rows, int cols, float[] x, int offX, int ldx) {
        double[] e = SCRATCH.get().row0(cols);
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            double sum = shiftedExp(x, xr, cols, rowMax(x, xr, cols), e);
            for (int c = 0; c < cols; c++) {
                x[xr + c] = (float) (e[c] / sum);
            }
        }
    }

    // X[r][c] = exp(X[r][c] - max_r) / Σ_j exp(X[r][j] - max_r)
    // X is (rows, cols)
    static void dsoftmax(int rows, int cols, double[] x, int offX, int ldx) {
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            double max = rowMax(x, xr, cols);
            // The exps are stored and then divided: the same doubles the reference computes twice.
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double e = Math.exp(x[xr + c] - max);
                x[xr + c] = e;
                sum += e;
            }
            for (int c = 0; c < cols; c++) {
                x[xr + c] = x[xr + c] / sum;
            }
        }
    }

    // ---- Column sums -------------------------------------------------------------------------
    // A row of double accumulators turns the column sums into row additions; each column is still
    // summed from y[c] in row order, as in the reference, so the results are the same bits.

    // y[c] += Σ_r X[r][c]
    // X is (rows, cols), y is (cols)
    static void scolumnSums(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY) {
        if (x == y) {
            REFERENCE.scolumnSums(rows, cols, x, offX, ldx, y, offY);
            return;
        }
        double[] acc = SCRATCH.get().row0(cols);
        for (int c = 0; c < cols; c++) {
            acc[c] = y[offY + c];
        }
        for (int r = 0; r < rows; r++) {
            int xr = offX + r * ldx;
            for (int c = 0; c < cols; c++) {
                acc[c] += x[xr + c];
            }
        }
        for (int c = 0; c < cols; c++) {
            y[offY + c] = (float) acc[c];
        }
    }

    // y[c] += Σ_r X[r][c]
    // X is (rows, cols), y is (cols)
    static void dcolumnSums(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY) {
        if (x == y) {
            REFERENCE.dcolumnSums(rows, cols, x, offX, ldx, y, offY);
            return;
        }
        Scratch s = SCRATCH.get();
        double[] acc = s.row0(cols);
        double[] t = s.row1(cols);
        System.arraycopy(y, offY, acc, 0, cols);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, offX + r * ldx, t, 0, cols);
            for (int c = 0; c < cols; c++) {
                acc[c] += t[c];
            }
        }
        System.arraycopy(acc, 0, y, offY, cols);
    }

    // ---- Fused losses ------------------------------------------------------------------------
    // Z is read before the same element of dZ is written, so dZ may be Z itself (then Z ends up
    // holding dZ). The loss is summed in double in the reference's element order. In the float
    // kernels each loop writes one float array and otherwise reads double scratch.

    /**
     * True if Y shares an array with Z or dZ, or dZ is Z at another place: calls the float kernels
     * below cannot stage (they read Y after writing Z). dZ written over Z itself is fine.
     */
    private static boolean sharesArray(float[] z, int offZ, int ldz, float[] y, float[] dz, int offDz, int lddz) {
        return y == z || (dz != null && (y == dz || (dz == z && (offDz != offZ || lddz != ldz))));
    }

    /** {@code -y log p} given {@code log p}; a zero target contributes exactly 0 (0 log 0 = 0). */
    private static double crossEntropyTerm(double target, double logP) {
        return target == 0 ? 0 : -target * logP;
    }

    // Z = P = softmax(Z); loss = -(1/rows) Σ Y (Z - max - log Σ exp(Z - max)); dZ = (P - Y) / rows
    // Z, Y, dZ are (rows, cols)
    static double ssoftmaxCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz,
                                       float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        if (sharesArray(z, offZ, ldz, y, dz, offDz, lddz)) {
            return REFERENCE.ssoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
        }
        Scratch s = SCRATCH.get();
        double[] p = s.row0(cols);
        double[] t = s.row1(cols);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int zr = offZ + r * ldz;
            int yr = offY + r * ldy;
            double max = rowMax(z, zr, cols);
            double sum = shiftedExp(z, zr, cols, max, p);
            double logSum = Math.log(sum);
            for (int c = 0; c < cols; c++) {
                total += crossEntropyTerm(y[yr + c], (z[zr + c] - max) - logSum);
            }
            for (int c = 0; c < cols; c++) {
                p[c] = p[c] / sum;
            }
            for (int c = 0; c < cols; c++) {
                z[zr + c] = (float) p[c];
            }
            if (dz != null) {
                for (int c = 0; c < cols; c++) {
                    t[c] = y[yr + c];
                }
                int dzr = offDz + r * lddz;
                for (int c = 0; c < cols; c++) {
                    dz[dzr + c] = (float) ((p[c] - t[c]) / rows);
                }
            }
        }
        return total / rows;
    }

    // Z = P = softmax(Z); loss = -(1/rows) Σ Y (Z - max - log Σ exp(Z - max)); dZ = (P - Y) / rows
    // Z, Y, dZ are (rows, cols)
    // Two Math.exp an element, as the reference; the output layer is small.
    static double dsoftmaxCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz,
                                       double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int zr = offZ + r * ldz;
            int yr = offY + r * ldy;
            double max = rowMax(z, zr, cols);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(z[zr + c] - max);
            }
            double logSum = Math.log(sum);
            for (int c = 0; c < cols; c++) {
                double shifted = z[zr + c] - max;
                double target = y[yr + c];
                total += crossEntropyTerm(target, shifted - logSum);
                double p = Math.exp(shifted) / sum;
                z[zr + c] = p;
                if (dz != null) {
                    dz[offDz + r * lddz + c] = (p - target) / rows;
                }
            }
        }
        return total / rows;
    }

    // Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log(1 + e^-|z|)); dZ = (P - Y) / (rows cols)
    // Z, Y, dZ are (rows, cols)
    static double ssigmoidBinaryCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz,
                                             float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        if (sharesArray(z, offZ, ldz, y, dz, offDz, lddz)) {
            return REFERENCE.ssigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
        }
        Scratch s = SCRATCH.get();
        double[] e = s.d0;
        double[] l = s.d1;
        double[] t = s.d2;
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int w = Math.min(BLOCK, cols - c0);
                int zo = offZ + r * ldz + c0;
                int yo = offY + r * ldy + c0;
                for (int i = 0; i < w; i++) {
                    e[i] = -Math.abs((double) z[zo + i]);
                    t[i] = y[yo + i];
                }
                expNonPositive(e, 0, w);
                System.arraycopy(e, 0, l, 0, w);
                log1pUnit(l, 0, w);
                for (int i = 0; i < w; i++) {
                    double logit = z[zo + i];
                    total += Math.max(logit, 0) - logit * t[i] + l[i];
                }
                for (int i = 0; i < w; i++) {
                    e[i] = sigmoidFromExp(z[zo + i], e[i]);
                }
                for (int i = 0; i < w; i++) {
                    z[zo + i] = (float) e[i];
                }
                if (dz != null) {
                    int dzo = offDz + r * lddz + c0;
                    for (int i = 0; i < w; i++) {
                        dz[dzo + i] = (float) ((e[i] - t[i]) / count);
                    }
                }
            }
        }
        return total / count;
    }

    // Z = P = sigmoid(Z); loss = mean(max(z, 0) - z y + log(1 + e^-|z|)); dZ = (P - Y) / (rows cols)
    // Z, Y, dZ are (rows, cols)
    // One Math.exp an element, which no loop around it can hide; the output layer is small.
    static double dsigmoidBinaryCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz,
                                             double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        if (dz == z && (offDz != offZ || lddz != ldz)) {
            // dZ overlapping Z elsewhere would overwrite logits whose exps a block has already taken.
            return REFERENCE.dsigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
        }
        Scratch s = SCRATCH.get();
        double[] e = s.d0;
        double[] l = s.d1;
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                int w = Math.min(BLOCK, cols - c0);
                int zo = offZ + r * ldz + c0;
                int yo = offY + r * ldy + c0;
                for (int i = 0; i < w; i++) {
                    e[i] = Math.exp(-Math.abs(z[zo + i]));
                }
                System.arraycopy(e, 0, l, 0, w);
                log1pUnit(l, 0, w);
                for (int i = 0; i < w; i++) {
                    double logit = z[zo + i];
                    double target = y[yo + i];
                    total += Math.max(logit, 0) - logit * target + l[i];
                    double p = sigmoidFromExp(logit, e[i]);
                    z[zo + i] = p;
                    if (dz != null) {
                        dz[offDz + r * lddz + c0 + i] = (p - target) / count;
                    }
                }
            }
        }
        return total / count;
    }

    // loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols)
    // A, Y, dA are (rows, cols)
    static double smeanSquaredError(int rows, int cols, float[] a, int offA, int lda,
                                    float[] y, int offY, int ldy, float[] da, int offDa, int ldda) {
        if (da != null && (da == y || (da == a && (offDa != offA || ldda != lda)))) {
            return REFERENCE.smeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, da, offDa, ldda);
        }
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int ar = offA + r * lda;
            int yr = offY + r * ldy;
            for (int c = 0; c < cols; c++) {
                double diff = (double) a[ar + c] - y[yr + c];
                total += diff * diff;
            }
        }
        if (da != null) {
            double[] t = SCRATCH.get().d0;
            for (int r = 0; r < rows; r++) {
                for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                    int w = Math.min(BLOCK, cols - c0);
                    int ao = offA + r * lda + c0;
                    int yo = offY + r * ldy + c0;
                    int dao = offDa + r * ldda + c0;
                    for (int i = 0; i < w; i++) {
                        t[i] = (double) a[ao + i] - y[yo + i];
                    }
                    for (int i = 0; i < w; i++) {
                        da[dao + i] = (float) (2 * t[i] / count);
                    }
                }
            }
        }
        return total / count;
    }

    // loss = mean((A - Y)^2); dA = 2 (A - Y) / (rows cols)
    // A, Y, dA are (rows, cols)
    static double dmeanSquaredError(int rows, int cols, double[] a, int offA, int lda,
                                    double[] y, int offY, int ldy, double[] da, int offDa, int ldda) {
        double count = (double) rows * cols;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int ar = offA + r * lda;
            int yr = offY + r * ldy;
            for (int c = 0; c < cols; c++) {
                double diff = a[ar + c] - y[yr + c];
                total += diff * diff;
            }
        }
        if (da != null) {
            if ((da == a || da == y) && !(offA == offY && offY == offDa && lda == ldy && ldy == ldda)) {
                return REFERENCE.dmeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, da, offDa, ldda);
            }
            Scratch s = SCRATCH.get();
            for (int r = 0; r < rows; r++) {
                if (offA == offY && offY == offDa && lda == ldy && ldy == ldda) {
                    dmseGradientAt(cols, count, a, y, da, offA + r * lda);
                    continue;
                }
                for (int c0 = 0; c0 < cols; c0 += BLOCK) {
                    int w = Math.min(BLOCK, cols - c0);
                    System.arraycopy(a, offA + r * lda + c0, s.d0, 0, w);
                    System.arraycopy(y, offY + r * ldy + c0, s.d1, 0, w);
                    dmseGradientAt(w, count, s.d0, s.d1, s.d2, 0);
                    System.arraycopy(s.d2, 0, da, offDa + r * ldda + c0, w);
                }
            }
        }
        return total / count;
    }

    // da[o + i] = 2 (a[o + i] - y[o + i]) / count, i in [0, n)
    private static void dmseGradientAt(int n, double count, double[] a, double[] y, double[] da, int o) {
        for (int i = o; i < o + n; i++) {
            da[i] = 2 * (a[i] - y[i]) / count;
        }
    }

    // ---- Vector operations and optimizer steps -----------------------------------------------
    // The kernels proper (...At) take one offset for all operands, as the network calls them;
    // operands at different offsets are staged through scratch in blocks (copy in, compute at
    // offset 0, copy the outputs back). The float kernels evaluate the reference's double
    // expressions and round once.

    // y += alpha x
    // x and y are (n)
    static void saxpy(int n, float alpha, float[] x, int offX, float[] y, int offY) {
        if (offX == offY) {
            saxpyAt(n, alpha, x, y, offX);
            return;
        }
        if (x == y) {
            REFERENCE.saxpy(n, alpha, x, offX, y, offY);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int w = Math.min(BLOCK, n - i0);
            System.arraycopy(x, offX + i0, s.f0, 0, w);
            System.arraycopy(y, offY + i0, s.f1, 0, w);
            saxpyAt(w, alpha, s.f0, s.f1, 0);
            System.arraycopy(s.f1, 0, y, offY + i0, w);
        }
    }

    private static void saxpyAt(int n, float alpha, float[] x, float[] y, int o) {
        double al = alpha;
        for (int i = o; i < o + n; i++) {
            y[i] = (float) (y[i] + al * x[i]);
        }
    }

    // y += alpha x
    // x and y are (n)
    static void daxpy(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        if (offX == offY) {
            daxpyAt(n, alpha, x, y, offX);
            return;
        }
        if (x == y) {
            REFERENCE.daxpy(n, alpha, x, offX, y, offY);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int w = Math.min(BLOCK, n - i0);
            System.arraycopy(x, offX + i0, s.d0, 0, w);
            System.arraycopy(y, offY + i0, s.d1, 0, w);
            daxpyAt(w, alpha, s.d0, s.d1, 0);
            System.arraycopy(s.d1, 0, y, offY + i0, w);
        }
    }

    private static void daxpyAt(int n, double alpha, double[] x, double[] y, int o) {
        for (int i = o; i < o + n; i++) {
            y[i] += alpha * x[i];
        }
    }

    // x *= alpha; alpha == 0 writes zeros, even over NaN and infinities
    // x is (n)
    static void sscal(int n, float alpha, float[] x, int offX) {
        if (alpha == 0) {
            Arrays.fill(x, offX, offX + n, 0f);
            return;
        }
        // The exact product of two floats fits in a double: the float product is the reference's value.
        for (int i = offX; i < offX + n; i++) {
            x[i] = alpha * x[i];
        }
    }

    // x *= alpha; alpha == 0 writes zeros, even over NaN and infinities
    // x is (n)
    static void dscal(int n, double alpha, double[] x, int offX) {
        if (alpha == 0) {
            Arrays.fill(x, offX, offX + n, 0.0);
            return;
        }
        for (int i = offX; i < offX + n; i++) {
            x[i] = alpha * x[i];
        }
    }

    // C *= beta (GEMM with alpha == 0 or k == 0); beta == 0 writes zeros, even over NaN
    // C is (m, n)
    static void sscaleMatrix(int m, int n, float beta, float[] c, int offC, int ldc) {
        if (beta == 1) {
            return;
        }
        for (int r = 0; r < m; r++) {
            sscal(n, beta, c, offC + r * ldc);
        }
    }

    // C *= beta (GEMM with alpha == 0 or k == 0); beta == 0 writes zeros, even over NaN
    // C is (m, n)
    static void dscaleMatrix(int m, int n, double beta, double[] c, int offC, int ldc) {
        if (beta == 1) {
            return;
        }
        for (int r = 0; r < m; r++) {
            dscal(n, beta, c, offC + r * ldc);
        }
    }

    // w -= lr g
    // w and g are (n)
    static void ssgdStep(int n, float lr, float[] w, int offW, float[] g, int offG) {
        if (offW == offG) {
            ssgdAt(n, lr, w, g, offW);
            return;
        }
        if (w == g) {
            REFERENCE.ssgdStep(n, lr, w, offW, g, offG);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, s.f0, 0, b);
            System.arraycopy(g, offG + i0, s.f1, 0, b);
            ssgdAt(b, lr, s.f0, s.f1, 0);
            System.arraycopy(s.f0, 0, w, offW + i0, b);
        }
    }

    private static void ssgdAt(int n, float lr, float[] w, float[] g, int o) {
        double rate = lr;
        for (int i = o; i < o + n; i++) {
            w[i] = (float) (w[i] - rate * g[i]);
        }
    }

    // w -= lr g
    // w and g are (n)
    static void dsgdStep(int n, double lr, double[] w, int offW, double[] g, int offG) {
        if (offW == offG) {
            dsgdAt(n, lr, w, g, offW);
            return;
        }
        if (w == g) {
            REFERENCE.dsgdStep(n, lr, w, offW, g, offG);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, s.d0, 0, b);
            System.arraycopy(g, offG + i0, s.d1, 0, b);
            dsgdAt(b, lr, s.d0, s.d1, 0);
            System.arraycopy(s.d0, 0, w, offW + i0, b);
        }
    }

    private static void dsgdAt(int n, double lr, double[] w, double[] g, int o) {
        for (int i = o; i < o + n; i++) {
            w[i] -= lr * g[i];
        }
    }

    // v = mu v + g; w -= lr (nesterov ? g + mu v : v)     (Sutskever et al. 2013, PyTorch's form)
    // w, g, v are (n)
    static void smomentumStep(int n, float lr, float mu, boolean nesterov,
                              float[] w, int offW, float[] g, int offG, float[] v, int offV) {
        if (offW == offG && offG == offV) {
            smomentumAt(n, lr, mu, nesterov, w, g, v, offW);
            return;
        }
        if (w == g || w == v || g == v) {
            REFERENCE.smomentumStep(n, lr, mu, nesterov, w, offW, g, offG, v, offV);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, s.f0, 0, b);
            System.arraycopy(g, offG + i0, s.f1, 0, b);
            System.arraycopy(v, offV + i0, s.f2, 0, b);
            smomentumAt(b, lr, mu, nesterov, s.f0, s.f1, s.f2, 0);
            System.arraycopy(s.f0, 0, w, offW + i0, b);
            System.arraycopy(s.f2, 0, v, offV + i0, b);
        }
    }

    private static void smomentumAt(int n, float lr, float mu, boolean nesterov, float[] w, float[] g, float[] v, int o) {
        double rate = lr;
        double m = mu;
        if (nesterov) {
            for (int i = o; i < o + n; i++) {
                double grad = g[i];
                double vel = m * v[i] + grad;
                v[i] = (float) vel;
                w[i] = (float) (w[i] - rate * (grad + m * vel));
            }
        } else {
            for (int i = o; i < o + n; i++) {
                double vel = m * v[i] + g[i];
                v[i] = (float) vel;
                w[i] = (float) (w[i] - rate * vel);
            }
        }
    }

    // v = mu v + g; w -= lr (nesterov ? g + mu v : v)     (Sutskever et al. 2013, PyTorch's form)
    // w, g, v are (n)
    static void dmomentumStep(int n, double lr, double mu, boolean nesterov,
                              double[] w, int offW, double[] g, int offG, double[] v, int offV) {
        if (offW == offG && offG == offV) {
            dmomentumAt(n, lr, mu, nesterov, w, g, v, offW);
            return;
        }
        if (w == g || w == v || g == v) {
            REFERENCE.dmomentumStep(n, lr, mu, nesterov, w, offW, g, offG, v, offV);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, s.d0, 0, b);
            System.arraycopy(g, offG + i0, s.d1, 0, b);
            System.arraycopy(v, offV + i0, s.d2, 0, b);
            dmomentumAt(b, lr, mu, nesterov, s.d0, s.d1, s.d2, 0);
            System.arraycopy(s.d0, 0, w, offW + i0, b);
            System.arraycopy(s.d2, 0, v, offV + i0, b);
        }
    }

    private static void dmomentumAt(int n, double lr, double mu, boolean nesterov, double[] w, double[] g, double[] v,
                                    int o) {
        if (nesterov) {
            for (int i = o; i < o + n; i++) {
                double grad = g[i];
                double vel = mu * v[i] + grad;
                v[i] = vel;
                w[i] -= lr * (grad + mu * vel);
            }
        } else {
            for (int i = o; i < o + n; i++) {
                double vel = mu * v[i] + g[i];
                v[i] = vel;
                w[i] -= lr * vel;
            }
        }
    }

    // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
    // (Kingma and Ba 2015, Algorithm 1)     w, g, m, v are (n)
    static void sadamStep(int n, float lr, float beta1, float beta2, float eps, int t,
                          float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV) {
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        if (offW == offG && offG == offM && offM == offV) {
            sadamAt(n, lr, beta1, beta2, eps, correction1, correction2, w, g, m, v, offW);
            return;
        }
        if (w == g || w == m || w == v || g == m || g == v || m == v) {
            REFERENCE.sadamStep(n, lr, beta1, beta2, eps, t, w, offW, g, offG, m, offM, v, offV);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, s.f0, 0, b);
            System.arraycopy(g, offG + i0, s.f1, 0, b);
            System.arraycopy(m, offM + i0, s.f2, 0, b);
            System.arraycopy(v, offV + i0, s.f3, 0, b);
            sadamAt(b, lr, beta1, beta2, eps, correction1, correction2, s.f0, s.f1, s.f2, s.f3, 0);
            System.arraycopy(s.f0, 0, w, offW + i0, b);
            System.arraycopy(s.f2, 0, m, offM + i0, b);
            System.arraycopy(s.f3, 0, v, offV + i0, b);
        }
    }

    private static void sadamAt(int n, float lr, float beta1, float beta2, float eps, double correction1,
                                double correction2, float[] w, float[] g, float[] m, float[] v, int o) {
        double b1 = beta1;
        double b2 = beta2;
        double a1 = 1 - b1;
        double a2 = 1 - b2;
        double rate = lr;
        double epsilon = eps;
        for (int i = o; i < o + n; i++) {
            double grad = g[i];
            double mom = b1 * m[i] + a1 * grad;
            double var = b2 * v[i] + a2 * grad * grad;
            m[i] = (float) mom;
            v[i] = (float) var;
            w[i] = (float) (w[i] - rate * (mom / correction1) / (Math.sqrt(var / correction2) + epsilon));
        }
    }

    // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)
    // (Kingma and Ba 2015, Algorithm 1)     w, g, m, v are (n)
    static void dadamStep(int n, double lr, double beta1, double beta2, double eps, int t,
                          double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV) {
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        if (offW == offG && offG == offM && offM == offV) {
            dadamAt(n, lr, beta1, beta2, eps, correction1, correction2, w, g, m, v, offW);
            return;
        }
        if (w == g || w == m || w == v || g == m || g == v || m == v) {
            REFERENCE.dadamStep(n, lr, beta1, beta2, eps, t, w, offW, g, offG, m, offM, v, offV);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, s.d0, 0, b);
            System.arraycopy(g, offG + i0, s.d1, 0, b);
            System.arraycopy(m, offM + i0, s.d2, 0, b);
            System.arraycopy(v, offV + i0, s.d3, 0, b);
            dadamAt(b, lr, beta1, beta2, eps, correction1, correction2, s.d0, s.d1, s.d2, s.d3, 0);
            System.arraycopy(s.d0, 0, w, offW + i0, b);
            System.arraycopy(s.d2, 0, m, offM + i0, b);
            System.arraycopy(s.d3, 0, v, offV + i0, b);
        }
    }

    private static void dadamAt(int n, double lr, double beta1, double beta2, double eps, double correction1,
                                double correction2, double[] w, double[] g, double[] m, double[] v, int o) {
        double a1 = 1 - beta1;
        double a2 = 1 - beta2;
        for (int i = o; i < o + n; i++) {
            double grad = g[i];
            double mom = beta1 * m[i] + a1 * grad;
            double var = beta2 * v[i] + a2 * grad * grad;
            m[i] = mom;
            v[i] = var;
            w[i] -= lr * (mom / correction1) / (Math.sqrt(var / correction2) + eps);
        }
    }

    // s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps)     (Hinton, Coursera lecture 6e)
    // w, g, s are (n)
    static void srmspropStep(int n, float lr, float rho, float eps,
                             float[] w, int offW, float[] g, int offG, float[] s, int offS) {
        if (offW == offG && offG == offS) {
            srmspropAt(n, lr, rho, eps, w, g, s, offW);
            return;
        }
        if (w == g || w == s || g == s) {
            REFERENCE.srmspropStep(n, lr, rho, eps, w, offW, g, offG, s, offS);
            return;
        }
        Scratch sc = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, sc.f0, 0, b);
            System.arraycopy(g, offG + i0, sc.f1, 0, b);
            System.arraycopy(s, offS + i0, sc.f2, 0, b);
            srmspropAt(b, lr, rho, eps, sc.f0, sc.f1, sc.f2, 0);
            System.arraycopy(sc.f0, 0, w, offW + i0, b);
            System.arraycopy(sc.f2, 0, s, offS + i0, b);
        }
    }

    private static void srmspropAt(int n, float lr, float rho, float eps, float[] w, float[] g, float[] s, int o) {
        double p = rho;
        double a = 1 - p;
        double rate = lr;
        double epsilon = eps;
        for (int i = o; i < o + n; i++) {
            double grad = g[i];
            double sq = p * s[i] + a * grad * grad;
            s[i] = (float) sq;
            w[i] = (float) (w[i] - rate * grad / (Math.sqrt(sq) + epsilon));
        }
    }

    // s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps)     (Hinton, Coursera lecture 6e)
    // w, g, s are (n)
    static void drmspropStep(int n, double lr, double rho, double eps,
                             double[] w, int offW, double[] g, int offG, double[] s, int offS) {
        if (offW == offG && offG == offS) {
            drmspropAt(n, lr, rho, eps, w, g, s, offW);
            return;
        }
        if (w == g || w == s || g == s) {
            REFERENCE.drmspropStep(n, lr, rho, eps, w, offW, g, offG, s, offS);
            return;
        }
        Scratch sc = SCRATCH.get();
        for (int i0 = 0; i0 < n; i0 += BLOCK) {
            int b = Math.min(BLOCK, n - i0);
            System.arraycopy(w, offW + i0, sc.d0, 0, b);
            System.arraycopy(g, offG + i0, sc.d1, 0, b);
            System.arraycopy(s, offS + i0, sc.d2, 0, b);
            drmspropAt(b, lr, rho, eps, sc.d0, sc.d1, sc.d2, 0);
            System.arraycopy(sc.d0, 0, w, offW + i0, b);
            System.arraycopy(sc.d2, 0, s, offS + i0, b);
        }
    }

    private static void drmspropAt(int n, double lr, double rho, double eps, double[] w, double[] g, double[] s,
                                   int o) {
        double a = 1 - rho;
        for (int i = o; i < o + n; i++) {
            double grad = g[i];
            double sq = rho * s[i] + a * grad * grad;
            s[i] = sq;
            w[i] -= lr * grad / (Math.sqrt(sq) + eps);
        }
    }
}
