package org.backprop4j.panama;

import java.lang.foreign.MemorySegment;
import org.backprop4j.backend.AbstractBackend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;

/**
 * The panama backend: GEMM in a system CBLAS called through the Foreign Function and Memory API,
 * the element-wise kernels in Java ({@link JavaKernels}; sigmoid, tanh and softmax on the Vector
 * API, {@link VectorKernels}, where the JVM has it). Every argument has been validated by
 * {@link AbstractBackend} before a kernel here runs.
 *
 * <p>GEMM passes the Java arrays themselves as heap segments to a downcall linked with
 * {@code Linker.Option.critical(true)}: the JVM hands the library pointers into the arrays
 * (holding off the garbage collector for the length of the call), so nothing is copied. The
 * segments are made once per array and offset ({@link SegmentCache}), so nothing is allocated
 * either.
 *
 * <p>Create it through {@code Backends.named("panama")} (or {@code auto}), which finds and loads
 * the library first.
 */
public final class PanamaBackend extends AbstractBackend {

    private final BlasLibrary library;
    private final String details;
    // The addresses of cblas_sgemm and cblas_dgemm, passed to the address-taking downcall handles.
    private final MemorySegment sgemm;
    private final MemorySegment dgemm;
    private final SegmentCache segments = new SegmentCache();
    // Sigmoid, tanh and softmax through VectorKernels; only true where that class can load.
    private final boolean vector;

    PanamaBackend(BlasLibrary library, String details, boolean vector) {
        this.library = library;
        this.details = details;
        this.sgemm = library.sgemm;
        this.dgemm = library.dgemm;
        this.vector = vector;
    }

