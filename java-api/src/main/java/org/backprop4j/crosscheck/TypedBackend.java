package org.backprop4j.crosscheck;

import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;

/**
 * A backend bound to one dtype: each method calls the {@code s} or {@code d} twin, so a case is
 * written once for both. Scalars are rounded to {@code float} for float32, as a caller would.
 */
final class TypedBackend {

    final Backend backend;
    final DType dtype;
    private final boolean single;

    TypedBackend(Backend backend, DType dtype) {
        this.backend = backend;
        this.dtype = dtype;
        this.single = dtype == DType.FLOAT32;
    }

    /** A fresh copy of {@code values} for one call (kernels work in place); null stays null. */
    TypedArray array(double[] values) {
        return TypedArray.of(dtype, values);
    }

    private static float[] f(TypedArray t) {
        return t == null ? null : t.f;
    }

    private static double[] d(TypedArray t) {
        return t == null ? null : t.d;
    }

    void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, TypedArray a, int offA, int lda,
              TypedArray b, int offB, int ldb, double beta, TypedArray c, int offC, int ldc) {
        if (single) {
            backend.sgemm(ta, tb, m, n, k, (float) alpha, f(a), offA, lda, f(b), offB, ldb, (float) beta, f(c), offC, ldc);
        } else {
            backend.dgemm(ta, tb, m, n, k, alpha, d(a), offA, lda, d(b), offB, ldb, beta, d(c), offC, ldc);
        }
    }

    void biasActivation(Activation act, int rows, int cols, TypedArray x, int offX, int ldx, TypedArray bias,
                        int offBias) {
        if (single) {
            backend.sbiasActivation(act, rows, cols, f(x), offX, ldx, f(bias), offBias);
        } else {
            backend.dbiasActivation(act, rows, cols, d(x), offX, ldx, d(bias), offBias);
        }
    }

    void activationBackward(Activation act, int rows, int cols, TypedArray a, int offA, int lda, TypedArray dx,
                            int offDx, int lddx) {
        if (single) {
            backend.sactivationBackward(act, rows, cols, f(a), offA, lda, f(dx), offDx, lddx);
        } else {
            backend.dactivationBackward(act, rows, cols, d(a), offA, lda, d(dx), offDx, lddx);
        }
    }

    void softmax(int rows, int cols, TypedArray x, int offX, int ldx) {
        if (single) {
            backend.ssoftmax(rows, cols, f(x), offX, ldx);
        } else {
            backend.dsoftmax(rows, cols, d(x), offX, ldx);
        }
    }

    void columnSums(int rows, int cols, TypedArray x, int offX, int ldx, TypedArray y, int offY) {
        if (single) {
            backend.scolumnSums(rows, cols, f(x), offX, ldx, f(y), offY);
        } else {
            backend.dcolumnSums(rows, cols, d(x), offX, ldx, d(y), offY);
        }
    }

    double softmaxCrossEntropy(int rows, int cols, TypedArray z, int offZ, int ldz, TypedArray y, int offY, int ldy,
                               TypedArray dz, int offDz, int lddz) {
        return single
                ? backend.ssoftmaxCrossEntropy(rows, cols, f(z), offZ, ldz, f(y), offY, ldy, f(dz), offDz, lddz)
                : backend.dsoftmaxCrossEntropy(rows, cols, d(z), offZ, ldz, d(y), offY, ldy, d(dz), offDz, lddz);
    }

    double sigmoidBinaryCrossEntropy(int rows, int cols, TypedArray z, int offZ, int ldz, TypedArray y, int offY,
                                     int ldy, TypedArray dz, int offDz, int lddz) {
        return single
                ? backend.ssigmoidBinaryCrossEntropy(rows, cols, f(z), offZ, ldz, f(y), offY, ldy, f(dz), offDz, lddz)
                : backend.dsigmoidBinaryCrossEntropy(rows, cols, d(z), offZ, ldz, d(y), offY, ldy, d(dz), offDz, lddz);
    }

    double meanSquaredError(int rows, int cols, TypedArray a, int offA, int lda, TypedArray y, int offY, int ldy,
                            TypedArray da, int offDa, int ldda) {
        return single
                ? backend.smeanSquaredError(rows, cols, f(a), offA, lda, f(y), offY, ldy, f(da), offDa, ldda)
                : backend.dmeanSquaredError(rows, cols, d(a), offA, lda, d(y), offY, ldy, d(da), offDa, ldda);
    }

    void axpy(int n, double alpha, TypedArray x, int offX, TypedArray y, int offY) {
        if (single) {
            backend.saxpy(n, (float) alpha, f(x), offX, f(y), offY);
        } else {
            backend.daxpy(n, alpha, d(x), offX, d(y), offY);
        }
    }

    void scal(int n, double alpha, TypedArray x, int offX) {
        if (single) {
            backend.sscal(n, (float) alpha, f(x), offX);
        } else {
            backend.dscal(n, alpha, d(x), offX);
        }
    }

    void sgdStep(int n, double lr, TypedArray w, int offW, TypedArray g, int offG) {
        if (single) {
            backend.ssgdStep(n, (float) lr, f(w), offW, f(g), offG);
        } else {
            backend.dsgdStep(n, lr, d(w), offW, d(g), offG);
        }
    }

    void momentumStep(int n, double lr, double mu, boolean nesterov, TypedArray w, int offW, TypedArray g, int offG,
                      TypedArray v, int offV) {
        if (single) {
            backend.smomentumStep(n, (float) lr, (float) mu, nesterov, f(w), offW, f(g), offG, f(v), offV);
        } else {
            backend.dmomentumStep(n, lr, mu, nesterov, d(w), offW, d(g), offG, d(v), offV);
        }
    }

    void adamStep(int n, double lr, double beta1, double beta2, double eps, int t, TypedArray w, int offW,
                  TypedArray g, int offG, TypedArray m, int offM, TypedArray v, int offV) {
        if (single) {
            backend.sadamStep(n, (float) lr, (float) beta1, (float) beta2, (float) eps, t,
                    f(w), offW, f(g), offG, f(m), offM, f(v), offV);
        } else {
            backend.dadamStep(n, lr, beta1, beta2, eps, t, d(w), offW, d(g), offG, d(m), offM, d(v), offV);
        }
    }

    void rmspropStep(int n, double lr, double rho, double eps, TypedArray w, int offW, TypedArray g, int offG,
                     TypedArray s, int offS) {
        if (single) {
            backend.srmspropStep(n, (float) lr, (float) rho, (float) eps, f(w), offW, f(g), offG, f(s), offS);
        } else {
            backend.drmspropStep(n, lr, rho, eps, d(w), offW, d(g), offG, d(s), offS);
        }
    }
}
