package org.backprop4j.openblas;

import org.backprop4j.backend.AbstractBackend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;

/**
 * The openblas backend: GEMM through the OpenBLAS of the bytedeco preset, element-wise kernels in
 * our own vectorized C++ ({@code backprop4j_kernels.h}), both on pinned Java arrays without copies.
 * Every argument has been validated by {@link AbstractBackend} before a kernel here runs.
 *
 * <p>Create it through {@code Backends.named("openblas")} (or {@code auto}), which loads the native
 * libraries first.
 */
public final class OpenBlasBackend extends AbstractBackend {

    private final String details;

    OpenBlasBackend(String details) {
        this.details = details;
    }

    @Override
    public String name() {
        return OpenBlasBackendProvider.NAME;
    }

    @Override
    public String details() {
        return details;
    }

    /** The number of threads OpenBLAS uses for GEMM. */
    public int threads() {
        return OpenBlasKernels.getThreads();
    }

    /**
     * Sets the number of OpenBLAS threads. OpenBLAS's setting is process-wide: it applies to every
     * openblas backend in this JVM.
     */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        OpenBlasKernels.setThreads(threads);
    }

    /** GEMMs with fewer multiply-adds (m·n·k) than this run on one thread (process-wide; 0: OpenBLAS decides). */
    public long parallelGemmMin() {
        return OpenBlasKernels.getParallelMin();
    }

    /** Sets {@link #parallelGemmMin()}. */
    public void setParallelGemmMin(long multiplyAdds) {
        if (multiplyAdds < 0) {
            throw new IllegalArgumentException("parallelGemmMin must be >= 0, got " + multiplyAdds);
        }
        OpenBlasKernels.setParallelMin(multiplyAdds);
    }

    private static int t(Transpose t) {
        return t.isTransposed() ? 1 : 0;
    }

    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k, float alpha, float[] a, int offA,
                          int lda, float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
        OpenBlasKernels.sgemm(t(transA), t(transB), m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    @Override
    protected void dgemmK(Transpose transA, Transpose transB, int m, int n, int k, double alpha, double[] a, int offA,
                          int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
        OpenBlasKernels.dgemm(t(transA), t(transB), m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    @Override
    protected void sbiasActivationK(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                    float[] bias, int offBias) {
        OpenBlasKernels.sbiasActivation(act.ordinal(), rows, cols, x, offX, ldx, bias, offBias);
    }

    @Override
    protected void dbiasActivationK(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                    double[] bias, int offBias) {
        OpenBlasKernels.dbiasActivation(act.ordinal(), rows, cols, x, offX, ldx, bias, offBias);
    }

    @Override
    protected void sactivationBackwardK(Activation act, int rows, int cols, float[] a, int offA, int lda,
                                        float[] dx, int offDx, int lddx) {
        OpenBlasKernels.sactivationBackward(act.ordinal(), rows, cols, a, offA, lda, dx, offDx, lddx);
    }

    @Override
    protected void dactivationBackwardK(Activation act, int rows, int cols, double[] a, int offA, int lda,
                                        double[] dx, int offDx, int lddx) {
        OpenBlasKernels.dactivationBackward(act.ordinal(), rows, cols, a, offA, lda, dx, offDx, lddx);
    }

    @Override
    protected void ssoftmaxK(int rows, int cols, float[] x, int offX, int ldx) {
        OpenBlasKernels.ssoftmax(rows, cols, x, offX, ldx);
    }

    @Override
    protected void dsoftmaxK(int rows, int cols, double[] x, int offX, int ldx) {
        OpenBlasKernels.dsoftmax(rows, cols, x, offX, ldx);
    }

    @Override
    protected void scolumnSumsK(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY) {
        OpenBlasKernels.scolumnSums(rows, cols, x, offX, ldx, y, offY);
    }

    @Override
    protected void dcolumnSumsK(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY) {
        OpenBlasKernels.dcolumnSums(rows, cols, x, offX, ldx, y, offY);
    }

    // A null gradient output becomes "z again, not written": JNI cannot pin a null array.
    @Override
    protected double ssoftmaxCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz, float[] y, int offY, int ldy,
                                           float[] dz, int offDz, int lddz) {
        return dz == null
                ? OpenBlasKernels.ssoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 0, z, offZ, ldz)
                : OpenBlasKernels.ssoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 1, dz, offDz, lddz);
    }

    @Override
    protected double dsoftmaxCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz, double[] y, int offY,
                                           int ldy, double[] dz, int offDz, int lddz) {
        return dz == null
                ? OpenBlasKernels.dsoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 0, z, offZ, ldz)
                : OpenBlasKernels.dsoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 1, dz, offDz, lddz);
    }

    @Override
    protected double ssigmoidBinaryCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz, float[] y, int offY,
                                                 int ldy, float[] dz, int offDz, int lddz) {
        return dz == null
                ? OpenBlasKernels.ssigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 0, z, offZ, ldz)
                : OpenBlasKernels.ssigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 1, dz, offDz, lddz);
    }

    @Override
    protected double dsigmoidBinaryCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz, double[] y, int offY,
                                                 int ldy, double[] dz, int offDz, int lddz) {
        return dz == null
                ? OpenBlasKernels.dsigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 0, z, offZ, ldz)
                : OpenBlasKernels.dsigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, 1, dz, offDz, lddz);
    }

    @Override
    protected double smeanSquaredErrorK(int rows, int cols, float[] a, int offA, int lda, float[] y, int offY, int ldy,
                                        float[] da, int offDa, int ldda) {
        return da == null
                ? OpenBlasKernels.smeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, 0, a, offA, lda)
                : OpenBlasKernels.smeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, 1, da, offDa, ldda);
    }

    @Override
    protected double dmeanSquaredErrorK(int rows, int cols, double[] a, int offA, int lda, double[] y, int offY, int ldy,
                                        double[] da, int offDa, int ldda) {
        return da == null
                ? OpenBlasKernels.dmeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, 0, a, offA, lda)
                : OpenBlasKernels.dmeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, 1, da, offDa, ldda);
    }

    @Override
    protected void saxpyK(int n, float alpha, float[] x, int offX, float[] y, int offY) {
        OpenBlasKernels.saxpy(n, alpha, x, offX, y, offY);
    }

    @Override
    protected void daxpyK(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        OpenBlasKernels.daxpy(n, alpha, x, offX, y, offY);
    }

    @Override
    protected void sscalK(int n, float alpha, float[] x, int offX) {
        OpenBlasKernels.sscal(n, alpha, x, offX);
    }

    @Override
    protected void dscalK(int n, double alpha, double[] x, int offX) {
        OpenBlasKernels.dscal(n, alpha, x, offX);
    }

    @Override
    protected void ssgdStepK(int n, float lr, float[] w, int offW, float[] g, int offG) {
        OpenBlasKernels.ssgdStep(n, lr, w, offW, g, offG);
    }

    @Override
    protected void dsgdStepK(int n, double lr, double[] w, int offW, double[] g, int offG) {
        OpenBlasKernels.dsgdStep(n, lr, w, offW, g, offG);
    }

    @Override
    protected void smomentumStepK(int n, float lr, float mu, boolean nesterov, float[] w, int offW, float[] g, int offG,
                                  float[] v, int offV) {
        OpenBlasKernels.smomentumStep(n, lr, mu, nesterov ? 1 : 0, w, offW, g, offG, v, offV);
    }

    @Override
    protected void dmomentumStepK(int n, double lr, double mu, boolean nesterov, double[] w, int offW, double[] g,
                                  int offG, double[] v, int offV) {
        OpenBlasKernels.dmomentumStep(n, lr, mu, nesterov ? 1 : 0, w, offW, g, offG, v, offV);
    }

    @Override
    protected void sadamStepK(int n, float lr, float beta1, float beta2, float eps, int t, float[] w, int offW,
                              float[] g, int offG, float[] m, int offM, float[] v, int offV) {
        OpenBlasKernels.sadamStep(n, lr, beta1, beta2, eps, 1 - Math.pow(beta1, t), 1 - Math.pow(beta2, t),
                w, offW, g, offG, m, offM, v, offV);
    }

    @Override
    protected void dadamStepK(int n, double lr, double beta1, double beta2, double eps, int t, double[] w, int offW,
                              double[] g, int offG, double[] m, int offM, double[] v, int offV) {
        OpenBlasKernels.dadamStep(n, lr, beta1, beta2, eps, 1 - Math.pow(beta1, t), 1 - Math.pow(beta2, t),
                w, offW, g, offG, m, offM, v, offV);
    }

    @Override
    protected void srmspropStepK(int n, float lr, float rho, float eps, float[] w, int offW, float[] g, int offG,
                                 float[] s, int offS) {
        OpenBlasKernels.srmspropStep(n, lr, rho, eps, w, offW, g, offG, s, offS);
    }

    @Override
    protected void drmspropStepK(int n, double lr, double rho, double eps, double[] w, int offW, double[] g, int offG,
                                 double[] s, int offS) {
        OpenBlasKernels.drmspropStep(n, lr, rho, eps, w, offW, g, offG, s, offS);
    }
}