    /** System property: {@code auto} (the default), {@code true} or {@code false}; see {@link #vectorUnusable()}. */
    static final String VECTOR_PROPERTY = "backprop4j.vector";
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * Null if sigmoid, tanh and softmax can run on the Vector API ({@link VectorKernels}), else
     * why not. They can when this JVM has resolved {@code jdk.incubator.vector} (an incubator
     * module: only with {@code --add-modules jdk.incubator.vector}) and {@value #VECTOR_PROPERTY}
     * is not {@code false}; with {@code auto}, also only on x86-64 with vectors of 256 bits or
     * more ({@link VectorKernels#fast()}), where it was measured; {@code true} uses it on any CPU.
     *
     * @throws IllegalArgumentException if the property has another value
     */
    static String vectorUnusable() {
        String setting = System.getProperty(VECTOR_PROPERTY, "auto").trim().toLowerCase(java.util.Locale.ROOT);
        if (!setting.equals("auto") && !setting.equals("true") && !setting.equals("false") && !setting.isEmpty()) {
            throw new IllegalArgumentException("-D" + VECTOR_PROPERTY + "=" + System.getProperty(VECTOR_PROPERTY)
                    + " is not one of auto, true, false");
        }
        if (setting.equals("false")) {
            return "-D" + VECTOR_PROPERTY + "=false";
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            return "add --add-modules " + VECTOR_MODULE + " to run sigmoid, tanh and softmax 2-6x faster";
        }
        if (!setting.equals("true") && !VectorKernels.fast()) {
            return "the Vector API is used on x86-64 with 256-bit vectors or wider (-D" + VECTOR_PROPERTY
                    + "=true to use it here)";
        }
        return null;
    }

    /** The element-wise part of the backend's description, given {@link #vectorUnusable()}. */
    static String kernels(String vectorUnusable) {
        return vectorUnusable == null
                ? "element-wise kernels in Java, sigmoid, tanh and softmax on the Vector API (" + VectorKernels.describe() + ")"
                : "element-wise kernels in Java (" + vectorUnusable + ")";
    }

    /** True if sigmoid, tanh and softmax run on the Vector API ({@link VectorKernels}). */
    public boolean usesVectorApi() {
        return vector;
    }

    @Override
    public String name() {
        return PanamaBackendProvider.NAME;
    }

    @Override
    public String details() {
        return details;
    }

    /** The number of threads the library uses for GEMM, or -1 if it does not tell. */
    public int threads() {
        return library.threads();
    }

    /**
     * Sets the number of BLAS threads, if the library has a setting for it (OpenBLAS, BLIS). The
     * setting is process-wide: it applies to everything in this JVM that uses the same library.
     *
     * @throws UnsupportedOperationException if the library has no thread setting
     */
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (!library.hasThreadControl()) {
            throw new UnsupportedOperationException(library.where() + " has no thread-count setting");
        }
        library.setThreads(threads);
    }

    /** Rethrows what a downcall handle threw: unchecked as it is, anything else wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static int op(Transpose t) {
        return t.isTransposed() ? BlasLibrary.TRANS : BlasLibrary.NO_TRANS;
    }

    // C = alpha op(A) op(B) + beta C
    // op(A) is (m, k), op(B) is (k, n), C is (m, n), all row-major
    @Override
    protected void sgemmK(Transpose transA, Transpose transB, int m, int n, int k,
                          float alpha, float[] a, int offA, int lda, float[] b, int offB, int ldb,
                          float beta, float[] c, int offC, int ldc) {
        if (k == 0 || alpha == 0) {
            // The contract, stated here rather than left to each BLAS: A and B are not read,
            // and beta == 0 overwrites C (NaN included).
            JavaKernels.sscaleMatrix(m, n, beta, c, offC, ldc);
            return;
        }
        BlasLibrary.sgemm(sgemm, op(transA), op(transB), m, n, k,
                alpha, segments.of(a, offA), lda, segments.of(b, offB), ldb, beta, segments.of(c, offC), ldc);
    }

    // C = alpha op(A) op(B) + beta C
    // op(A) is (m, k), op(B) is (k, n), C is (m, n), all row-major
    @Override
    protected void dgemmK(Transpose transA, Transpose transB, int m, int n, int k,
                          double alpha, double[] a, int offA, int lda, double[] b, int offB, int ldb,
                          double beta, double[] c, int offC, int ldc) {
        if (k == 0 || alpha == 0) {
            JavaKernels.dscaleMatrix(m, n, beta, c, offC, ldc);
            return;
        }
        BlasLibrary.dgemm(dgemm, op(transA), op(transB), m, n, k,
                alpha, segments.of(a, offA), lda, segments.of(b, offB), ldb, beta, segments.of(c, offC), ldc);
    }

    @Override
    protected void sbiasActivationK(Activation act, int rows, int cols, float[] x, int offX, int ldx,
                                    float[] bias, int offBias) {
        if (vector && x != bias && (act == Activation.SIGMOID || act == Activation.TANH)) {
            VectorKernels.sbiasActivation(act, rows, cols, x, offX, ldx, bias, offBias);
        } else {
            JavaKernels.sbiasActivation(act, rows, cols, x, offX, ldx, bias, offBias);
        }
    }

    @Override
    protected void dbiasActivationK(Activation act, int rows, int cols, double[] x, int offX, int ldx,
                                    double[] bias, int offBias) {
        if (vector && x != bias && (act == Activation.SIGMOID || act == Activation.TANH)) {
            VectorKernels.dbiasActivation(act, rows, cols, x, offX, ldx, bias, offBias);
        } else {
            JavaKernels.dbiasActivation(act, rows, cols, x, offX, ldx, bias, offBias);
        }
    }

    @Override
    protected void sactivationBackwardK(Activation act, int rows, int cols, float[] a, int offA, int lda,
                                        float[] dx, int offDx, int lddx) {
        JavaKernels.sactivationBackward(act, rows, cols, a, offA, lda, dx, offDx, lddx);
    }

    @Override
    protected void dactivationBackwardK(Activation act, int rows, int cols, double[] a, int offA, int lda,
                                        double[] dx, int offDx, int lddx) {
        JavaKernels.dactivationBackward(act, rows, cols, a, offA, lda, dx, offDx, lddx);
    }

    @Override
    protected void ssoftmaxK(int rows, int cols, float[] x, int offX, int ldx) {
        if (vector) {
            VectorKernels.ssoftmax(rows, cols, x, offX, ldx);
        } else {
            JavaKernels.ssoftmax(rows, cols, x, offX, ldx);
        }
    }

    @Override
    protected void dsoftmaxK(int rows, int cols, double[] x, int offX, int ldx) {
        if (vector) {
            VectorKernels.dsoftmax(rows, cols, x, offX, ldx);
        } else {
            JavaKernels.dsoftmax(rows, cols, x, offX, ldx);
        }
    }

    @Override
    protected void scolumnSumsK(int rows, int cols, float[] x, int offX, int ldx, float[] y, int offY) {
        JavaKernels.scolumnSums(rows, cols, x, offX, ldx, y, offY);
    }

    @Override
    protected void dcolumnSumsK(int rows, int cols, double[] x, int offX, int ldx, double[] y, int offY) {
        JavaKernels.dcolumnSums(rows, cols, x, offX, ldx, y, offY);
    }

    @Override
    protected double ssoftmaxCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz,
                                           float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        return JavaKernels.ssoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    @Override
    protected double dsoftmaxCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz,
                                           double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        return JavaKernels.dsoftmaxCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    @Override
    protected double ssigmoidBinaryCrossEntropyK(int rows, int cols, float[] z, int offZ, int ldz,
                                                 float[] y, int offY, int ldy, float[] dz, int offDz, int lddz) {
        return JavaKernels.ssigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    @Override
    protected double dsigmoidBinaryCrossEntropyK(int rows, int cols, double[] z, int offZ, int ldz,
                                                 double[] y, int offY, int ldy, double[] dz, int offDz, int lddz) {
        return JavaKernels.dsigmoidBinaryCrossEntropy(rows, cols, z, offZ, ldz, y, offY, ldy, dz, offDz, lddz);
    }

    @Override
    protected double smeanSquaredErrorK(int rows, int cols, float[] a, int offA, int lda,
                                        float[] y, int offY, int ldy, float[] da, int offDa, int ldda) {
        return JavaKernels.smeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, da, offDa, ldda);
    }

    @Override
    protected double dmeanSquaredErrorK(int rows, int cols, double[] a, int offA, int lda,
                                        double[] y, int offY, int ldy, double[] da, int offDa, int ldda) {
        return JavaKernels.dmeanSquaredError(rows, cols, a, offA, lda, y, offY, ldy, da, offDa, ldda);
    }

    @Override
    protected void saxpyK(int n, float alpha, float[] x, int offX, float[] y, int offY) {
        JavaKernels.saxpy(n, alpha, x, offX, y, offY);
    }

    @Override
    protected void daxpyK(int n, double alpha, double[] x, int offX, double[] y, int offY) {
        JavaKernels.daxpy(n, alpha, x, offX, y, offY);
    }

    @Override
    protected void sscalK(int n, float alpha, float[] x, int offX) {
        JavaKernels.sscal(n, alpha, x, offX);
    }

    @Override
    protected void dscalK(int n, double alpha, double[] x, int offX) {
        JavaKernels.dscal(n, alpha, x, offX);
    }

    @Override
    protected void ssgdStepK(int n, float lr, float[] w, int offW, float[] g, int offG) {
        JavaKernels.ssgdStep(n, lr, w, offW, g, offG);
    }

    @Override
    protected void dsgdStepK(int n, double lr, double[] w, int offW, double[] g, int offG) {
        JavaKernels.dsgdStep(n, lr, w, offW, g, offG);
    }

    @Override
    protected void smomentumStepK(int n, float lr, float mu, boolean nesterov,
                                  float[] w, int offW, float[] g, int offG, float[] v, int offV) {
        JavaKernels.smomentumStep(n, lr, mu, nesterov, w, offW, g, offG, v, offV);
    }

    @Override
    protected void dmomentumStepK(int n, double lr, double mu, boolean nesterov,
                                  double[] w, int offW, double[] g, int offG, double[] v, int offV) {
        JavaKernels.dmomentumStep(n, lr, mu, nesterov, w, offW, g, offG, v, offV);
    }

    @Override
    protected void sadamStepK(int n, float lr, float beta1, float beta2, float eps, int t,
                              float[] w, int offW, float[] g, int offG, float[] m, int offM, float[] v, int offV) {
        JavaKernels.sadamStep(n, lr, beta1, beta2, eps, t, w, offW, g, offG, m, offM, v, offV);
    }

    @Override
    protected void dadamStepK(int n, double lr, double beta1, double beta2, double eps, int t,
                              double[] w, int offW, double[] g, int offG, double[] m, int offM, double[] v, int offV) {
        JavaKernels.dadamStep(n, lr, beta1, beta2, eps, t, w, offW, g, offG, m, offM, v, offV);
    }

    @Override
    protected void srmspropStepK(int n, float lr, float rho, float eps,
                                 float[] w, int offW, float[] g, int offG, float[] s, int offS) {
        JavaKernels.srmspropStep(n, lr, rho, eps, w, offW, g, offG, s, offS);
    }

    @Override
    protected void drmspropStepK(int n, double lr, double rho, double eps,
                                 double[] w, int offW, double[] g, int offG, double[] s, int offS) {
        JavaKernels.drmspropStep(n, lr, rho, eps, w, offW, g, offG, s, offS);
    }
}
