package org.backprop4j.tests;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;
import static org.backprop4j.tests.CrossCheck.OFF;
import static org.backprop4j.tests.CrossCheck.PAD;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Transpose;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.crosscheck.TypedArray;
import org.backprop4j.crosscheck.TypedBackend;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sgemm and dgemm of every backend against the reference, within {@link ErrorBounds#gemm}, for all
 * four transpose pairs, odd and degenerate shapes, offsets and padded rows, and the BLAS edge
 * scalars: {@code β = 0} overwrites a C full of NaN, {@code α = 0} never reads an A and B full of
 * NaN, {@code k = 0} only scales C. Outside the block it writes, C must be untouched bit for bit,
 * and A and B must not change.
 */
class GemmCrossCheckTest {

    /** {m, n, k}: scalars, a row times a column, vectors both ways, odd sizes, k = 0, k up to 300. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 1, 300}, {1, 13, 7}, {13, 1, 7}, {7, 13, 1}, {1, 103, 13}, {103, 1, 13},
        {7, 7, 7}, {13, 7, 103}, {103, 13, 7}, {3, 5, 0}, {64, 33, 300}, {103, 103, 103},
    };
    private static final double[] ALPHAS = {1, -0.7, 0};
    private static final double[] BETAS = {0, 1, 0.5};

    static Stream<Arguments> cases() {
        List<Named<Transpose>> t = List.of(Named.of("N", NO_TRANS), Named.of("T", TRANS));
        return Backends4Test.availableWith(CrossCheck.DTYPES, t, t);
    }

    @ParameterizedTest(name = "{0} {1} {2}{3}")
    @MethodSource("cases")
    void oddShapesOffsetsAndEdgeScalars(Backend backend, DType dtype, Transpose ta, Transpose tb) {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int[] s : SHAPES) {
            for (boolean padded : new boolean[] {false, true}) {
                for (double alpha : ALPHAS) {
                    for (double beta : BETAS) {
                        crossCheck(rnd, backend, dtype, ta, tb, s[0], s[1], s[2], alpha, beta, padded);
                    }
                }
            }
        }
    }

    // 256x200 from k = 300: sums long enough for a blocked or threaded BLAS to take another path.
    @ParameterizedTest(name = "{0} {1} {2}{3}")
    @MethodSource("cases")
    void aLargerProduct(Backend backend, DType dtype, Transpose ta, Transpose tb) {
        SplittableRandom rnd = new SplittableRandom(42);
        crossCheck(rnd, backend, dtype, ta, tb, 256, 200, 300, -0.7, 0.5, true);
        crossCheck(rnd, backend, dtype, ta, tb, 256, 200, 300, 1, 0, false);
    }

    private static void crossCheck(SplittableRandom rnd, Backend backend, DType dtype, Transpose ta, Transpose tb,
                                   int m, int n, int k, double alphaIn, double betaIn, boolean padded) {
        double alpha = CrossCheck.round(dtype, alphaIn);
        double beta = CrossCheck.round(dtype, betaIn);
        int aRows = ta.isTransposed() ? k : m;
        int aCols = ta.isTransposed() ? m : k;
        int bRows = tb.isTransposed() ? n : k;
        int bCols = tb.isTransposed() ? k : n;
        int off = padded ? OFF : 0;
        int pad = padded ? PAD : 0;
        int lda = Math.max(1, aCols) + pad;
        int ldb = Math.max(1, bCols) + pad;
        int ldc = n + pad;
        // alpha == 0: A and B are never read, so NaN there must not reach C; beta == 0: likewise C.
        double[] a = alpha == 0 ? CrossCheck.filled(CrossCheck.length(off, lda, aRows, aCols), Double.NaN)
                : CrossCheck.matrix(rnd, dtype, off, lda, aRows, aCols, -1, 1);
        double[] b = alpha == 0 ? CrossCheck.filled(CrossCheck.length(off, ldb, bRows, bCols), Double.NaN)
                : CrossCheck.matrix(rnd, dtype, off, ldb, bRows, bCols, -1, 1);
        double[] c = beta == 0 ? CrossCheck.filled(CrossCheck.length(off, ldc, m, n), Double.NaN)
                : CrossCheck.matrix(rnd, dtype, off, ldc, m, n, -1, 1);
        String shape = String.format(Locale.ROOT, "%s%s m=%d n=%d k=%d alpha=%s beta=%s off=%d lda=%d ldb=%d ldc=%d",
                ta == TRANS ? "T" : "N", tb == TRANS ? "T" : "N", m, n, k, alpha, beta, off, lda, ldb, ldc);

        TypedBackend ref = CrossCheck.reference(dtype);
        TypedArray cRef = ref.array(c);
        ref.gemm(ta, tb, m, n, k, alpha, ref.array(a), off, lda, ref.array(b), off, ldb, beta, cRef, off, ldc);
        double[] expected = CrossCheck.block(cRef, off, ldc, m, n);
        if (beta == 0) {
            for (double v : expected) {
                assertTrue(Double.isFinite(v), () -> "the reference itself let NaN through [" + shape + "]");
            }
        }

        TypedBackend be = new TypedBackend(backend, dtype);
        TypedArray aIn = be.array(a);
        TypedArray bIn = be.array(b);
        TypedArray cOut = be.array(c);
        be.gemm(ta, tb, m, n, k, alpha, aIn, off, lda, bIn, off, ldb, beta, cOut, off, ldc);

        double[] bound = ErrorBounds.gemm(dtype, ta, tb, m, n, k, alpha, a, off, lda, b, off, ldb, beta, c, off, ldc);
        CrossCheck.assertWithin(be, "gemm", shape, "C", n, CrossCheck.block(cOut, off, ldc, m, n), expected, bound);
        CrossCheck.assertUntouched(be, "gemm", shape, "C", be.array(c), cOut, off, ldc, m, n);
        CrossCheck.assertUnchanged(be, "gemm", shape, "A", be.array(a), aIn);
        CrossCheck.assertUnchanged(be, "gemm", shape, "B", be.array(b), bIn);
    }
}
