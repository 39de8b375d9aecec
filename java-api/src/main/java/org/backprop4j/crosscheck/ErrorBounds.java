package org.backprop4j.crosscheck;

import java.util.Locale;
import java.util.Objects;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;

/**
 * How far a backend's result may be from the reference backend's (DESIGN.md §6).
 *
 * <p>A bound is the largest acceptable {@code |actual − reference|} for one value, in the units of
 * that value. It scales with the unit roundoff {@code u} of the dtype ({@link DType#unitRoundoff()})
 * and with the magnitudes the kernel combines, so one bound serves a 1×1×1 product and a
 * 256×300×200 one, where any fixed tolerance is either too loose for the first or too tight for
 * the second. Every bound adds {@link #tiny(DType)} so that results which underflow in one
 * backend and not in the other still compare equal.
 *
 * <p>The reference computes in {@code double} and rounds once, so it is within one rounding of
 * the exact value; the bounds cover that plus what a kernel computing in the dtype itself (with
 * its own {@code exp}, {@code tanh}, summation order or FMA) may add. Inputs are taken as
 * {@code double}; float32 values convert exactly. {@link #check} compares whole arrays against
 * their bounds and reports the worst element.
 *
 * <p>The bounds, with {@code tiny = 4 · MIN_NORMAL} of the dtype:
 * <ul>
 * <li>GEMM: {@code 2·(k+2)·u·(|α|·Σ_p |op(A)_ip|·|op(B)_pj| + |β|·|C_ij|) + tiny} per element;</li>
 * <li>relu and identity: 0 (bit-exact; {@code −0 == +0});</li>
 * <li>sigmoid, tanh, the negative side of leaky relu, softmax, the fused losses' probabilities and
 *     gradients: {@value #ELEMENTWISE_ULPS} ulp of the result, widened by the conditioning of the
 *     function where its argument is itself rounded in the dtype;</li>
 * <li>reductions (column sums, loss values) of {@code n} terms: {@code 2·(n+2)·u·Σ|terms| + tiny};</li>
 * <li>axpy, scal and optimizer steps: {@value #STEP_ULPS}{@code ·u·Σ|terms| + tiny};</li>
 * <li>short training runs: a relative tolerance per dtype, {@link #trainingTolerance}.</li>
 * </ul>
 */
public final class ErrorBounds {

    /**
     * Ulps allowed for element-wise functions ({@value}). The reference evaluates in double with
     * {@link Math#exp}/{@link Math#tanh} and rounds once (within 1 ulp of the dtype); a native float
     * kernel uses its own {@code expf}/{@code tanhf} (1–2 ulp in glibc and SLEEF-class libraries) and
     * rounds 2–4 more times ({@code 1 + e}, the division, the product with {@code dy}). The sum of
     * those stays below 6 ulp; 8 leaves a margin. The same holds for float64 against libm's
     * {@code exp}. A wrong formula is off by far more than 8 ulp almost everywhere.
     */
    public static final int ELEMENTWISE_ULPS = 8;

    /**
     * Ulps allowed for axpy, scal and optimizer steps ({@value}), relative to the sum of the
     * magnitudes of the terms the result is made of. SGD rounds 2 times, momentum 4, RMSProp about 8
     * and Adam about 10 (two moments, the bias corrections, a square root, a division, the product
     * with {@code lr}, the subtraction) before the reference's own rounding; 16 covers Adam's worst
     * case. The bias corrections {@code 1 − β^t} are assumed accurate to an ulp (computed in double,
     * or at a {@code t} where {@code β^t} is not close to 1).
     */
    public static final int STEP_ULPS = 16;

    private ErrorBounds() {
    }

    /** {@code 4 · MIN_NORMAL} of the dtype: the absolute slack added to every bound. */
    public static double tiny(DType dtype) {
        return dtype == DType.FLOAT32 ? 4.0 * Float.MIN_NORMAL : 4.0 * Double.MIN_NORMAL;
    }

    // ---- GEMM -------------------------------------------------------------------------------

