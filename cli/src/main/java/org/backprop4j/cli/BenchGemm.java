package org.backprop4j.cli;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;

import java.util.SplittableRandom;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.DType;

/**
 * One GEMM call shape as a training step makes it: {@code C = alpha·op(A)·op(B) + beta·C} with
 * {@code op(A)} {@code (m, k)}, {@code op(B)} {@code (k, n)}, {@code C} {@code (m, n)}, densely packed.
 */
record BenchGemm(String name, Transpose transA, Transpose transB, int m, int n, int k, double beta) {

    /** {@code Z = A_prev·Wᵀ}     A_prev is (batch, in), W is (units, in), Z is (batch, units). */
    static BenchGemm forward(String name, int batch, int units, int in) {
        return new BenchGemm(name, NO_TRANS, TRANS, batch, units, in, 0);
    }

    /**
     * {@code W -= lr·dZᵀ·A_prev}, the SGD step's dW GEMM writing into the weights ({@code beta = 1})
     * dZ is (batch, units), A_prev is (batch, in), W is (units, in). The scale does not change the time.
     */
    static BenchGemm weightGradient(String name, int batch, int units, int in) {
        return new BenchGemm(name, TRANS, NO_TRANS, units, in, batch, 1);
    }

    /** {@code dA_prev = dZ·W}     dZ is (batch, units), W is (units, in), dA_prev is (batch, in). */
    static BenchGemm inputGradient(String name, int batch, int units, int in) {
        return new BenchGemm(name, NO_TRANS, NO_TRANS, batch, in, units, 0);
    }

    /** The square {@code n×n×n} forward-shaped GEMM of the size sweep. */
    static BenchGemm square(int n) {
        return new BenchGemm(n + "^3", NO_TRANS, TRANS, n, n, n, 0);
    }

    /** Floating-point operations of one call: {@code 2·m·n·k}. */
    double flops() {
        return 2.0 * m * n * k;
    }

    String dims() {
        return m + "x" + n + "x" + k;
    }

    /** Bytes of A, B and C together. */
    long bytes(DType dtype) {
        return ((long) m * k + (long) k * n + (long) m * n) * dtype.bytes();
    }

    /** A call on {@code backend} with its own seeded operands in [-1, 1); each {@code run()} is one GEMM. */
    BenchTimer.Op bind(Backend backend, DType dtype) {
        SplittableRandom rng = new SplittableRandom(42);
        int lda = transA.isTransposed() ? m : k;
        int ldb = transB.isTransposed() ? k : n;
        int sizeA = m * k;
        int sizeB = k * n;
        if (dtype == DType.FLOAT32) {
            float[] a = floats(rng, sizeA);
            float[] b = floats(rng, sizeB);
            float[] c = new float[m * n];
            float fbeta = (float) beta;
            return () -> {
                backend.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, fbeta, c, 0, n);
                return c[0];
            };
        }
        double[] a = rng.doubles(sizeA, -1, 1).toArray();
        double[] b = rng.doubles(sizeB, -1, 1).toArray();
        double[] c = new double[m * n];
        return () -> {
            backend.dgemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, beta, c, 0, n);
            return c[0];
        };
    }

    private static float[] floats(SplittableRandom rng, int size) {
        float[] f = new float[size];
        for (int i = 0; i < size; i++) {
            f[i] = (float) rng.nextDouble(-1, 1);
        }
        return f;
    }
}
