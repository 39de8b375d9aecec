// The native side of org.backprop4j.openblas.OpenBlasKernels.
//
// GEMM goes to the cblas_?gemm of the OpenBLAS shipped by the bytedeco preset; the element-wise
// kernels live in backprop4j_elementwise.h. Callers have validated every index in Java
// (AbstractBackend): nothing here checks bounds.
#ifndef BACKPROP4J_KERNELS_H
#define BACKPROP4J_KERNELS_H

#include <cblas.h>
#include "backprop4j_elementwise.h"

// C = alpha op(A) op(B) + beta C     op(A) is (m, k), op(B) is (k, n), C is (m, n), all row-major
static inline void bp4j_sgemm(int transA, int transB, int m, int n, int k, float alpha,
                              const float* a, int offA, int lda, const float* b, int offB, int ldb,
                              float beta, float* c, int offC, int ldc) {
    if (k == 0 || alpha == 0.0f) {
        // BLAS leaves C * beta; state the contract explicitly (beta == 0 overwrites NaN).
        bp4j_sscale_matrix(m, n, beta, c + offC, ldc);
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
