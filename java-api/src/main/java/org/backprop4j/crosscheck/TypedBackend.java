package org.backprop4j.crosscheck;

import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;

/**
 * A backend bound to one dtype: each method calls the {@code s} or {@code d} twin of the
 * {@link Backend} method of the same name, with {@link TypedArray} operands, so that a comparison
 * of backends is written once for both dtypes. Scalars are rounded to {@code float} for float32, as
 * a caller would. Arguments are passed through unchecked: the backend validates them.
 */
public final class TypedBackend {

    final Backend backend;
    final DType dtype;
    private final boolean single;

    /** {@code backend}'s {@code s} methods for {@link DType#FLOAT32}, its {@code d} methods for {@link DType#FLOAT64}. */
    public TypedBackend(Backend backend, DType dtype) {
        this.backend = backend;
        this.dtype = dtype;
        this.single = dtype == DType.FLOAT32;
    }

    /** The backend's name. */
    public String name() {
        return backend.name();
    }

    /** The dtype the calls are made in. */
    public DType dtype() {
        return dtype;
    }

    /** The kernel's name as the interface spells it for this dtype, e.g. {@code "sgemm"} for {@code "gemm"}. */
    public String kernel(String op) {
        return (single ? "s" : "d") + op;
    }

    /** A fresh copy of {@code values} for one call (kernels work in place); null stays null. */
    public TypedArray array(double[] values) {
        return TypedArray.of(dtype, values);
    }

    private static float[] f(TypedArray t) {
        return t == null ? null : t.f;
    }

