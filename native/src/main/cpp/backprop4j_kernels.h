// The native side of org.backprop4j.openblas.OpenBlasKernels.
//
// GEMM goes to the cblas_?gemm of the OpenBLAS shipped by the bytedeco preset; the element-wise
// kernels live in backprop4j_elementwise.h. Callers have validated every index in Java
// (AbstractBackend): nothing here checks bounds.
#ifndef BACKPROP4J_KERNELS_H
#define BACKPROP4J_KERNELS_H

#include <cblas.h>
#include "backprop4j_elementwise.h"

// GEMMs with fewer multiply-adds (m·n·k) than this run on the calling thread alone. Waking OpenBLAS's
// worker threads costs more than they save on small products, and a worker that then spins
// waiting for the next job competes with the training thread when the machine has few cores.
static long long bp4j_parallel_min = 0;

static inline void bp4j_set_parallel_min(long long multiplyAdds) {
    bp4j_parallel_min = multiplyAdds;
}

static inline long long bp4j_get_parallel_min() {
    return bp4j_parallel_min;
}

static inline bool bp4j_single_threaded(int m, int n, int k) {
    return (long long) m * n * k < bp4j_parallel_min;
}

// C = alpha op(A) op(B) + beta C     op(A) is (m, k), op(B) is (k, n), C is (m, n), all row-major
static inline void bp4j_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                              const float* a, int offA, int lda, const float* b, int offB, int ldb,
                              float beta, float* c, int offC, int ldc) {
    if (k == 0 || alpha == 0.0f) {
        // BLAS leaves C * beta; state the contract explicitly (beta == 0 overwrites NaN).
        bp4j_sscale_matrix(m, n, beta, c + offC, ldc);
        return;
    }
    if (bp4j_single_threaded(m, n, k)) {
        int previous = openblas_set_num_threads_local(1);
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, a + offA, lda, b + offB, ldb, beta, c + offC, ldc);
        openblas_set_num_threads_local(previous);
        return;
    }
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a + offA, lda, b + offB, ldb, beta, c + offC, ldc);
}

static inline void bp4j_dgemm(int transA, int transB, int m, int n, int k, double alpha,
                              const double* a, int offA, int lda, const double* b, int offB, int ldb,
                              double beta, double* c, int offC, int ldc) {
    if (k == 0 || alpha == 0.0) {
        bp4j_dscale_matrix(m, n, beta, c + offC, ldc);
        return;
    }
    if (bp4j_single_threaded(m, n, k)) {
        int previous = openblas_set_num_threads_local(1);
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    m, n, k, alpha, a + offA, lda, b + offB, ldb, beta, c + offC, ldc);
        openblas_set_num_threads_local(previous);
        return;
    }
    cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, a + offA, lda, b + offB, ldb, beta, c + offC, ldc);
}

static inline void bp4j_set_threads(int threads) {
    openblas_set_num_threads(threads);
}

static inline int bp4j_get_threads() {
    return openblas_get_num_threads();
}

// Build options of the loaded OpenBLAS, e.g. "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=128".
static inline const char* bp4j_openblas_config() {
    return openblas_get_config();
}

// The CPU core type OpenBLAS selected at run time, e.g. "Haswell" or "SkylakeX".
static inline const char* bp4j_openblas_corename() {
    return openblas_get_corename();
}

#endif