    // |c − c_ref| ≤ 2·(k+2)·u·(|α|·Σ_p |op(A)_ip|·|op(B)_pj| + |β|·|C_ij|) + tiny
    // A dot product of k terms computed in the dtype is off by at most k·u·Σ|terms| (any order, with
    // or without FMA); scaling by α, adding β·C and the reference's own rounding add about 3·u more.
    // DESIGN.md writes 2·k·u: the +2 makes that 3·u fit when k is 1 or 2, and k = 0 (C = β·C).
    /**
     * The bound of every element of {@code C = α·op(A)·op(B) + β·C}, from the same arguments as
     * {@link org.backprop4j.backend.Backend#dgemm}, with {@code c} holding C <em>before</em> the
     * call. {@code A} and {@code B} are not read when {@code α == 0} or {@code k == 0}, nor
     * {@code C} when {@code β == 0}, as in the kernel (they may hold NaN).
     *
     * @return the bounds, row-major {@code (m, n)} with leading dimension {@code n}
     */
    public static double[] gemm(DType dtype, Transpose transA, Transpose transB, int m, int n, int k,
                                double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
                                double beta, double[] c, int offC, int ldc) {
        double scale = 2.0 * (k + 2) * dtype.unitRoundoff();
        double tiny = tiny(dtype);
        boolean readAB = alpha != 0 && k > 0;
        int aStep = transA.isTransposed() ? lda : 1;
        int bStep = transB.isTransposed() ? 1 : ldb;
        double[] bound = new double[m * n];
        for (int i = 0; i < m; i++) {
            int aRow = transA.isTransposed() ? offA + i : offA + i * lda;
            for (int j = 0; j < n; j++) {
                double products = 0;
                if (readAB) {
                    int bCol = transB.isTransposed() ? offB + j * ldb : offB + j;
                    for (int p = 0; p < k; p++) {
                        products += Math.abs(a[aRow + p * aStep]) * Math.abs(b[bCol + p * bStep]);
                    }
                }
                double old = beta == 0 ? 0 : Math.abs(beta * c[offC + i * ldc + j]);
                bound[i * n + j] = scale * (Math.abs(alpha) * products + old) + tiny;
            }
        }
        return bound;
    }

    // ---- Element-wise kernels ---------------------------------------------------------------

    // |x − x_ref| ≤ ulps·u·|x_ref| + tiny
    /** The generic element-wise bound: {@code ulps} units of roundoff of the reference value. */
    public static double elementwise(DType dtype, int ulps, double ref) {
        return ulps * dtype.unitRoundoff() * Math.abs(ref) + tiny(dtype);
    }

    /** {@link #elementwise(DType, int, double)} with {@value #ELEMENTWISE_ULPS} ulp. */
    public static double elementwise(DType dtype, double ref) {
        return elementwise(dtype, ELEMENTWISE_ULPS, ref);
    }

    // relu, identity, leaky relu with z > 0:  0
    // leaky relu with z ≤ 0:                  ulps·u·|a_ref| + tiny
    // sigmoid, tanh:                          ulps·u·(|a_ref| + |z·g'(z)|) + tiny
    // A kernel may add x + bias in the dtype, so it evaluates g at z·(1 + δ), |δ| ≤ u; that moves
    // g(z) by up to u·|z·g'(z)| (30·u for sigmoid(−30)) before g's own error.
    /**
     * The bound of one element of the bias + activation forward kernel: {@code a = g(z)} with
     * {@code z = x + bias} (the exact sum, in double) and {@code ref} the reference output.
     * relu and identity must be bit-exact: {@code max(0, ·)} and the identity commute with
     * rounding. Leaky relu's negative side multiplies by 0.01, which no binary float holds exactly.
     */
    public static double activation(DType dtype, Activation act, double z, double ref) {
        switch (act) {
            case IDENTITY:
            case RELU:
                return 0;
            case LEAKY_RELU:
                return z > 0 ? 0 : elementwise(dtype, ref);
            case SIGMOID:
                return elementwise(dtype, Math.abs(ref) + Math.abs(z * ref * (1 - ref)));
            case TANH:
                return elementwise(dtype, Math.abs(ref) + Math.abs(z * (1 - ref * ref)));
            default:
                throw new IllegalArgumentException(act + " is not element-wise");
        }
    }

