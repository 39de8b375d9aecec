package org.backprop4j.backend;

import org.backprop4j.nn.Activation;

/**
 * Validates every argument of every {@link Backend} call once, then hands a trusted kernel
 * ({@code …K} methods) the work.
 *
 * <p>Checks, in order: non-null enums (and an element-wise activation where one is required),
 * non-negative dimensions, leading dimensions at least as wide as the rows they step over; then,
 * for each operand the call touches, a non-null array, a non-negative offset, and the last element
 * the operand touches inside its array (computed in {@code long}, so no overflow can hide an
 * out-of-range index). As in BLAS, an operand the call does not touch is not looked at: a call
 * with an empty output returns after the scalar checks whatever its arrays are (even null), and
 * GEMM with {@code alpha == 0} or {@code k == 0} never looks at {@code A} and {@code B}. Kernels
 * may therefore assume every index they compute is in range, which is what makes native kernels
 * safe.
 */
public abstract class AbstractBackend implements Backend {

    // ---- GEMM -------------------------------------------------------------------------------

    // C = alpha op(A) op(B) + beta C     op(A) is (m, k), op(B) is (k, n), C is (m, n)
    @Override
    public final void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                            float beta, float[] c, int offC, int ldc) {
        if (checkGemm("sgemm", transA, transB, m, n, k, alpha == 0,
                a, len(a), offA, lda, b, len(b), offB, ldb, c, len(c), offC, ldc)) {
            sgemmK(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }
    }

    @Override
    public final void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
                            double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
                            double beta, double[] c, int offC, int ldc) {
        if (checkGemm("dgemm", transA, transB, m, n, k, alpha == 0,
                a, len(a), offA, lda, b, len(b), offB, ldb, c, len(c), offC, ldc)) {
            dgemmK(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }
    }

    /** The kernel of {@link #sgemm}, called only with arguments that passed its checks. */
    protected abstract void sgemmK(Transpose transA, Transpose transB, int m, int n, int k,
                                   float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                   float beta, float[] c, int offC, int ldc);

    /** The kernel of {@link #dgemm}, called only with arguments that passed its checks. */
    protected abstract void dgemmK(Transpose transA, Transpose transB, int m, int n, int k,
                                   double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
                                   double beta, double[] c, int offC, int ldc);

    // ---- Layer kernels ----------------------------------------------------------------------

    // X[r][c] = g(X[r][c] + bias[c])     X is (rows, cols), bias is (cols)
    @Override
    public final void sbiasActivation(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                      float[] bias, int offBias) {
        if (checkBiasActivation("sbiasActivation", act, rows, cols, x, len(x), offX, ldx, bias, len(bias), offBias)) {
            sbiasActivationK(act, rows, cols, x, offX, ldx, bias, offBias);
        }
    }

    @Override
    public final void dbiasActivation(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                      double[] bias, int offBias) {
        if (checkBiasActivation("dbiasActivation", act, rows, cols, x, len(x), offX, ldx, bias, len(bias), offBias)) {
            dbiasActivationK(act, rows, cols, x, offX, ldx, bias, offBias);
        }
    }

    /** The kernel of {@link #sbiasActivation}, called only with arguments that passed its checks. */
    protected abstract void sbiasActivationK(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                             float[] bias, int offBias);

    /** The kernel of {@link #dbiasActivation}, called only with arguments that passed its checks. */
    protected abstract void dbiasActivationK(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                             double[] bias, int offBias);

    // dX[r][c] *= g'(A[r][c])     A and dX are (rows, cols)
    @Override
    public final void sactivationBackward(Activation act, int rows, int cols, float[] a, int offA, int lda,
                                          float[] dx, int offDx, int lddx) {
        if (checkActivationBackward("sactivationBackward", act, rows, cols,
                a, len(a), offA, lda, dx, len(dx), offDx, lddx)) {
            sactivationBackwardK(act, rows, cols, a, offA, lda, dx, offDx, lddx);
        }
    }

    @Override
    public final void dactivationBackward(Activation act, int rows, int cols, double[] a, int offA, int lda,
                                          double[] dx, int offDx, int lddx) {
        if (checkActivationBackward("dactivationBackward", act, rows, cols,
                a, len(a), offA, lda, dx, len(dx), offDx, lddx)) {
            dactivationBackwardK(act, rows, cols, a, offA, lda, dx, offDx, lddx);
        }
    }

    /** The kernel of {@link #sactivationBackward}, called only with arguments that passed its checks. */
    protected abstract void sactivationBackwardK(Activation act, int rows, int cols, float[] a, int offA, int lda,
                                                 float[] dx, int offDx, int lddx);

    /** The kernel of {@link #dactivationBackward}, called only with arguments that passed its checks. */
    protected abstract void dactivationBackwardK(Activation act, int rows, int cols, double[] a, int offA, int lda,
                                                 double[] dx, int offDx, int lddx);

    // X[r] = softmax(X[r])     X is (rows, cols)
    @Override
    public final void ssoftmax(int rows, int cols, float[] x, int offX, int ldx) {
        if (checkMatrixOp("ssoftmax", rows, cols, x, len(x), offX, ldx)) {
            ssoftmaxK(rows, cols, x, offX, ldx);
        }
    }

    @Override
    public final void dsoftmax(int rows, int cols, double[] x, int offX, int ldx) {
        if (checkMatrixOp("dsoftmax", rows, cols, x, len(x), offX, ldx)) {
            dsoftmaxK(rows, cols, x, offX, ldx);
        }
    }

    /** The kernel of {@link #ssoftmax}, called only with arguments that passed its checks. */
    protected abstract void ssoftmaxK(int rows, int cols, float[] x, int offX, int ldx);

    /** The kernel of {@link #dsoftmax}, called only with arguments that passed its checks. */
    protected abstract void dsoftmaxK(int rows, int cols, double[] x, int offX, int ldx);

    // y[c] += sum_r X[r][c]     X is (rows, cols), y is (cols)
    @Override
    public final void scolumnSums(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY) {
        if (checkColumnSums("scolumnSums", rows, cols, x, len(x), offX, ldx, y, len(y), offY)) {
            scolumnSumsK(rows, cols, x, offX, ldx, y, offY);
        }
    }

    @Override
    public final void dcolumnSums(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY) {
        if (checkColumnSums("dcolumnSums", rows, cols, x, len(x), offX, ldx, y, len(y), offY)) {
            dcolumnSumsK(rows, cols, x, offX, ldx, y, offY);
        }
    }

    /** The kernel of {@link #scolumnSums}, called only with arguments that passed its checks. */
    protected abstract void scolumnSumsK(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY);

    /** The kernel of {@link #dcolumnSums}, called only with arguments that passed its checks. */
    protected abstract void dcolumnSumsK(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY);

    // ---- Fused losses -----------------------------------------------------------------------

    // Z = softmax(Z); loss = -(1/rows) sum Y log P; dZ = (P - Y) / rows     all (rows, cols)
    @Override
    public final double ssoftmaxCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz,
                                             float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        if (!checkLoss("ssoftmaxCrossEntropy", "z", "ldz", "dz", "lddz",
                rows, cols, z, len(z), offZ, ldz, y, len(y), offY, ldy,
                dz, len(dz), offDz, lddz)) {
            return 0;
        }
        return ssoftmaxCrossEntropyK(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    @Override
    public final double dsoftmaxCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz,
                                             double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        if (!checkLoss("dsoftmaxCrossEntropy", "z", "ldz", "dz", "lddz",
                rows, cols, z, len(z), offZ, ldz, y, len(y), offY, ldy,
                dz, len(dz), offDz, lddz)) {
            return 0;
        }
        return dsoftmaxCrossEntropyK(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    /** {@code dz} may be null: then only the probabilities and the loss are computed. */
    protected abstract double ssoftmaxCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz,
                                                    float[] y, int offY, int ldy, float[] dz, int offDz, int lddz);

    /** {@code dz} may be null: then only the probabilities and the loss are computed. */
    protected abstract double dsoftmaxCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz,
                                                    double[] y, int offY, int ldy, double[] dz, int offDz, int lddz);

    // Z = sigmoid(Z); loss = mean BCE; dZ = (P - Y) / (rows cols)     all (rows, cols)
    @Override
    public final double ssigmoidBinaryCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz,
                                                   float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        if (!checkLoss("ssigmoidBinaryCrossEntropy", "z", "ldz", "dz", "lddz",
                rows, cols, z, len(z), offZ, ldz, y, len(y), offY, ldy,
                dz, len(dz), offDz, lddz)) {
            return 0;
        }
        return ssigmoidBinaryCrossEntropyK(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    @Override
    public final double dsigmoidBinaryCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz,
                                                   double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        if (!checkLoss("dsigmoidBinaryCrossEntropy", "z", "ldz", "dz", "lddz",
                rows, cols, z, len(z), offZ, ldz, y, len(y), offY, ldy,
                dz, len(dz), offDz, lddz)) {
            return 0;
        }
        return dsigmoidBinaryCrossEntropyK(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    /** {@code dz} may be null: then only the probabilities and the loss are computed. */
    protected abstract double ssigmoidBinaryCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz,
                                                          float[] y, int offY, int ldy, float[] dz, int offDz, int lddz);

    /** {@code dz} may be null: then only the probabilities and the loss are computed. */
    protected abstract double dsigmoidBinaryCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz,
                                                          double[] y, int offY, int ldy, double[] dz, int offDz, int lddz);

    // loss = mean (A - Y)^2; dA = 2 (A - Y) / (rows cols)     all (rows, cols)
    @Override
    public final double smeanSquaredError(int rows, int cols, float[] a, int offA, int lda,
                                          float[] y, int offY, int ldy, float[] da, int offDa, int ldda) {
        if (!checkLoss("smeanSquaredError", "a", "lda", "da", "ldda",
                rows, cols, a, len(a), offA, lda, y, len(y), offY, ldy,
                da, len(da), offDa, ldda)) {
            return 0;
        }
        return smeanSquaredErrorK(rows, cols, a, offA, lda, y, offY, ldy, da, offDa, ldda);
    }

    @Override
    public final double dmeanSquaredError(int rows, int cols, double[] a, int offA, int lda,
                                          double[] y, int offY, int ldy, double[] da, int offDa, int ldda) {
        if (!checkLoss("dmeanSquaredError", "a", "lda", "da", "ldda",
                rows, cols, a, len(a), offA, lda, y, len(y), offY, ldy,
                da, len(da), offDa, ldda)) {
            return 0;
        }
        return dmeanSquaredErrorK(rows, cols, a, offA, lda, y, offY, ldy, da, offDa, ldda);
    }

    /** {@code da} may be null: then only the loss is computed. */
    protected abstract double smeanSquaredErrorK(int rows, int cols, float[] a, int offA, int lda,
                                                 float[] y, int offY, int ldy, float[] da, int offDa, int ldda);

    /** {@code da} may be null: then only the loss is computed. */
    protected abstract double dmeanSquaredErrorK(int rows, int cols, double[] a, int offA, int lda,
                                                 double[] y, int offY, int ldy, double[] da, int offDa, int ldda);

    // ---- Vector operations ------------------------------------------------------------------

    // y += alpha x
    @Override
    public final void saxpy(int n, float alpha, float[] x, int offX, float[] y, int offY) {
        dimension("saxpy", "n", n);
        vector("saxpy", "x", x, len(x), offX, n);
        vector("saxpy", "y", y, len(y), offY, n);
        if (n > 0) {
            saxpyK(n, alpha, x, offX, y, offY);
        }
    }

    @Override
    public final void daxpy(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        dimension("daxpy", "n", n);
        vector("daxpy", "x", x, len(x), offX, n);
        vector("daxpy", "y", y, len(y), offY, n);
        if (n > 0) {
            daxpyK(n, alpha, x, offX, y, offY);
        }
    }

    /** The kernel of {@link #saxpy}, called only with arguments that passed its checks. */
    protected abstract void saxpyK(int n, float alpha, float[] x, int offX, float[] y, int offY);

    /** The kernel of {@link #daxpy}, called only with arguments that passed its checks. */
    protected abstract void daxpyK(int n, double alpha, double[] x, int offX, double[] y, int offY);

    // x *= alpha
    @Override
    public final void sscal(int n, float alpha, float[] x, int offX) {
        dimension("sscal", "n", n);
        vector("sscal", "x", x, len(x), offX, n);
        if (n > 0) {
            sscalK(n, alpha, x, offX);
        }
    }

    @Override
    public final void dscal(int n, double alpha, double[] x, int offX) {
        dimension("dscal", "n", n);
        vector("dscal", "x", x, len(x), offX, n);
        if (n > 0) {
            dscalK(n, alpha, x, offX);
        }
    }

    /** The kernel of {@link #sscal}, called only with arguments that passed its checks. */
    protected abstract void sscalK(int n, float alpha, float[] x, int offX);

    /** The kernel of {@link #dscal}, called only with arguments that passed its checks. */
    protected abstract void dscalK(int n, double alpha, double[] x, int offX);

    // ---- Optimizer steps --------------------------------------------------------------------

    // w -= lr g
    @Override
    public final void ssgdStep(int n, float lr, float[] w, int offW, float[] g, int offG) {
        dimension("ssgdStep", "n", n);
        vector("ssgdStep", "w", w, len(w), offW, n);
        vector("ssgdStep", "g", g, len(g), offG, n);
        if (n > 0) {
            ssgdStepK(n, lr, w, offW, g, offG);
        }
    }

    @Override
    public final void dsgdStep(int n, double lr, double[] w, int offW, double[] g, int offG) {
        dimension("dsgdStep", "n", n);
        vector("dsgdStep", "w", w, len(w), offW, n);
        vector("dsgdStep", "g", g, len(g), offG, n);
        if (n > 0) {
            dsgdStepK(n, lr, w, offW, g, offG);
        }
    }

    /** The kernel of {@link #ssgdStep}, called only with arguments that passed its checks. */
    protected abstract void ssgdStepK(int n, float lr, float[] w, int offW, float[] g, int offG);

    /** The kernel of {@link #dsgdStep}, called only with arguments that passed its checks. */
    protected abstract void dsgdStepK(int n, double lr, double[] w, int offW, double[] g, int offG);

    // v = mu v + g; w -= lr (nesterov ? g + mu v : v)
    @Override
    public final void smomentumStep(int n, float lr, float mu, boolean nesterov,
                                    float[] w, int offW, float[] g, int offG, float[] v, int offV) {
        dimension("smomentumStep", "n", n);
        vector("smomentumStep", "w", w, len(w), offW, n);
        vector("smomentumStep", "g", g, len(g), offG, n);
        vector("smomentumStep", "v", v, len(v), offV, n);
        if (n > 0) {
            smomentumStepK(n, lr, mu, nesterov, w, offW, g, offG, v, offV);
        }
    }

    @Override
    public final void dmomentumStep(int n, double lr, double mu, boolean nesterov,
                                    double[] w, int offW, double[] g, int offG, double[] v, int offV) {
        dimension("dmomentumStep", "n", n);
        vector("dmomentumStep", "w", w, len(w), offW, n);
        vector("dmomentumStep", "g", g, len(g), offG, n);
        vector("dmomentumStep", "v", v, len(v), offV, n);
        if (n > 0) {
            dmomentumStepK(n, lr, mu, nesterov, w, offW, g, offG, v, offV);
        }
    }

    /** The kernel of {@link #smomentumStep}, called only with arguments that passed its checks. */
    protected abstract void smomentumStepK(int n, float lr, float mu, boolean nesterov,
                                           float[] w, int offW, float[] g, int offG, float[] v, int offV);

    /** The kernel of {@link #dmomentumStep}, called only with arguments that passed its checks. */
    protected abstract void dmomentumStepK(int n, double lr, double mu, boolean nesterov,
                                           double[] w, int offW, double[] g, int offG, double[] v, int offV);

    // m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr mhat / (sqrt(vhat) + eps)
    @Override
    public final void sadamStep(int n, float lr, float beta1, float beta2, float eps, int t,
                                float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV) {
        checkStep("sadamStep", t);
        dimension("sadamStep", "n", n);
        vector("sadamStep", "w", w, len(w), offW, n);
        vector("sadamStep", "g", g, len(g), offG, n);
        vector("sadamStep", "m", m, len(m), offM, n);
        vector("sadamStep", "v", v, len(v), offV, n);
        if (n > 0) {
            sadamStepK(n, lr, beta1, beta2, eps, t, w, offW, g, offG, m, offM, v, offV);
        }
    }

    @Override
    public final void dadamStep(int n, double lr, double beta1, double beta2, double eps, int t,
                                double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV) {
        checkStep("dadamStep", t);
        dimension("dadamStep", "n", n);
        vector("dadamStep", "w", w, len(w), offW, n);
        vector("dadamStep", "g", g, len(g), offG, n);
        vector("dadamStep", "m", m, len(m), offM, n);
        vector("dadamStep", "v", v, len(v), offV, n);
        if (n > 0) {
            dadamStepK(n, lr, beta1, beta2, eps, t, w, offW, g, offG, m, offM, v, offV);
        }
    }

    /** The kernel of {@link #sadamStep}, called only with arguments that passed its checks. */
    protected abstract void sadamStepK(int n, float lr, float beta1, float beta2, float eps, int t,
                                       float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV);

    /** The kernel of {@link #dadamStep}, called only with arguments that passed its checks. */
    protected abstract void dadamStepK(int n, double lr, double beta1, double beta2, double eps, int t,
                                       double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV);

    // s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps)
    @Override
    public final void srmspropStep(int n, float lr, float rho, float eps,
                                   float[] w, int offW, float[] g, int offG, float[] s, int offS) {
        dimension("srmspropStep", "n", n);
        vector("srmspropStep", "w", w, len(w), offW, n);
        vector("srmspropStep", "g", g, len(g), offG, n);
        vector("srmspropStep", "s", s, len(s), offS, n);
        if (n > 0) {
            srmspropStepK(n, lr, rho, eps, w, offW, g, offG, s, offS);
        }
    }

    @Override
    public final void drmspropStep(int n, double lr, double rho, double eps,
                                   double[] w, int offW, double[] g, int offG, double[] s, int offS) {
        dimension("drmspropStep", "n", n);
        vector("drmspropStep", "w", w, len(w), offW, n);
        vector("drmspropStep", "g", g, len(g), offG, n);
        vector("drmspropStep", "s", s, len(s), offS, n);
        if (n > 0) {
            drmspropStepK(n, lr, rho, eps, w, offW, g, offG, s, offS);
        }
    }

    /** The kernel of {@link #srmspropStep}, called only with arguments that passed its checks. */
    protected abstract void srmspropStepK(int n, float lr, float rho, float eps,
                                          float[] w, int offW, float[] g, int offG, float[] s, int offS);

    /** The kernel of {@link #drmspropStep}, called only with arguments that passed its checks. */
    protected abstract void drmspropStepK(int n, double lr, double rho, double eps,
                                          double[] w, int offW, double[] g, int offG, double[] s, int offS);

    // ---- Validation -------------------------------------------------------------------------

    private static int len(float[] x) {
        return x == null ? -1 : x.length;
    }

    private static int len(double[] x) {
        return x == null ? -1 : x.length;
    }

    /** Returns false when there is nothing to compute. */
    private static boolean checkGemm(String op, Transpose transA, Transpose transB, int m, int n, int k,
                                     boolean alphaIsZero,
                                     Object a, int aLength, int offA, int lda,
                                     Object b, int bLength, int offB, int ldb,
                                     Object c, int cLength, int offC, int ldc) {
        notNull(op, "transA", transA);
        notNull(op, "transB", transB);
        dimension(op, "m", m);
        dimension(op, "n", n);
        dimension(op, "k", k);
        // Row-major storage: op(A) = A is (m, k) so a row holds k; A^T means A is (k, m), a row holds m.
        int aRows = transA.isTransposed() ? k : m;
        int aCols = transA.isTransposed() ? m : k;
        int bRows = transB.isTransposed() ? n : k;
        int bCols = transB.isTransposed() ? k : n;
        leading(op, "lda", lda, aCols);
        leading(op, "ldb", ldb, bCols);
        leading(op, "ldc", ldc, n);
        if (m == 0 || n == 0) {
            return false;
        }
        matrix(op, "c", c, cLength, offC, ldc, m, n);
        if (k > 0 && !alphaIsZero) {
            matrix(op, "a", a, aLength, offA, lda, aRows, aCols);
            matrix(op, "b", b, bLength, offB, ldb, bRows, bCols);
        }
        return true;
    }

    private static boolean checkBiasActivation(String op, Activation act, int rows, int cols,
                                               Object x, int xLength, int offX, int ldx,
                                               Object bias, int biasLength, int offBias) {
        elementwise(op, act);
        if (!checkMatrixOp(op, rows, cols, x, xLength, offX, ldx)) {
            return false;
        }
        vector(op, "bias", bias, biasLength, offBias, cols);
        return true;
    }

    private static boolean checkActivationBackward(String op, Activation act, int rows, int cols,
                                                   Object a, int aLength, int offA, int lda,
                                                   Object dx, int dxLength, int offDx, int lddx) {
        elementwise(op, act);
        dimension(op, "rows", rows);
        dimension(op, "cols", cols);
        leading(op, "lda", lda, cols);
        leading(op, "lddx", lddx, cols);
        if (rows == 0 || cols == 0) {
            return false;
        }
        matrix(op, "a", a, aLength, offA, lda, rows, cols);
        matrix(op, "dx", dx, dxLength, offDx, lddx, rows, cols);
        return true;
    }

    private static boolean checkMatrixOp(String op, int rows, int cols, Object x, int xLength, int offX, int ldx) {
        dimension(op, "rows", rows);
        dimension(op, "cols", cols);
        leading(op, "ldx", ldx, cols);
        if (rows == 0 || cols == 0) {
            return false;
        }
        matrix(op, "x", x, xLength, offX, ldx, rows, cols);
        return true;
    }

    private static boolean checkColumnSums(String op, int rows, int cols, Object x, int xLength, int offX, int ldx,
                                           Object y, int yLength, int offY) {
        dimension(op, "rows", rows);
        dimension(op, "cols", cols);
        leading(op, "ldx", ldx, cols);
        if (rows == 0 || cols == 0) {
            return false;
        }
        matrix(op, "x", x, xLength, offX, ldx, rows, cols);
        vector(op, "y", y, yLength, offY, cols);
        return true;
    }

    // The names are the caller's parameter names (MSE calls its operands a and da), passed as
    // literals so that a valid call allocates nothing.
    private static boolean checkLoss(String op, String zName, String ldzName, String dzName, String lddzName,
                                     int rows, int cols,
                                     Object z, int zLength, int offZ, int ldz,
                                     Object y, int yLength, int offY, int ldy,
                                     Object dz, int dzLength, int offDz, int lddz) {
        dimension(op, "rows", rows);
        dimension(op, "cols", cols);
        leading(op, ldzName, ldz, cols);
        leading(op, "ldy", ldy, cols);
        if (dz != null) {
            leading(op, lddzName, lddz, cols);
        }
        if (rows == 0 || cols == 0) {
            return false;
        }
        matrix(op, zName, z, zLength, offZ, ldz, rows, cols);
        matrix(op, "y", y, yLength, offY, ldy, rows, cols);
        if (dz != null) {
            matrix(op, dzName, dz, dzLength, offDz, lddz, rows, cols);
        }
        return true;
    }

    private static void checkStep(String op, int t) {
        if (t < 1) {
            throw new IllegalArgumentException(op + ": step t must be >= 1, got " + t);
        }
    }

    private static void elementwise(String op, Activation act) {
        notNull(op, "activation", act);
        if (!act.isElementwise()) {
            throw new IllegalArgumentException(op + ": " + act
                    + " is not element-wise; use softmax or softmaxCrossEntropy instead");
        }
    }

    // Plain ifs rather than Objects.requireNonNull(x, supplier): a capturing lambda would allocate on every call.
    private static void notNull(String op, String name, Object value) {
        if (value == null) {
            throw new NullPointerException(op + ": " + name + " is null");
        }
    }

    private static void dimension(String op, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(op + ": " + name + " must be >= 0, got " + value);
        }
    }

    private static void leading(String op, String name, int ld, int rowWidth) {
        if (ld < Math.max(1, rowWidth)) {
            throw new IllegalArgumentException(op + ": " + name + " must be >= max(1, " + rowWidth
                    + ") (the row width), got " + ld);
        }
    }

    private static void offset(String op, String name, int offset) {
        if (offset < 0) {
            throw new IndexOutOfBoundsException(op + ": offset of " + name + " must be >= 0, got " + offset);
        }
    }

    private static void matrix(String op, String name, Object array, int length, int offset, int ld,
                               int rows, int cols) {
        notNull(op, name, array);
        offset(op, name, offset);
        lastIndex(op, name, offset + (long) (rows - 1) * ld + cols - 1, length);
    }

    private static void vector(String op, String name, Object array, int length, int offset, int n) {
        if (n == 0) {
            return; // touches nothing, like a matrix with a zero dimension
        }
        notNull(op, name, array);
        offset(op, name, offset);
        lastIndex(op, name, offset + (long) n - 1, length);
    }

    private static void lastIndex(String op, String name, long last, int length) {
        if (last >= length) {
            throw new IndexOutOfBoundsException(op + ": " + name + " would be accessed at index " + last
                    + " but its length is " + length);
        }
    }
}
