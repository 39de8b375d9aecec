package org.backprop4j.openblas;

import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;

/**
 * The JavaCPP binding of our native kernels ({@code src/main/cpp/backprop4j_kernels.h}): GEMM through
 * the preset's OpenBLAS, the element-wise work in our own C++.
 *
 * <p>Every method is {@link CriticalRegion}: Java arrays reach native code pinned, never copied.
 * Nothing here checks its arguments; only {@link OpenBlasBackend}, which validates every index
 * first (through {@code AbstractBackend}), may call it. Activation codes are
 * {@code Activation.ordinal()}; transposes are 0 (no) or 1 (yes).
 */
@Properties(value = @Platform(include = "backprop4j_kernels.h", link = "openblas@.0", compiler = "cpp11"))
final class OpenBlasKernels {

    private OpenBlasKernels() {
    }

    // ---- GEMM (cblas_?gemm, row-major) ------------------------------------------------------

    @CriticalRegion @Name("bp4j_sgemm")
    static native void sgemm(int transA, int transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                             float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc);

    @CriticalRegion @Name("bp4j_dgemm")
    static native void dgemm(int transA, int transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
                             double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc);

    // ---- Layer kernels ----------------------------------------------------------------------

    @CriticalRegion @Name("bp4j_sbias_activation")
    static native void sbiasActivation(int act, int rows, int cols, float[] x, int offX, int ldx, float[] bias, int offBias);

    @CriticalRegion @Name("bp4j_dbias_activation")
    static native void dbiasActivation(int act, int rows, int cols, double[] x, int offX, int ldx, double[] bias, int offBias);

    @CriticalRegion @Name("bp4j_sactivation_backward")
    static native void sactivationBackward(int act, int rows, int cols, float[] a, int offA, int lda,
                                           float[] dx, int offDx, int lddx);

    @CriticalRegion @Name("bp4j_dactivation_backward")
    static native void dactivationBackward(int act, int rows, int cols, double[] a, int offA, int lda,
                                           double[] dx, int offDx, int lddx);

    @CriticalRegion @Name("bp4j_ssoftmax")
    static native void ssoftmax(int rows, int cols, float[] x, int offX, int ldx);

    @CriticalRegion @Name("bp4j_dsoftmax")
    static native void dsoftmax(int rows, int cols, double[] x, int offX, int ldx);

    @CriticalRegion @Name("bp4j_scolumn_sums")
    static native void scolumnSums(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY);

    @CriticalRegion @Name("bp4j_dcolumn_sums")
    static native void dcolumnSums(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY);

    // ---- Fused losses: when withGradient is 0, dz is not written (the caller passes z for it) --

    @CriticalRegion @Name("bp4j_ssoftmax_cross_entropy")
    static native double ssoftmaxCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz, float[] y, int offY, int ldy,
                                              int withGradient, float[] dz, int offDz, int lddz);

    @CriticalRegion @Name("bp4j_dsoftmax_cross_entropy")
    static native double dsoftmaxCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz, double[] y, int offY, int ldy,
                                              int withGradient, double[] dz, int offDz, int lddz);

    @CriticalRegion @Name("bp4j_ssigmoid_binary_cross_entropy")
    static native double ssigmoidBinaryCrossEntropy(int rows, int cols, float[] z, int offZ, int ldz, float[] y, int offY,
                                                    int ldy, int withGradient, float[] dz, int offDz, int lddz);

    @CriticalRegion @Name("bp4j_dsigmoid_binary_cross_entropy")
    static native double dsigmoidBinaryCrossEntropy(int rows, int cols, double[] z, int offZ, int ldz, double[] y, int offY,
                                                    int ldy, int withGradient, double[] dz, int offDz, int lddz);

    @CriticalRegion @Name("bp4j_smean_squared_error")
    static native double smeanSquaredError(int rows, int cols, float[] a, int offA, int lda, float[] y, int offY, int ldy,
                                           int withGradient, float[] da, int offDa, int ldda);

    @CriticalRegion @Name("bp4j_dmean_squared_error")
    static native double dmeanSquaredError(int rows, int cols, double[] a, int offA, int lda, double[] y, int offY, int ldy,
                                           int withGradient, double[] da, int offDa, int ldda);

    // ---- Vector operations and optimizer steps ----------------------------------------------

    @CriticalRegion @Name("bp4j_saxpy")
    static native void saxpy(int n, float alpha, float[] x, int offX, float[] y, int offY);

    @CriticalRegion @Name("bp4j_daxpy")
    static native void daxpy(int n, double alpha, double[] x, int offX, double[] y, int offY);

    @CriticalRegion @Name("bp4j_sscal")
    static native void sscal(int n, float alpha, float[] x, int offX);

    @CriticalRegion @Name("bp4j_dscal")
    static native void dscal(int n, double alpha, double[] x, int offX);

    @CriticalRegion @Name("bp4j_ssgd_step")
    static native void ssgdStep(int n, float lr, float[] w, int offW, float[] g, int offG);

    @CriticalRegion @Name("bp4j_dsgd_step")
    static native void dsgdStep(int n, double lr, double[] w, int offW, double[] g, int offG);

    @CriticalRegion @Name("bp4j_smomentum_step")
    static native void smomentumStep(int n, float lr, float mu, int nesterov, float[] w, int offW, float[] g, int offG,
                                     float[] v, int offV);

    @CriticalRegion @Name("bp4j_dmomentum_step")
    static native void dmomentumStep(int n, double lr, double mu, int nesterov, double[] w, int offW, double[] g, int offG,
                                     double[] v, int offV);

    /** {@code c1 = 1 - beta1^t} and {@code c2 = 1 - beta2^t} are computed in Java, in double. */
    @CriticalRegion @Name("bp4j_sadam_step")
    static native void sadamStep(int n, float lr, float beta1, float beta2, float eps, double c1, double c2,
                                 float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV);

    @CriticalRegion @Name("bp4j_dadam_step")
    static native void dadamStep(int n, double lr, double beta1, double beta2, double eps, double c1, double c2,
                                 double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV);

    @CriticalRegion @Name("bp4j_srmsprop_step")
    static native void srmspropStep(int n, float lr, float rho, float eps, float[] w, int offW, float[] g, int offG,
                                    float[] s, int offS);

    @CriticalRegion @Name("bp4j_drmsprop_step")
    static native void drmspropStep(int n, double lr, double rho, double eps, double[] w, int offW, double[] g, int offG,
                                    double[] s, int offS);

    // ---- Library information and threads ---------------------------------------------------

    @Name("bp4j_set_threads")
    static native void setThreads(int threads);

    @Name("bp4j_get_threads")
    static native int getThreads();

    /** GEMMs with fewer multiply-adds (m·n·k) than this run on one thread. */
    @Name("bp4j_set_parallel_min")
    static native void setParallelMin(long multiplyAdds);

    @Name("bp4j_get_parallel_min")
    static native long getParallelMin();

    @Name("bp4j_openblas_config")
    static native String openblasConfig();

    @Name("bp4j_openblas_corename")
    static native String openblasCorename();

    /** The name of the instruction-set variant our element-wise kernels dispatched to, e.g. "avx2". */
    @Name("bp4j_kernel_isa")
    static native String kernelIsa();
}
