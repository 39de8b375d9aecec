package org.backprop4j.tests;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.crosscheck.TypedArray;
import org.backprop4j.crosscheck.TypedBackend;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The bounds themselves: one case computed by hand, and proof that the cross-check suite can fail,
 * since a suite that passes whatever a backend returns proves nothing.
 */
class ErrorBoundsTest {

    private static final double U32 = 0x1p-24;

    @Test
    void aGemmBoundByHand() {
        // op(A) = [1 -2], op(B) = [3; 4], C = [10], alpha = -0.5, beta = 2, k = 2, float32
        // 2·(k+2)·u·(|α|·(|1·3| + |-2·4|) + |β·C|) + tiny = 8u·(0.5·11 + 20) + tiny = 204·u + tiny
        double[] bound = ErrorBounds.gemm(DType.FLOAT32, NO_TRANS, NO_TRANS, 1, 1, 2, -0.5,
                new double[] {1, -2}, 0, 2, new double[] {3, 4}, 0, 1, 2, new double[] {10}, 0, 1);
        assertEquals(204 * U32 + 4.0 * Float.MIN_NORMAL, bound[0], 0.0);
    }

    @Test
    void aResultPerturbedByTenBoundsFails() {
        SplittableRandom rnd = new SplittableRandom(42);
        int m = 13;
        int n = 7;
        int k = 103;
        double[] a = CrossCheck.matrix(rnd, DType.FLOAT32, 0, k, m, k, -1, 1);
        double[] b = CrossCheck.matrix(rnd, DType.FLOAT32, 0, n, k, n, -1, 1);
        TypedArray c = TypedArray.of(DType.FLOAT32, new double[m * n]);
        CrossCheck.reference(DType.FLOAT32).gemm(NO_TRANS, NO_TRANS, m, n, k, 1, TypedArray.of(DType.FLOAT32, a), 0, k,
                TypedArray.of(DType.FLOAT32, b), 0, n, 0, c, 0, n);
        double[] expected = c.toDouble();
        double[] bound = ErrorBounds.gemm(DType.FLOAT32, NO_TRANS, NO_TRANS, m, n, k, 1, a, 0, k, b, 0, n, 0,
                new double[m * n], 0, n);

        double[] actual = expected.clone();
        assertTrue(ErrorBounds.check(actual, expected, bound).passed());
        actual[40] += 10 * bound[40];
        ErrorBounds.Result r = ErrorBounds.check(actual, expected, bound);
        assertFalse(r.passed(), r::toString);
        assertEquals(40, r.worstIndex());
        assertEquals(10, r.ratio(), 1e-6);

        // The message a test then fails with names the element, both values and the ratio.
        TypedBackend suspect = new TypedBackend(CrossCheck.REFERENCE, DType.FLOAT32);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> CrossCheck.assertWithin(suspect,
                "gemm", "NN m=13 n=7 k=103", "C", n, actual, expected, bound));
        assertTrue(e.getMessage().startsWith("reference sgemm [NN m=13 n=7 k=103]: C element (5, 5) (index 40 of 91): "
                + "reference gives "), e.getMessage());
        assertTrue(e.getMessage().endsWith("ratio 10.0"), e.getMessage());
    }

    @Test
    void aProductWithATransposedOperandFails() {
        // A square B used as stored instead of transposed: the kind of mix-up a binding makes.
        SplittableRandom rnd = new SplittableRandom(42);
        int s = 7;
        double[] a = CrossCheck.matrix(rnd, DType.FLOAT64, 0, s, s, s, -1, 1);
        double[] b = CrossCheck.matrix(rnd, DType.FLOAT64, 0, s, s, s, -1, 1);
        TypedArray right = TypedArray.of(DType.FLOAT64, new double[s * s]);
        TypedArray wrong = TypedArray.of(DType.FLOAT64, new double[s * s]);
        TypedBackend ref = CrossCheck.reference(DType.FLOAT64);
        ref.gemm(NO_TRANS, TRANS, s, s, s, 1, ref.array(a), 0, s, ref.array(b), 0, s, 0, right, 0, s);
        ref.gemm(NO_TRANS, NO_TRANS, s, s, s, 1, ref.array(a), 0, s, ref.array(b), 0, s, 0, wrong, 0, s);
        double[] bound = ErrorBounds.gemm(DType.FLOAT64, NO_TRANS, TRANS, s, s, s, 1, a, 0, s, b, 0, s, 0,
                new double[s * s], 0, s);
        ErrorBounds.Result r = ErrorBounds.check(wrong.toDouble(), right.toDouble(), bound);
        assertFalse(r.passed(), r::toString);
        assertTrue(r.ratio() > 1e10, r::toString);
    }

    @Test
    void exactKernelsAllowNoUlpButEitherZero() {
        double oneUlp = Math.nextUp(0.75);
        double bound = ErrorBounds.activation(DType.FLOAT64, Activation.RELU, 0.75, 0.75);
        assertEquals(0, bound);
        assertFalse(ErrorBounds.check(oneUlp, 0.75, bound).passed());
        assertTrue(ErrorBounds.check(-0.0, 0.0, 0).passed());
        assertTrue(ErrorBounds.check(0.0, -0.0, 0).passed());
    }

    @Test
    void nanAndInfinityMatchOnlyThemselves() {
        assertTrue(ErrorBounds.check(Double.NaN, Double.NaN, 0).passed());
        assertTrue(ErrorBounds.check(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0).passed());
        assertFalse(ErrorBounds.check(Double.NaN, 1, 1e300).passed());
        assertFalse(ErrorBounds.check(1, Double.NaN, 1e300).passed());
        assertFalse(ErrorBounds.check(Double.POSITIVE_INFINITY, 1e308, 1e300).passed());
        assertFalse(ErrorBounds.check(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1e300).passed());
        ErrorBounds.Result r = ErrorBounds.check(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3},
                new double[] {1, 1, 1});
        assertEquals(1, r.worstIndex());
        assertEquals(Double.POSITIVE_INFINITY, r.ratio());
    }

    @Test
    void elementwiseBoundsAreAFewUlpOfTheResult() {
        // sigmoid(0) = 0.5: g'(0)·0 = 0, so the bound is 8 ulp of 0.5 plus tiny.
        assertEquals(8 * U32 * 0.5 + 4.0 * Float.MIN_NORMAL,
                ErrorBounds.activation(DType.FLOAT32, Activation.SIGMOID, 0, 0.5), 0.0);
        // Underflowed results compare equal to zero through tiny.
        assertTrue(ErrorBounds.check(0, 3.7e-44, ErrorBounds.activation(DType.FLOAT32, Activation.SIGMOID, -100,
                3.7e-44)).passed());
        // A sum of n terms: 2·(n+2)·u·Σ|terms| + tiny.
        assertEquals(2 * 12 * 0x1p-53 * 5 + 4.0 * Double.MIN_NORMAL, ErrorBounds.reduction(DType.FLOAT64, 10, 5), 0.0);
        assertThrows(IllegalArgumentException.class,
                () -> ErrorBounds.check(new double[1], new double[2], new double[1]));
    }
}
