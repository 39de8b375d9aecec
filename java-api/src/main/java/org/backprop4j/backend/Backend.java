package org.backprop4j.backend;

import org.backprop4j.nn.Activation;

/**
 * The heavy operations of training and inference, BLAS-style.
 *
 * <p>Every matrix is row-major and passed as {@code (array, offset, leading dimension)}: element
 * {@code (r, c)} of {@code X} is {@code x[offX + r * ldx + c]}. Arguments come in BLAS order:
 * dimensions, scalars, then array triplets, outputs last. Every method has an {@code s} twin for
 * {@code float[]} and a {@code d} twin for {@code double[]}.
 *
 * <p>Implementations extend {@link AbstractBackend}, which validates every argument and the last
 * index each call touches before any kernel runs: a bad call throws
 * {@link IllegalArgumentException}, {@link IndexOutOfBoundsException} or
 * {@link NullPointerException}, never reads or writes outside an array. A call with a zero
 * dimension (other than GEMM's {@code k}, which still scales {@code C} by {@code beta}) does
 * nothing (a loss returns 0) and does not look at its arrays, which may then be null.
 * Backends are stateless apart from their configuration and safe to call from several threads on
 * disjoint outputs.
 *
 * <p>Inputs are not modified unless a method says so.
 */
public interface Backend {

    /** The name used to select this backend, e.g. {@code "reference"} or {@code "openblas"}. */
    String name();

    /** One line for humans: the implementation, BLAS library and version, thread count. */
    String details();

    // ---- GEMM -------------------------------------------------------------------------------

    /**
     * {@code C = alpha · op(A) · op(B) + beta · C}. {@code op(A)} is {@code (m, k)}, {@code op(B)} is
     * {@code (k, n)}, {@code C} is {@code (m, n)}. When {@code beta == 0}, {@code C} is overwritten
     * (NaN in {@code C} does not propagate); when {@code alpha == 0} or {@code k == 0},
     * {@code A} and {@code B} are not read.
     */
    void sgemm(Transpose transA, Transpose transB, int m, int n, int k,
               float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
               float beta, float[] c, int offC, int ldc);

    /** The {@code double} twin of {@link #sgemm}. */
    void dgemm(Transpose transA, Transpose transB, int m, int n, int k,
               double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
               double beta, double[] c, int offC, int ldc);

    // ---- Layer kernels ----------------------------------------------------------------------

    /**
     * In place, {@code X[r][c] = g(X[r][c] + bias[c])}. {@code X} is {@code (rows, cols)}, bias
     * has {@code cols} elements. {@code act} must be element-wise (not softmax).
     */
    void sbiasActivation(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                         float[] bias, int offBias);

    /** The {@code double} twin of {@link #sbiasActivation}. */
    void dbiasActivation(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                         double[] bias, int offBias);

    /**
     * In place, {@code dX[r][c] *= g'(z)} with the derivative computed from the forward output
     * {@code A = g(Z)}. Both are {@code (rows, cols)}. {@code act} must be element-wise.
     */
    void sactivationBackward(Activation act, int rows, int cols, float[] a, int offA, int lda,
                             float[] dx, int offDx, int lddx);

    /** The {@code double} twin of {@link #sactivationBackward}. */
    void dactivationBackward(Activation act, int rows, int cols, double[] a, int offA, int lda,
                             double[] dx, int offDx, int lddx);

    /** In place, each row of {@code X} {@code (rows, cols)} becomes its softmax (max-shifted, stable). */
    void ssoftmax(int rows, int cols, float[] x, int offX, int ldx);

    /** The {@code double} twin of {@link #ssoftmax}. */
    void dsoftmax(int rows, int cols, double[] x, int offX, int ldx);

    /** {@code y[c] += Σ_r X[r][c]}. {@code X} is {@code (rows, cols)}, {@code y} has {@code cols} elements. */
    void scolumnSums(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY);

    /** The {@code double} twin of {@link #scolumnSums}. */
    void dcolumnSums(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY);

    // ---- Fused losses -----------------------------------------------------------------------