    // relu, identity, leaky relu with a > 0:  0
    // leaky relu with a ≤ 0:                  ulps·u·|dx_ref| + tiny
    // sigmoid dx·(a − a²):                    ulps·u·|dx|·(|a| + a²) + tiny
    // tanh    dx·(1 − a²):                    ulps·u·|dx|·(1 + a²) + tiny
    // The derivative is a polynomial of the output a; the bound is the classic one for evaluating
    // it in the dtype (u per term), so dy·(1 − y·y) written directly in float passes even where
    // 1 − y² cancels.
    /**
     * The bound of one element of the activation backward kernel: {@code dx·g'} with the
     * derivative taken from the forward output {@code a}; {@code dx} is the incoming gradient and
     * {@code ref} the reference result.
     */
    public static double activationBackward(DType dtype, Activation act, double a, double dx, double ref) {
        switch (act) {
            case IDENTITY:
            case RELU:
                return 0;
            case LEAKY_RELU:
                return a > 0 ? 0 : elementwise(dtype, ref);
            case SIGMOID:
                return elementwise(dtype, Math.abs(dx) * (Math.abs(a) + a * a));
            case TANH:
                return elementwise(dtype, Math.abs(dx) * (1 + a * a));
            default:
                throw new IllegalArgumentException(act + " is not element-wise");
        }
    }

    // |p − p_ref| ≤ u·|p_ref|·(ulps + |z − max| + 2·cols) + tiny
    // exp(z − max) is off by ulps; z − max rounded in the dtype moves it by u·|z − max| relative;
    // the sum of cols positive terms is off by cols·u relative, plus the argument errors of the
    // other terms, each weighted by its share of the sum (at most cols·u more).
    /**
     * The bound of one softmax probability: {@code shifted = z − max} of its row (in double),
     * {@code cols} the row width, {@code ref} the reference probability. Also the bound of the
     * probabilities written by the softmax cross-entropy kernel.
     */
    public static double softmax(DType dtype, int cols, double shifted, double ref) {
        double relative = ELEMENTWISE_ULPS + Math.abs(shifted) + 2.0 * cols;
        return dtype.unitRoundoff() * Math.abs(ref) * relative + tiny(dtype);
    }

    // |dz − dz_ref| ≤ (pBound + ulps·u·|p − y|) / count + tiny
    // p carries its own error pBound into p − y, which may cancel; the subtraction and the division
    // by count round once each.
    /**
     * The bound of one gradient element {@code dz = (p − y) / count} of a fused loss, where
     * {@code p} is the reference probability, {@code pBound} its own bound ({@link #softmax} or
     * {@link #activation} with {@link Activation#SIGMOID}), {@code y} the target and {@code count}
     * the divisor (rows for softmax cross-entropy, rows · cols for binary cross-entropy).
     */
    public static double lossGradient(DType dtype, double pBound, double p, double y, double count) {
        return (pBound + ELEMENTWISE_ULPS * dtype.unitRoundoff() * Math.abs(p - y)) / count + tiny(dtype);
    }

    // ---- Reductions -------------------------------------------------------------------------

    // |s − s_ref| ≤ 2·(n+2)·u·Σ|terms| + tiny
    // A sum of n terms in any order is off by at most (n−1)·u·Σ|terms|; each term's own few
    // roundings and a final scaling (a mean) are the +2, doubled like GEMM's bound.
    /**
     * The bound of a sum of {@code n} terms whose absolute values add up to {@code sumOfAbsTerms}:
     * a column sum ({@code n = rows + 1} with the accumulated {@code y}), or a loss value divided
     * by its count (pass the divided sum).
     */
    public static double reduction(DType dtype, long n, double sumOfAbsTerms) {
        return 2.0 * (n + 2) * dtype.unitRoundoff() * sumOfAbsTerms + tiny(dtype);
    }

    // loss = −(1/rows)·Σ y·(z − max − log Σ exp(z − max)): rows·cols terms, each of magnitude
    // |y|·(|z − max| + |log Σ| + 1). The 1 is for log Σ: the sum of cols exps is off by cols·u
    // relative, which moves its log by cols·u absolute even when log Σ is near 0.
    /**
     * The bound of the loss returned by the softmax cross-entropy kernel for logits {@code Z} and
     * targets {@code Y}, both {@code (rows, cols)}. Not modified.
     */
    public static double softmaxCrossEntropy(DType dtype, int rows, int cols, double[] z, int offZ, int ldz,
                                             double[] y, int offY, int ldy) {
        double magnitude = 0;
        for (int r = 0; r < rows; r++) {
            int zRow = offZ + r * ldz;
            int yRow = offY + r * ldy;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, z[zRow + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(z[zRow + c] - max);
            }
            double logSum = Math.abs(Math.log(sum));
            for (int c = 0; c < cols; c++) {
                double target = Math.abs(y[yRow + c]);
                if (target != 0) {
                    magnitude += target * (Math.abs(z[zRow + c] - max) + logSum + 1);
                }
            }
        }
        return reduction(dtype, (long) rows * cols, magnitude / rows);
    }