    private static double[] d(TypedArray t) {
        return t == null ? null : t.d;
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code gemm}. */
    public void gemm(Transpose ta, Transpose tb, int m, int n, int k, double alpha, TypedArray a, int offA, int lda,
                     TypedArray b, int offB, int ldb, double beta, TypedArray c, int offC, int ldc) {
        if (single) {
            backend.sgemm(ta, tb, m, n, k, (float) alpha, f(a), offA, lda, f(b), offB, ldb, (float) beta, f(c), offC, ldc);
        } else {
            backend.dgemm(ta, tb, m, n, k, alpha, d(a), offA, lda, d(b), offB, ldb, beta, d(c), offC, ldc);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code biasActivation}. */
    public void biasActivation(Activation act, int rows, int cols, TypedArray x, int offX, int ldx, TypedArray bias,
                               int offBias) {
        if (single) {
            backend.sbiasActivation(act, rows, cols, f(x), offX, ldx, f(bias), offBias);
        } else {
            backend.dbiasActivation(act, rows, cols, d(x), offX, ldx, d(bias), offBias);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code activationBackward}. */
    public void activationBackward(Activation act, int rows, int cols, TypedArray a, int offA, int lda, TypedArray dx,
                                   int offDx, int lddx) {
        if (single) {
            backend.sactivationBackward(act, rows, cols, f(a), offA, lda, f(dx), offDx, lddx);
        } else {
            backend.dactivationBackward(act, rows, cols, d(a), offA, lda, d(dx), offDx, lddx);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code softmax}. */
    public void softmax(int rows, int cols, TypedArray x, int offX, int ldx) {
        if (single) {
            backend.ssoftmax(rows, cols, f(x), offX, ldx);
        } else {
            backend.dsoftmax(rows, cols, d(x), offX, ldx);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code columnSums}. */
    public void columnSums(int rows, int cols, TypedArray x, int offX, int ldx, TypedArray y, int offY) {
        if (single) {
            backend.scolumnSums(rows, cols, f(x), offX, ldx, f(y), offY);
        } else {
            backend.dcolumnSums(rows, cols, d(x), offX, ldx, d(y), offY);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code softmaxCrossEntropy}. */
    public double softmaxCrossEntropy(int rows, int cols, TypedArray z, int offZ, int ldz, TypedArray y, int offY, int ldy,
                                      TypedArray dz, int offDz, int lddz) {
        return single
                ? backend.ssoftmaxCrossEntropy(rows, cols, f(z), offZ, ldz, f(y), offY, ldy, f(dz), offDz, lddz)
                : backend.dsoftmaxCrossEntropy(rows, cols, d(z), offZ, ldz, d(y), offY, ldy, d(dz), offDz, lddz);
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code sigmoidBinaryCrossEntropy}. */
    public double sigmoidBinaryCrossEntropy(int rows, int cols, TypedArray z, int offZ, int ldz, TypedArray y, int offY,
                                            int ldy, TypedArray dz, int offDz, int lddz) {
        return single
                ? backend.ssigmoidBinaryCrossEntropy(rows, cols, f(z), offZ, ldz, f(y), offY, ldy, f(dz), offDz, lddz)
                : backend.dsigmoidBinaryCrossEntropy(rows, cols, d(z), offZ, ldz, d(y), offY, ldy, d(dz), offDz, lddz);
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code meanSquaredError}. */
    public double meanSquaredError(int rows, int cols, TypedArray a, int offA, int lda, TypedArray y, int offY, int ldy,
                                   TypedArray da, int offDa, int ldda) {
        return single
                ? backend.smeanSquaredError(rows, cols, f(a), offA, lda, f(y), offY, ldy, f(da), offDa, ldda)
                : backend.dmeanSquaredError(rows, cols, d(a), offA, lda, d(y), offY, ldy, d(da), offDa, ldda);
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code axpy}. */
    public void axpy(int n, double alpha, TypedArray x, int offX, TypedArray y, int offY) {
        if (single) {
            backend.saxpy(n, (float) alpha, f(x), offX, f(y), offY);
        } else {
            backend.daxpy(n, alpha, d(x), offX, d(y), offY);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code scal}. */
    public void scal(int n, double alpha, TypedArray x, int offX) {
        if (single) {
            backend.sscal(n, (float) alpha, f(x), offX);
        } else {
            backend.dscal(n, alpha, d(x), offX);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code sgdStep}. */
    public void sgdStep(int n, double lr, TypedArray w, int offW, TypedArray g, int offG) {
        if (single) {
            backend.ssgdStep(n, (float) lr, f(w), offW, f(g), offG);
        } else {
            backend.dsgdStep(n, lr, d(w), offW, d(g), offG);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code momentumStep}. */
    public void momentumStep(int n, double lr, double mu, boolean nesterov, TypedArray w, int offW, TypedArray g, int offG,
                             TypedArray v, int offV) {
        if (single) {
            backend.smomentumStep(n, (float) lr, (float) mu, nesterov, f(w), offW, f(g), offG, f(v), offV);
        } else {
            backend.dmomentumStep(n, lr, mu, nesterov, d(w), offW, d(g), offG, d(v), offV);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code adamStep}. */
    public void adamStep(int n, double lr, double beta1, double beta2, double eps, int t, TypedArray w, int offW,
                         TypedArray g, int offG, TypedArray m, int offM, TypedArray v, int offV) {
        if (single) {
            backend.sadamStep(n, (float) lr, (float) beta1, (float) beta2, (float) eps, t,
                    f(w), offW, f(g), offG, f(m), offM, f(v), offV);
        } else {
            backend.dadamStep(n, lr, beta1, beta2, eps, t, d(w), offW, d(g), offG, d(m), offM, d(v), offV);
        }
    }

    /** The {@code s}/{@code d} twin of {@link Backend}'s {@code rmspropStep}. */
    public void rmspropStep(int n, double lr, double rho, double eps, TypedArray w, int offW, TypedArray g, int offG,
                            TypedArray s, int offS) {
        if (single) {
            backend.srmspropStep(n, (float) lr, (float) rho, (float) eps, f(w), offW, f(g), offG, f(s), offS);
        } else {
            backend.drmspropStep(n, lr, rho, eps, d(w), offW, d(g), offG, d(s), offS);
        }
    }
}