    /**
     * Softmax fused with categorical cross-entropy. In place, each row of the logits {@code Z}
     * becomes its probabilities {@code P}; returns {@code -(1/rows) Σ_r Σ_c Y log P} computed
     * stably from the logits; if {@code dz} is not null writes {@code dZ = (P - Y) / rows}.
     * {@code Z}, {@code Y}, {@code dZ} are {@code (rows, cols)}; {@code Y} holds targets (one-hot
     * or probabilities). {@code dZ} may be {@code Z} itself (same array, offset and leading
     * dimension); {@code Z} then ends up holding {@code dZ}.
     */
    double ssoftmaxCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz,
                                float[] y, int offY, int ldy, float[] dz, int offDz, int lddz);

    /** The {@code double} twin of {@link #ssoftmaxCrossEntropy}. */
    double dsoftmaxCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz,
                                double[] y, int offY, int ldy, double[] dz, int offDz, int lddz);

    /**
     * Sigmoid fused with binary cross-entropy. In place, the logits {@code Z} become
     * {@code P = sigmoid(Z)}; returns the mean over all {@code rows · cols} elements of
     * {@code -(y log p + (1 - y) log(1 - p))}, computed stably from the logits as
     * {@code max(z, 0) - z·y + log(1 + e^-|z|)}; if {@code dz} is not null writes
     * {@code dZ = (P - Y) / (rows · cols)}. {@code dZ} may be {@code Z} itself, as for
     * {@link #ssoftmaxCrossEntropy}.
     */
    double ssigmoidBinaryCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz,
                                      float[] y, int offY, int ldy, float[] dz, int offDz, int lddz);

    /** The {@code double} twin of {@link #ssigmoidBinaryCrossEntropy}. */
    double dsigmoidBinaryCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz,
                                      double[] y, int offY, int ldy, double[] dz, int offDz, int lddz);

    /**
     * Mean squared error: returns {@code (1/(rows · cols)) Σ (A - Y)²}; if {@code da} is not null
     * writes {@code dA = 2 (A - Y) / (rows · cols)}. {@code A} is not modified.
     */
    double smeanSquaredError(int rows, int cols, float[] a, int offA, int lda,
                             float[] y, int offY, int ldy, float[] da, int offDa, int ldda);

    /** The {@code double} twin of {@link #smeanSquaredError}. */
    double dmeanSquaredError(int rows, int cols, double[] a, int offA, int lda,
                             double[] y, int offY, int ldy, double[] da, int offDa, int ldda);

    // ---- Vector operations ------------------------------------------------------------------

    /** {@code y += alpha · x} over {@code n} contiguous elements. */
    void saxpy(int n, float alpha, float[] x, int offX, float[] y, int offY);

    /** The {@code double} twin of {@link #saxpy}. */
    void daxpy(int n, double alpha, double[] x, int offX, double[] y, int offY);

    /** {@code x *= alpha} over {@code n} contiguous elements; {@code alpha == 0} writes zeros, even over NaN. */
    void sscal(int n, float alpha, float[] x, int offX);

    /** The {@code double} twin of {@link #sscal}. */
    void dscal(int n, double alpha, double[] x, int offX);

    // ---- Optimizer steps over flat parameter arrays -----------------------------------------

    /** Gradient descent: {@code w -= lr · g}. */
    void ssgdStep(int n, float lr, float[] w, int offW, float[] g, int offG);

    /** The {@code double} twin of {@link #ssgdStep}. */
    void dsgdStep(int n, double lr, double[] w, int offW, double[] g, int offG);

    /**
     * Momentum (Polyak; Nesterov as in Sutskever et al. 2013, PyTorch's form):
     * {@code v = mu · v + g}, then {@code w -= lr · v}, or {@code w -= lr · (g + mu · v)} when
     * {@code nesterov}. {@code v} is updated in place.
     */
    void smomentumStep(int n, float lr, float mu, boolean nesterov,
                       float[] w, int offW, float[] g, int offG, float[] v, int offV);

    /** The {@code double} twin of {@link #smomentumStep}. */
    void dmomentumStep(int n, double lr, double mu, boolean nesterov,
                       double[] w, int offW, double[] g, int offG, double[] v, int offV);

    /**
     * Adam (Kingma and Ba 2015, Algorithm 1) for step {@code t ≥ 1}:
     * {@code m = b1·m + (1-b1)·g}, {@code v = b2·v + (1-b2)·g²},
     * {@code w -= lr · (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)}.
     */
    void sadamStep(int n, float lr, float beta1, float beta2, float eps, int t,
                   float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV);

    /** The {@code double} twin of {@link #sadamStep}. */
    void dadamStep(int n, double lr, double beta1, double beta2, double eps, int t,
                   double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV);

    /**
     * RMSProp (Hinton, Coursera lecture 6e): {@code s = rho·s + (1-rho)·g²},
     * {@code w -= lr · g / (sqrt(s) + eps)}.
     */
    void srmspropStep(int n, float lr, float rho, float eps,
                      float[] w, int offW, float[] g, int offG, float[] s, int offS);

    /** The {@code double} twin of {@link #srmspropStep}. */
    void drmspropStep(int n, double lr, double rho, double eps,
                      double[] w, int offW, double[] g, int offG, double[] s, int offS);
}
