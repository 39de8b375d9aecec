package org.backprop4j.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.backprop4j.backend.Transpose;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.AfterAll;

/**
 * {@code sgemm}/{@code dgemm} with fuzzed transposes, dimensions, scalars, offsets, leading
 * dimensions and array lengths on every available backend; see {@link BackendHarness} for what is
 * checked. {@code C} must be within {@link ErrorBounds#gemm} of the reference.
 */
class GemmFuzzTest {

    private static final double[] ALPHAS = {1, -1, 0.5, 2, 0, -0.75, 1.25};
    private static final double[] BETAS = {0, 1, 0.5, -1, 2};

    @FuzzTest(maxDuration = "20s")
    void gemm(FuzzedDataProvider data) {
        ArgSource s = new ArgSource(data);
        boolean f32 = s.dtype == DType.FLOAT32;
        BackendCase c = new BackendCase(f32 ? "sgemm" : "dgemm", s);
        Transpose transA = c.arg("transA", s.pick(Transpose.values()));
        Transpose transB = c.arg("transB", s.pick(Transpose.values()));
        int m = c.arg("m", s.dim());
        int n = c.arg("n", s.dim());
        int k = c.arg("k", s.dim());
        double alpha = c.arg("alpha", s.scalar(ALPHAS));
        double beta = c.arg("beta", s.scalar(BETAS));
        boolean ta = transA == Transpose.TRANS;
        boolean tb = transB == Transpose.TRANS;
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int offA = c.arg("offA", s.offset());
        int lda = c.arg("lda", s.ld(aCols));
        int a = c.matrix("a", aRows, aCols, lda, offA, false);
        int offB = c.arg("offB", s.offset());
        int ldb = c.arg("ldb", s.ld(bCols));
        int b = c.matrix("b", bRows, bCols, ldb, offB, false);
        int offC = c.arg("offC", s.offset());
        int ldc = c.arg("ldc", s.ld(n));
        int cc = c.matrix("c", m, n, ldc, offC, false);
        c.writes(cc, offC, ldc, m, n);

        BackendHarness.run(c, m > 0 && n > 0, (be, ops) -> {
            if (f32) {
                be.sgemm(transA, transB, m, n, k, (float) alpha, ops[a].f, offA, lda, ops[b].f, offB, ldb,
                        (float) beta, ops[cc].f, offC, ldc);
            } else {
                be.dgemm(transA, transB, m, n, k, alpha, ops[a].d, offA, lda, ops[b].d, offB, ldb,
                        beta, ops[cc].d, offC, ldc);
            }
            return 0;
        }, (ref, out) -> {
            double[] bound = ErrorBounds.gemm(s.dtype, transA, transB, m, n, k, alpha, c.before(a).toDouble(), offA,
                    lda, c.before(b).toDouble(), offB, ldb, beta, c.before(cc).toDouble(), offC, ldc);
            Compare.region(c, out, ref, cc, "c", offC, ldc, m, n, (r, col, expected) -> bound[r * n + col]);
        }, (ref, out) -> {
            // In any regime: with alpha == 0 or k == 0, C = beta·C exactly, and beta == 0 overwrites NaN.
            if (alpha != 0 && k != 0) {
                return;
            }
            Buf c0 = c.before(cc);
            Buf got = out.ops()[cc];
            for (int r = 0; r < m; r++) {
                for (int col = 0; col < n; col++) {
                    int i = offC + r * ldc + col;
                    double expected = beta == 0 ? 0 : s.round(beta * c0.get(i));
                    double actual = got.get(i);
                    if (actual != expected && !(Double.isNaN(actual) && Double.isNaN(expected))) {
                        throw c.mismatch(out.backend(), "c element (" + r + ", " + col + ") is " + actual
                                + ", but alpha == 0 or k == 0 must give beta·c = " + expected);
                    }
                }
            }
        });
    }

    @AfterAll
    static void stats() {
        BackendHarness.printStats("gemm");
    }
}