    // loss = mean(max(z, 0) − z·y + log(1 + e^−|z|)): rows·cols terms, each of magnitude
    // max(z, 0) + |z·y| + log(1 + e^−|z|) (the parts cancel for a confident right answer).
    /**
     * The bound of the loss returned by the sigmoid binary cross-entropy kernel for logits
     * {@code Z} and targets {@code Y}, both {@code (rows, cols)}. Not modified.
     */
    public static double sigmoidBinaryCrossEntropy(DType dtype, int rows, int cols, double[] z, int offZ, int ldz,
                                                   double[] y, int offY, int ldy) {
        double magnitude = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double logit = z[offZ + r * ldz + c];
                double target = y[offY + r * ldy + c];
                magnitude += Math.max(logit, 0) + Math.abs(logit * target) + Math.log1p(Math.exp(-Math.abs(logit)));
            }
        }
        long count = (long) rows * cols;
        return reduction(dtype, count, magnitude / count);
    }

    // loss = mean((a − y)²): rows·cols terms of magnitude (a − y)².
    /**
     * The bound of the loss returned by the mean squared error kernel for outputs {@code A} and
     * targets {@code Y}, both {@code (rows, cols)}. Not modified.
     */
    public static double meanSquaredError(DType dtype, int rows, int cols, double[] a, int offA, int lda,
                                          double[] y, int offY, int ldy) {
        double magnitude = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double diff = a[offA + r * lda + c] - y[offY + r * ldy + c];
                magnitude += diff * diff;
            }
        }
        long count = (long) rows * cols;
        return reduction(dtype, count, magnitude / count);
    }

    // ---- Vector operations and optimizer steps ----------------------------------------------

    // |w − w_ref| ≤ 16·u·Σ|terms| + tiny
    /**
     * The bound of one element written by axpy, scal or an optimizer step, given the sum of the
     * absolute values of the terms it is made of:
     * <ul>
     * <li>axpy {@code y + α·x}: {@code |y| + |α·x|}; scal {@code α·x}: {@code |α·x|};</li>
     * <li>SGD {@code w − lr·g}: {@code |w| + lr·|g|};</li>
     * <li>momentum {@code v' = μ·v + g}: {@code |μ·v| + |g|}; {@code w − lr·v'}:
     *     {@code |w| + lr·(|μ·v| + |g|)}; Nesterov {@code w − lr·(g + μ·v')}:
     *     {@code |w| + lr·(|g| + |μ|·(|μ·v| + |g|))};</li>
     * <li>Adam {@code m' = β1·m + (1−β1)·g}: {@code |β1·m| + |(1−β1)·g|};
     *     {@code v' = β2·v + (1−β2)·g²}: {@code |β2·v| + (1−β2)·g²}; the weight:
     *     {@code |w| + lr·(|m'| terms / (1−β1^t)) / (sqrt(v' / (1−β2^t)) + ε)};</li>
     * <li>RMSProp {@code s' = ρ·s + (1−ρ)·g²}: {@code |ρ·s| + (1−ρ)·g²}; the weight:
     *     {@code |w| + lr·|g| / (sqrt(s') + ε)}.</li>
     * </ul>
     */
    public static double step(DType dtype, double magnitude) {
        return STEP_ULPS * dtype.unitRoundoff() * magnitude + tiny(dtype);
    }

    // ---- Whole training runs ----------------------------------------------------------------

    /** {@link #trainingTolerance} of float64 ({@value}). */
    public static final double TRAINING_FLOAT64 = 1e-10;

    /** {@link #trainingTolerance} of float32 ({@value}). */
    public static final double TRAINING_FLOAT32 = 1e-4;

    /**
     * The relative tolerance of a short training run against the same run on the reference, from
     * the same initial weights: of the cost at every step (relative to the reference's cost) and of
     * every final weight (relative to the largest reference weight).
     *
     * <p>float64, {@value #TRAINING_FLOAT64}: every kernel is within about {@code 2·(k+2)·u} of the
     * reference relative to the magnitudes it combines; for the longest sums of the workloads
     * (k = 12288 inputs of W2) that is {@code 2.7e-12}, and a few dozen steps of SGD carry such
     * differences forward without amplifying them much; over hundreds of steps they grow (a relu
     * unit near zero may flip), which is why the runs are short. The openblas backend stays within
     * 1e-15 of the reference on W2 and W4 (100 steps), so 1e-10 leaves a wide margin and still
     * catches any wrong kernel, which is off by 1e-3 or more.
     *
     * <p>float32, {@value #TRAINING_FLOAT32}: the same reasoning with {@code u = 6e-8}: W1's first
     * GEMM sums 784 products, legitimately within {@code 2·786·u ≈ 9.4e-5} of the reference
     * relative to the sum of their magnitudes; weights move by {@code lr·gradient} per step, so
     * their differences stay at a fraction of that. The openblas backend stays within 1e-7 on W1
     * and W3. The {@code tests} module's training cross-checks use the same two tolerances.
     */
    public static double trainingTolerance(DType dtype) {
        return dtype == DType.FLOAT32 ? TRAINING_FLOAT32 : TRAINING_FLOAT64;
    }

    // |x − x_ref| ≤ tolerance·scale + tiny
    /**
     * The bound of one cost or weight of a training run: {@link #trainingTolerance} times
     * {@code scale} (the reference cost of that step, or the largest reference weight), plus tiny.
     */
    public static double training(DType dtype, double scale) {
        return trainingTolerance(dtype) * Math.abs(scale) + tiny(dtype);
    }

    // ---- Comparing --------------------------------------------------------------------------

    /**
     * Compares {@code actual} with {@code expected} element by element against {@code bound}.
     * Two NaNs are equal, as are equal infinities and zeros of either sign; any other NaN or
     * infinity difference fails. The reported element is the one with the largest ratio of error
     * to bound (the first of equals).
     *
     * @throws IllegalArgumentException if the three arrays differ in length
     */
    public static Result check(double[] actual, double[] expected, double[] bound) {
        Objects.requireNonNull(actual, "actual");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(bound, "bound");
        if (actual.length != expected.length || actual.length != bound.length) {
            throw new IllegalArgumentException("lengths differ: actual " + actual.length + ", expected "
                    + expected.length + ", bound " + bound.length);
        }
        int worst = -1;
        double worstRatio = -1;
        double maxError = 0;
        for (int i = 0; i < actual.length; i++) {
            double err = error(actual[i], expected[i]);
            double ratio = ratio(err, bound[i]);
            maxError = Math.max(maxError, err);
            if (ratio > worstRatio) {
                worst = i;
                worstRatio = ratio;
            }
        }
        if (worst < 0) {
            return new Result(0, 0, -1, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Result(maxError, worstRatio, worst, actual[worst], expected[worst], bound[worst]);
    }

    /** {@link #check(double[], double[], double[])} for one value (index 0). */
    public static Result check(double actual, double expected, double bound) {
        double err = error(actual, expected);
        return new Result(err, ratio(err, bound), 0, actual, expected, bound);
    }

    private static double error(double actual, double expected) {
        if (Double.isNaN(actual) || Double.isNaN(expected)) {
            return Double.isNaN(actual) && Double.isNaN(expected) ? 0 : Double.POSITIVE_INFINITY;
        }
        return actual == expected ? 0 : Math.abs(actual - expected);
    }

    private static double ratio(double err, double bound) {
        if (err == 0) {
            return 0;
        }
        double r = err / bound;
        return r >= 0 ? r : Double.POSITIVE_INFINITY; // a NaN bound fails
    }

    /**
     * The outcome of a {@link #check}.
     *
     * @param maxError   the largest {@code |actual − expected|} (infinite for a NaN mismatch)
     * @param ratio      the largest error as a fraction of its bound; the check passes when ≤ 1
     * @param worstIndex where that ratio is reached, or -1 for empty arrays
     * @param actual     the actual value there
     * @param expected   the expected (reference) value there
     * @param bound      the bound there
     */
    public record Result(double maxError, double ratio, int worstIndex, double actual, double expected,
                         double bound) {

        /** True when every error is within its bound. */
        public boolean passed() {
            return ratio <= 1;
        }

        /** E.g. {@code "worst at index 7: actual 0.5, expected 0.50000006, |diff| 6e-08, bound 5.96e-08, ratio 1.01"}. */
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "worst at index %d: actual %s, expected %s, |diff| %.3g, bound %.3g, "
                            + "ratio %.3g%s", worstIndex, actual, expected, Math.abs(actual - expected), bound, ratio,
                    passed() ? "" : " > 1");
        }
    }
}
