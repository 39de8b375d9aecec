package org.backprop4j.nn;

import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;

/** A backend bound to one dtype: each method calls the backend's {@code s} or {@code d} twin. */
final class Kernels {

    final Backend backend;
    final DType dtype;
    private final boolean single;

    Kernels(Backend backend, DType dtype) {
        this.backend = backend;
        this.dtype = dtype;
        this.single = dtype == DType.FLOAT32;
    }

    void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, Storage a, int offA, int lda,
              Storage b, int offB, int ldb, double beta, Storage c, int offC, int ldc) {
        if (single) {
            backend.sgemm(ta, tb, m, n, k, (float) alpha, a.f, offA, lda, b.f, offB, ldb, (float) beta, c.f, offC, ldc);
        } else {
            backend.dgemm(ta, tb, m, n, k, alpha, a.d, offA, lda, b.d, offB, ldb, beta, c.d, offC, ldc);
        }
    }

    void biasActivation(Activation act, int rows, int cols, Storage x, int ldx, Storage bias, int offBias) {
        if (single) {
            backend.sbiasActivation(act, rows, cols, x.f, 0, ldx, bias.f, offBias);
        } else {
            backend.dbiasActivation(act, rows, cols, x.d, 0, ldx, bias.d, offBias);
        }
    }

    void activationBackward(Activation act, int rows, int cols, Storage a, int lda, Storage dx, int lddx) {
        if (single) {
            backend.sactivationBackward(act, rows, cols, a.f, 0, lda, dx.f, 0, lddx);
        } else {
            backend.dactivationBackward(act, rows, cols, a.d, 0, lda, dx.d, 0, lddx);
        }
    }

    void softmax(int rows, int cols, Storage x, int ldx) {
        if (single) {
            backend.ssoftmax(rows, cols, x.f, 0, ldx);
        } else {
            backend.dsoftmax(rows, cols, x.d, 0, ldx);
        }
    }

    void columnSums(int rows, int cols, Storage x, int ldx, Storage y, int offY) {
        if (single) {
            backend.scolumnSums(rows, cols, x.f, 0, ldx, y.f, offY);
        } else {
            backend.dcolumnSums(rows, cols, x.d, 0, ldx, y.d, offY);
        }
    }

    /** The fused loss of {@code loss} over {@code (rows, cols)}; {@code dz} may be null (no gradient). */
    double loss(Loss loss, int rows, int cols, Storage z, Storage y, Storage dz) {
        switch (loss) {
            case CATEGORICAL_CROSS_ENTROPY:
                return single
                        ? backend.ssoftmaxCrossEntropy(rows, cols, z.f, 0, cols, y.f, 0, cols, dz == null ? null : dz.f, 0, cols)
                        : backend.dsoftmaxCrossEntropy(rows, cols, z.d, 0, cols, y.d, 0, cols, dz == null ? null : dz.d, 0, cols);
            case BINARY_CROSS_ENTROPY:
                return single
                        ? backend.ssigmoidBinaryCrossEntropy(rows, cols, z.f, 0, cols, y.f, 0, cols, dz == null ? null : dz.f, 0, cols)
                        : backend.dsigmoidBinaryCrossEntropy(rows, cols, z.d, 0, cols, y.d, 0, cols, dz == null ? null : dz.d, 0, cols);
            case MEAN_SQUARED_ERROR:
                return single
                        ? backend.smeanSquaredError(rows, cols, z.f, 0, cols, y.f, 0, cols, dz == null ? null : dz.f, 0, cols)
                        : backend.dmeanSquaredError(rows, cols, z.d, 0, cols, y.d, 0, cols, dz == null ? null : dz.d, 0, cols);
            default:
                throw new AssertionError(loss);
        }
    }

    void axpy(int n, double alpha, Storage x, int offX, Storage y, int offY) {
        if (single) {
            backend.saxpy(n, (float) alpha, x.f, offX, y.f, offY);
        } else {
            backend.daxpy(n, alpha, x.d, offX, y.d, offY);
        }
    }

    void momentumStep(int n, double lr, double mu, boolean nesterov, Storage w, Storage g, Storage v) {
        if (single) {
            backend.smomentumStep(n, (float) lr, (float) mu, nesterov, w.f, 0, g.f, 0, v.f, 0);
        } else {
            backend.dmomentumStep(n, lr, mu, nesterov, w.d, 0, g.d, 0, v.d, 0);
        }
    }

    void adamStep(int n, double lr, double beta1, double beta2, double eps, int t,
                  Storage w, Storage g, Storage m, Storage v) {
        if (single) {
            backend.sadamStep(n, (float) lr, (float) beta1, (float) beta2, (float) eps, t, w.f, 0, g.f, 0, m.f, 0, v.f, 0);
        } else {
            backend.dadamStep(n, lr, beta1, beta2, eps, t, w.d, 0, g.d, 0, m.d, 0, v.d, 0);
        }
    }

    void rmspropStep(int n, double lr, double rho, double eps, Storage w, Storage g, Storage s) {
        if (single) {
            backend.srmspropStep(n, (float) lr, (float) rho, (float) eps, w.f, 0, g.f, 0, s.f, 0);
        } else {
            backend.drmspropStep(n, lr, rho, eps, w.d, 0, g.d, 0, s.d, 0);
        }
    }
}
