package org.backprop4j.backend.reference;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;

import org.backprop4j.backend.Transpose;
import org.backprop4j.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel of the reference backend, float and double twin, against small cases computed by
 * hand. The reference is the oracle for the other backends, so these known cases are what anchors
 * the whole cross-check suite.
 *
 * <p>Matrices are placed at non-zero offsets with leading dimensions wider than their rows, in
 * arrays filled with a sentinel; every element outside the matrix must keep the sentinel.
 */
class ReferenceBackendTest {

    private static final double D = 1e-12;
    private static final float F = 1e-6f;
    /** Fills every array element that is not part of a matrix; kernels must leave it alone. */
    private static final double PAD = -99;
    private static final double LN3 = Math.log(3);

    private final ReferenceBackend backend = new ReferenceBackend();

    @Test
    void namesItself() {
        assertEquals("reference", backend.name());
        assertEquals("pure Java reference kernels, double accumulation", backend.details());
    }

    // ---- GEMM -------------------------------------------------------------------------------

    // A = [1 2 3; 4 5 6] (2x3), B = [7 8; 9 10; 11 12] (3x2)
    // A·B = [1·7+2·9+3·11  1·8+2·10+3·12; 4·7+5·9+6·11  4·8+5·10+6·12] = [58 64; 139 154]
    private static final double[][] A = {{1, 2, 3}, {4, 5, 6}};
    private static final double[][] B = {{7, 8}, {9, 10}, {11, 12}};
    private static final double[][] C0 = {{1, 2}, {3, 4}};
    // 2·A·B + 0.5·C0 = [116+0.5  128+1; 278+1.5  308+2]
    private static final double[][] ALPHA2_BETA_HALF = {{116.5, 129}, {279.5, 310}};
    private static final double[][] AB = {{58, 64}, {139, 154}};

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(NO_TRANS, NO_TRANS), Arguments.of(NO_TRANS, TRANS),
                Arguments.of(TRANS, NO_TRANS), Arguments.of(TRANS, TRANS));
    }

    /** Operands laid out for one transpose combination, with offsets and padded rows. */
    private static final class Gemm {
        final int offA = 3;
        final int offB = 1;
        final int offC = 2;
        final int lda;
        final int ldb;
        final int ldc = 4;
        final double[] a;
        final double[] b;
        final double[] c;

        Gemm(Transpose ta, Transpose tb, double cFill, double[][] cInit) {
            double[][] storedA = ta.isTransposed() ? transpose(A) : A;
            double[][] storedB = tb.isTransposed() ? transpose(B) : B;
            lda = storedA[0].length + 2;
            ldb = storedB[0].length + 3;
            a = place(storedA, offA, lda, PAD);
            b = place(storedB, offB, ldb, PAD);
            c = place(cInit, offC, ldc, cFill);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transposes")
    void dgemmAllTransposes(Transpose ta, Transpose tb) {
        Gemm g = new Gemm(ta, tb, PAD, C0);
        double[] a0 = g.a.clone();
        double[] b0 = g.b.clone();
        backend.dgemm(ta, tb, 2, 2, 3, 2.0, g.a, g.offA, g.lda, g.b, g.offB, g.ldb, 0.5, g.c, g.offC, g.ldc);
        assertMatrix(ALPHA2_BETA_HALF, g.c, g.offC, g.ldc, PAD, D);
        assertArrayEquals(a0, g.a);
        assertArrayEquals(b0, g.b);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transposes")
    void sgemmAllTransposes(Transpose ta, Transpose tb) {
        Gemm g = new Gemm(ta, tb, PAD, C0);
        float[] a = f(g.a);
        float[] b = f(g.b);
        float[] c = f(g.c);
        backend.sgemm(ta, tb, 2, 2, 3, 2f, a, g.offA, g.lda, b, g.offB, g.ldb, 0.5f, c, g.offC, g.ldc);
        assertMatrix(ALPHA2_BETA_HALF, c, g.offC, g.ldc, PAD, F);
        assertArrayEquals(f(g.a), a);
        assertArrayEquals(f(g.b), b);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transposes")
    void gemmBetaZeroOverwritesNaN(Transpose ta, Transpose tb) {
        // C is all NaN, padding included: the result is exactly A·B and the padding stays NaN.
        double[][] nan = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
        Gemm g = new Gemm(ta, tb, Double.NaN, nan);
        float[] c = f(g.c);
        backend.dgemm(ta, tb, 2, 2, 3, 1.0, g.a, g.offA, g.lda, g.b, g.offB, g.ldb, 0.0, g.c, g.offC, g.ldc);
        backend.sgemm(ta, tb, 2, 2, 3, 1f, f(g.a), g.offA, g.lda, f(g.b), g.offB, g.ldb, 0f, c, g.offC, g.ldc);
        assertMatrix(AB, g.c, g.offC, g.ldc, Double.NaN, 0);
        assertMatrix(AB, c, g.offC, g.ldc, Double.NaN, 0);
    }

    @Test
    void gemmBetaOneAccumulates() {
        // C = A·B + C0 = [58+1 64+2; 139+3 154+4]
        double[][] expected = {{59, 66}, {142, 158}};
        Gemm g = new Gemm(NO_TRANS, NO_TRANS, PAD, C0);
        float[] c = f(g.c);
        backend.dgemm(NO_TRANS, NO_TRANS, 2, 2, 3, 1.0, g.a, g.offA, g.lda, g.b, g.offB, g.ldb, 1.0, g.c, g.offC, g.ldc);
        backend.sgemm(NO_TRANS, NO_TRANS, 2, 2, 3, 1f, f(g.a), g.offA, g.lda, f(g.b), g.offB, g.ldb, 1f, c, g.offC, g.ldc);
        assertMatrix(expected, g.c, g.offC, g.ldc, PAD, 0);
        assertMatrix(expected, c, g.offC, g.ldc, PAD, 0);
    }

    @Test
    void gemmAlphaZeroDoesNotReadAB() {
        // A and B are all NaN; with alpha = 0 they must not be read: C = 3·C0 = [3 6; 9 12].
        double[] a = new double[20];
        double[] b = new double[20];
        Arrays.fill(a, Double.NaN);
        Arrays.fill(b, Double.NaN);
        double[] c = place(C0, 2, 4, PAD);
        float[] cf = f(c);
        backend.dgemm(NO_TRANS, TRANS, 2, 2, 3, 0.0, a, 0, 3, b, 0, 3, 3.0, c, 2, 4);
        backend.sgemm(NO_TRANS, TRANS, 2, 2, 3, 0f, f(a), 0, 3, f(b), 0, 3, 3f, cf, 2, 4);
        double[][] expected = {{3, 6}, {9, 12}};
        assertMatrix(expected, c, 2, 4, PAD, 0);
        assertMatrix(expected, cf, 2, 4, PAD, 0);

        // alpha = 0 and beta = 0: zeros, even over NaN in C.
        double[] cNaN = new double[4];
        Arrays.fill(cNaN, Double.NaN);
        float[] cNaNf = f(cNaN);
        backend.dgemm(TRANS, NO_TRANS, 2, 2, 3, 0.0, a, 0, 2, b, 0, 2, 0.0, cNaN, 0, 2);
        backend.sgemm(TRANS, NO_TRANS, 2, 2, 3, 0f, f(a), 0, 2, f(b), 0, 2, 0f, cNaNf, 0, 2);
        assertArrayEquals(new double[] {0, 0, 0, 0}, cNaN);
        assertArrayEquals(new float[] {0, 0, 0, 0}, cNaNf);
    }

    @Test
    void gemmKZeroScalesC() {
        // k = 0: op(A)·op(B) is an empty sum, so C = beta·C = 0.5·C0; A and B are empty arrays.
        double[] c = place(C0, 2, 4, PAD);
        float[] cf = f(c);
        backend.dgemm(NO_TRANS, NO_TRANS, 2, 2, 0, 1.0, new double[0], 0, 1, new double[0], 0, 2, 0.5, c, 2, 4);
        backend.sgemm(NO_TRANS, NO_TRANS, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0.5f, cf, 2, 4);
        double[][] expected = {{0.5, 1}, {1.5, 2}};
        assertMatrix(expected, c, 2, 4, PAD, 0);
        assertMatrix(expected, cf, 2, 4, PAD, 0);
    }

    @Test
    void sgemmAccumulatesInDouble() {
        // [1e8 1 -1e8]·[1 1 1]^T: in float 1e8 + 1 rounds back to 1e8 (ulp 8) and the sum is 0;
        // in double it is exactly 1.
        float[] c = {Float.NaN};
        backend.sgemm(NO_TRANS, NO_TRANS, 1, 1, 3, 1f, new float[] {1e8f, 1f, -1e8f}, 0, 3,
                new float[] {1f, 1f, 1f}, 0, 1, 0f, c, 0, 1);
        assertEquals(1f, c[0], 0f);
    }

    // ---- Activations ------------------------------------------------------------------------

    // X = [-1 0 1; 2 -3 0.5] plus bias [0.5 0 -1] gives Z = [-0.5 0 0; 2.5 -3 -0.5].
    private static final double[][] X = {{-1, 0, 1}, {2, -3, 0.5}};
    private static final double[] BIAS = {0.5, 0, -1};

    static Stream<Arguments> forwardCases() {
        return Stream.of(
                Arguments.of(Activation.IDENTITY, new double[][] {{-0.5, 0, 0}, {2.5, -3, -0.5}}),
                // max(0, z); exactly 0 at z = 0
                Arguments.of(Activation.RELU, new double[][] {{0, 0, 0}, {2.5, 0, 0}}),
                // 0.01·z on the negative side: 0.01·-0.5, 0.01·-3
                Arguments.of(Activation.LEAKY_RELU, new double[][] {{-0.005, 0, 0}, {2.5, -0.03, -0.005}}),
                // 1/(1+e^0.5), 1/2, 1/2; 1/(1+e^-2.5), 1/(1+e^3), 1/(1+e^0.5)
                Arguments.of(Activation.SIGMOID, new double[][] {
                        {0.3775406687981454, 0.5, 0.5}, {0.9241418199787566, 0.04742587317756678, 0.3775406687981454}}),
                // tanh(-0.5), 0, 0; tanh(2.5), tanh(-3), tanh(-0.5)
                Arguments.of(Activation.TANH, new double[][] {
                        {-0.46211715726000974, 0, 0}, {0.9866142981514303, -0.9950547536867305, -0.46211715726000974}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forwardCases")
    void biasActivation(Activation act, double[][] expected) {
        double[] x = place(X, 1, 5, PAD);
        double[] bias = {PAD, PAD, 0.5, 0, -1, PAD};
        float[] xf = f(x);
        float[] biasf = f(bias);
        backend.dbiasActivation(act, 2, 3, x, 1, 5, bias, 2);
        backend.sbiasActivation(act, 2, 3, xf, 1, 5, biasf, 2);
        assertMatrix(expected, x, 1, 5, PAD, D);
        assertMatrix(expected, xf, 1, 5, PAD, F);
        assertArrayEquals(new double[] {PAD, PAD, 0.5, 0, -1, PAD}, bias);
        assertArrayEquals(f(bias), biasf);
    }

    @Test
    void reluIsExactAndZeroAtZero() {
        double[] x = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 3.25};
        backend.dbiasActivation(Activation.RELU, 1, 5, x, 0, 5, new double[5], 0);
        assertArrayEquals(new double[] {0.0, 0.0, Double.MIN_VALUE, 0.0, 3.25}, x);
    }

    @Test
    void sigmoidStaysFiniteForLargeLogits() {
        // e^800 overflows, so the naive 1/(1+e^-z) at z = -800 would be 1/Inf; the stable form gives 0.
        double[] x = {-800, 800, -50, 50};
        float[] xf = f(x);
        backend.dbiasActivation(Activation.SIGMOID, 1, 4, x, 0, 4, new double[4], 0);
        backend.sbiasActivation(Activation.SIGMOID, 1, 4, xf, 0, 4, new float[4], 0);
        for (int i = 0; i < 4; i++) {
            assertTrue(x[i] >= 0 && x[i] <= 1, "double sigmoid in [0, 1]: " + x[i]);
            assertTrue(xf[i] >= 0 && xf[i] <= 1, "float sigmoid in [0, 1]: " + xf[i]);
        }
        assertEquals(0.0, x[0], 0);
        assertEquals(1.0, x[1], 0);
        // 1/(1+e^50) ≈ 1.9287e-22
        assertEquals(1.9287498479639178e-22, x[2], 1e-34);
        assertEquals(0f, xf[0], 0f);
        assertEquals(1f, xf[1], 0f);
    }

    // A = [-0.5 0 0.25; 0.5 0.9 -0.9] (any values; backward only uses the formula), dX = [2 3 4; 5 6 7]
    private static final double[][] OUT = {{-0.5, 0, 0.25}, {0.5, 0.9, -0.9}};
    private static final double[][] DX = {{2, 3, 4}, {5, 6, 7}};

    static Stream<Arguments> backwardCases() {
        return Stream.of(
                Arguments.of(Activation.IDENTITY, DX),
                // derivative (a > 0 ? 1 : 0) = [0 0 1; 1 1 0]; 0 at a = 0 exactly
                Arguments.of(Activation.RELU, new double[][] {{0, 0, 4}, {5, 6, 0}}),
                // (a > 0 ? 1 : 0.01) = [0.01 0.01 1; 1 1 0.01]
                Arguments.of(Activation.LEAKY_RELU, new double[][] {{0.02, 0.03, 4}, {5, 6, 0.07}}),
                // a(1-a) = [-0.75 0 0.1875; 0.25 0.09 -1.71]
                Arguments.of(Activation.SIGMOID, new double[][] {{-1.5, 0, 0.75}, {1.25, 0.54, -11.97}}),
                // 1-a² = [0.75 1 0.9375; 0.75 0.19 0.19]
                Arguments.of(Activation.TANH, new double[][] {{1.5, 3, 3.75}, {3.75, 1.14, 1.33}}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backwardCases")
    void activationBackward(Activation act, double[][] expected) {
        double[] a = place(OUT, 2, 4, PAD);
        double[] dx = place(DX, 1, 6, PAD);
        float[] af = f(a);
        float[] dxf = f(dx);
        backend.dactivationBackward(act, 2, 3, a, 2, 4, dx, 1, 6);
        backend.sactivationBackward(act, 2, 3, af, 2, 4, dxf, 1, 6);
        assertMatrix(expected, dx, 1, 6, PAD, D);
        assertMatrix(expected, dxf, 1, 6, PAD, F);
        assertArrayEquals(place(OUT, 2, 4, PAD), a);
        assertArrayEquals(f(place(OUT, 2, 4, PAD)), af);
    }

    // ---- Softmax ----------------------------------------------------------------------------

    @Test
    void softmaxIsStableAndRowsSumToOne() {
        // Row 0 = [1000 1001 1002]: e^1000 overflows, but after subtracting the max it is
        // [e^-2 e^-1 1] / (1 + e^-1 + e^-2) = [1 e e²] / (1 + e + e²).
        // Row 1 = [0 0 0]: 1/3 each.
        double[][] logits = {{1000, 1001, 1002}, {0, 0, 0}};
        double[][] expected = {
                {0.09003057317038046, 0.24472847105479764, 0.6652409557748219}, {1.0 / 3, 1.0 / 3, 1.0 / 3}};
        double[] x = place(logits, 3, 5, PAD);
        float[] xf = f(x);
        backend.dsoftmax(2, 3, x, 3, 5);
        backend.ssoftmax(2, 3, xf, 3, 5);
        assertMatrix(expected, x, 3, 5, PAD, D);
        assertMatrix(expected, xf, 3, 5, PAD, F);
        for (int r = 0; r < 2; r++) {
            assertEquals(1.0, x[3 + r * 5] + x[4 + r * 5] + x[5 + r * 5], D);
            assertEquals(1.0, (double) xf[3 + r * 5] + xf[4 + r * 5] + xf[5 + r * 5], F);
        }
    }

    // ---- Softmax cross-entropy --------------------------------------------------------------

    // Row 0: logits [0 ln3], target [0 1]: P = [1 3]/4 = [0.25 0.75], loss = -ln 0.75.
    // Row 1: logits [ln3 0], target [0.5 0.5]: P = [0.75 0.25], loss = -(0.5 ln 0.75 + 0.5 ln 0.25).
    // Mean over the 2 rows: (0.2876820724517809 + 0.8369882167858358) / 2.
    private static final double[][] CE_LOGITS = {{0, LN3}, {LN3, 0}};
    private static final double[][] CE_TARGETS = {{0, 1}, {0.5, 0.5}};
    private static final double[][] CE_P = {{0.25, 0.75}, {0.75, 0.25}};
    private static final double CE_LOSS = 0.5623351446188083;
    // dZ = (P - Y) / 2 = [(0.25-0)/2 (0.75-1)/2; (0.75-0.5)/2 (0.25-0.5)/2]
    private static final double[][] CE_DZ = {{0.125, -0.125}, {0.125, -0.125}};

    @Test
    void softmaxCrossEntropyKnownCase() {
        double[] z = place(CE_LOGITS, 1, 3, PAD);
        double[] y = place(CE_TARGETS, 2, 4, PAD);
        double[] dz = place(new double[][] {{PAD, PAD}, {PAD, PAD}}, 0, 5, PAD);
        float[] zf = f(z);
        float[] yf = f(y);
        float[] dzf = f(dz);
        assertEquals(CE_LOSS, backend.dsoftmaxCrossEntropy(2, 2, z, 1, 3, y, 2, 4, dz, 0, 5), D);
        assertEquals(CE_LOSS, backend.ssoftmaxCrossEntropy(2, 2, zf, 1, 3, yf, 2, 4, dzf, 0, 5), F);
        assertMatrix(CE_P, z, 1, 3, PAD, D);
        assertMatrix(CE_P, zf, 1, 3, PAD, F);
        assertMatrix(CE_DZ, dz, 0, 5, PAD, D);
        assertMatrix(CE_DZ, dzf, 0, 5, PAD, F);
        assertArrayEquals(place(CE_TARGETS, 2, 4, PAD), y);
    }

    @Test
    void softmaxCrossEntropyWithoutGradient() {
        double[] z = place(CE_LOGITS, 0, 2, PAD);
        float[] zf = f(z);
        double[] y = place(CE_TARGETS, 0, 2, PAD);
        assertEquals(CE_LOSS, backend.dsoftmaxCrossEntropy(2, 2, z, 0, 2, y, 0, 2, null, 0, 0), D);
        assertEquals(CE_LOSS, backend.ssoftmaxCrossEntropy(2, 2, zf, 0, 2, f(y), 0, 2, null, 0, 0), F);
        assertMatrix(CE_P, z, 0, 2, PAD, D);
        assertMatrix(CE_P, zf, 0, 2, PAD, F);
    }

    @Test
    void softmaxCrossEntropyGradientMayOverwriteLogits() {
        // dz is z itself: the loss is still right and z ends up holding dZ.
        double[] z = place(CE_LOGITS, 1, 3, PAD);
        float[] zf = f(z);
        double[] y = place(CE_TARGETS, 0, 2, PAD);
        assertEquals(CE_LOSS, backend.dsoftmaxCrossEntropy(2, 2, z, 1, 3, y, 0, 2, z, 1, 3), D);
        assertEquals(CE_LOSS, backend.ssoftmaxCrossEntropy(2, 2, zf, 1, 3, f(y), 0, 2, zf, 1, 3), F);
        assertMatrix(CE_DZ, z, 1, 3, PAD, D);
        assertMatrix(CE_DZ, zf, 1, 3, PAD, F);
    }

    @Test
    void softmaxCrossEntropyIsStable() {
        // Row 0: logits [1000 1001], target [0 1]: P = [1 e]/(1+e), loss = ln(1 + e^-1).
        // Row 1: logits [0 2000], target [1 0]: P[0] = e^-2000 underflows to 0, yet
        //        loss = -(0 - logSumExp) = 2000 + ln(1 + e^-2000) = 2000 exactly, not Infinity.
        // Mean: (0.31326168751822286 + 2000) / 2.
        double[] z = {1000, 1001, 0, 2000};
        double[] y = {0, 1, 1, 0};
        float[] zf = f(z);
        double expected = (0.31326168751822286 + 2000) / 2;
        assertEquals(expected, backend.dsoftmaxCrossEntropy(2, 2, z, 0, 2, y, 0, 2, null, 0, 0), D);
        assertEquals(expected, backend.ssoftmaxCrossEntropy(2, 2, zf, 0, 2, f(y), 0, 2, null, 0, 0), 1e-4);
        double[] p = {0.2689414213699951, 0.7310585786300049, 0, 1};
        assertArrayEquals(p, z, D);
        assertArrayEquals(f(p), zf, F);
    }

    // ---- Sigmoid binary cross-entropy -------------------------------------------------------

    // Per element max(z,0) - z·y + ln(1 + e^-|z|), with sigmoid(ln3) = 3/4, sigmoid(-ln3) = 1/4:
    //   z = 0,    y = 1: 0 - 0 + ln 2               = ln 2,    p = 0.5
    //   z = ln3,  y = 0: ln3 - 0 + ln(4/3)          = ln 4,    p = 0.75
    //   z = -ln3, y = 0: 0 - 0 + ln(4/3)            = ln(4/3), p = 0.25
    //   z = -ln3, y = 1: 0 + ln3 + ln(4/3)          = ln 4,    p = 0.25
    // Mean over 4 elements: ln(2·4·(4/3)·4) / 4 = ln(128/3) / 4.
    // dZ = (P - Y) / 4 = [(0.5-1)/4 0.75/4; 0.25/4 (0.25-1)/4].
    private static final double[][] BCE_LOGITS = {{0, LN3}, {-LN3, -LN3}};
    private static final double[][] BCE_TARGETS = {{1, 0}, {0, 1}};
    private static final double[][] BCE_P = {{0.5, 0.75}, {0.25, 0.25}};
    private static final double[][] BCE_DZ = {{-0.125, 0.1875}, {0.0625, -0.1875}};
    private static final double BCE_LOSS = 0.9383544938128768;

    @Test
    void sigmoidBinaryCrossEntropyKnownCase() {
        double[] z = place(BCE_LOGITS, 2, 3, PAD);
        double[] y = place(BCE_TARGETS, 1, 2, PAD);
        double[] dz = place(new double[][] {{PAD, PAD}, {PAD, PAD}}, 3, 4, PAD);
        float[] zf = f(z);
        float[] dzf = f(dz);
        assertEquals(BCE_LOSS, backend.dsigmoidBinaryCrossEntropy(2, 2, z, 2, 3, y, 1, 2, dz, 3, 4), D);
        assertEquals(BCE_LOSS, backend.ssigmoidBinaryCrossEntropy(2, 2, zf, 2, 3, f(y), 1, 2, dzf, 3, 4), F);
        assertMatrix(BCE_P, z, 2, 3, PAD, D);
        assertMatrix(BCE_P, zf, 2, 3, PAD, F);
        assertMatrix(BCE_DZ, dz, 3, 4, PAD, D);
        assertMatrix(BCE_DZ, dzf, 3, 4, PAD, F);

        double[] z2 = place(BCE_LOGITS, 0, 2, PAD);
        assertEquals(BCE_LOSS, backend.dsigmoidBinaryCrossEntropy(2, 2, z2, 0, 2, y, 1, 2, null, 0, 0), D);
        assertMatrix(BCE_P, z2, 0, 2, PAD, D);
    }

    @Test
    void sigmoidBinaryCrossEntropyIsStable() {
        // z = ±800: e^800 overflows, yet each loss is max(z,0) - z·y + ln(1 + e^-800) = exact.
        //   [800 -800] with y = [1 0]: 800 - 800 + 0 = 0 and 0 + 0 + 0 = 0  -> mean 0
        //   [800 -800] with y = [0 1]: 800 - 0 + 0 = 800 and 0 + 800 + 0  -> mean 800
        double[] z = {800, -800};
        float[] zf = f(z);
        assertEquals(0.0, backend.dsigmoidBinaryCrossEntropy(1, 2, z, 0, 2, new double[] {1, 0}, 0, 2, null, 0, 0), 0);
        assertEquals(0.0, backend.ssigmoidBinaryCrossEntropy(1, 2, zf, 0, 2, new float[] {1, 0}, 0, 2, null, 0, 0), 0);
        assertArrayEquals(new double[] {1, 0}, z);
        assertArrayEquals(new float[] {1, 0}, zf);

        double[] z2 = {800, -800};
        double[] dz = new double[2];
        assertEquals(800.0, backend.dsigmoidBinaryCrossEntropy(1, 2, z2, 0, 2, new double[] {0, 1}, 0, 2, dz, 0, 2), 0);
        // dZ = (P - Y) / 2 = [(1-0)/2 (0-1)/2]
        assertArrayEquals(new double[] {0.5, -0.5}, dz);
    }

    // ---- Mean squared error -----------------------------------------------------------------

    @Test
    void meanSquaredErrorKnownCase() {
        // A - Y = [1-0 2-2; 3-5 4-1] = [1 0; -2 3]; squares 1 + 0 + 4 + 9 = 14; mean 14/4 = 3.5.
        // dA = 2 (A - Y) / 4 = [0.5 0; -1 1.5].
        double[][] a = {{1, 2}, {3, 4}};
        double[][] y = {{0, 2}, {5, 1}};
        double[][] expectedDa = {{0.5, 0}, {-1, 1.5}};
        double[] av = place(a, 1, 3, PAD);
        double[] yv = place(y, 2, 2, PAD);
        double[] da = place(new double[][] {{PAD, PAD}, {PAD, PAD}}, 0, 4, PAD);
        float[] avf = f(av);
        float[] daf = f(da);
        assertEquals(3.5, backend.dmeanSquaredError(2, 2, av, 1, 3, yv, 2, 2, da, 0, 4), D);
        assertEquals(3.5, backend.smeanSquaredError(2, 2, avf, 1, 3, f(yv), 2, 2, daf, 0, 4), F);
        assertMatrix(expectedDa, da, 0, 4, PAD, D);
        assertMatrix(expectedDa, daf, 0, 4, PAD, F);
        assertArrayEquals(place(a, 1, 3, PAD), av);
        assertArrayEquals(f(place(a, 1, 3, PAD)), avf);
        assertEquals(3.5, backend.dmeanSquaredError(2, 2, av, 1, 3, yv, 2, 2, null, 0, 0), D);
        assertEquals(3.5, backend.smeanSquaredError(2, 2, avf, 1, 3, f(yv), 2, 2, null, 0, 0), F);
    }

    // ---- Column sums ------------------------------------------------------------------------

    @Test
    void columnSumsAccumulate() {
        // y = [10 20 30] + column sums of [1 2 3; 4 5 6] = [10+5 20+7 30+9]
        double[] x = place(new double[][] {{1, 2, 3}, {4, 5, 6}}, 2, 4, PAD);
        double[] y = {PAD, 10, 20, 30, PAD};
        float[] yf = f(y);
        backend.dcolumnSums(2, 3, x, 2, 4, y, 1);
        backend.scolumnSums(2, 3, f(x), 2, 4, yf, 1);
        assertArrayEquals(new double[] {PAD, 15, 27, 39, PAD}, y);
        assertArrayEquals(new float[] {(float) PAD, 15, 27, 39, (float) PAD}, yf);
        // A second call adds again: [15+5 27+7 39+9].
        backend.dcolumnSums(2, 3, x, 2, 4, y, 1);
        assertArrayEquals(new double[] {PAD, 20, 34, 48, PAD}, y);
    }

    @Test
    void scolumnSumsAccumulateInDouble() {
        // 0 + 1e8 + 1 - 1e8: float accumulation loses the 1 (ulp of 1e8 is 8); double keeps it.
        float[] y = {0};
        backend.scolumnSums(3, 1, new float[] {1e8f, 1f, -1e8f}, 0, 1, y, 0);
        assertEquals(1f, y[0], 0f);
    }

    // ---- Vector operations ------------------------------------------------------------------

    @Test
    void axpy() {
        // y[1..3] += 2·x[2..4] = [10+2·1 20+2·2 30+2·3]
        double[] x = {PAD, PAD, 1, 2, 3};
        double[] y = {PAD, 10, 20, 30, PAD};
        float[] yf = f(y);
        backend.daxpy(3, 2.0, x, 2, y, 1);
        backend.saxpy(3, 2f, f(x), 2, yf, 1);
        assertArrayEquals(new double[] {PAD, 12, 24, 36, PAD}, y);
        assertArrayEquals(new float[] {(float) PAD, 12, 24, 36, (float) PAD}, yf);
    }

    @Test
    void scal() {
        // x[1..2] *= -3: [1 2] -> [-3 -6]
        double[] x = {PAD, 1, 2, PAD};
        float[] xf = f(x);
        backend.dscal(2, -3.0, x, 1);
        backend.sscal(2, -3f, xf, 1);
        assertArrayEquals(new double[] {PAD, -3, -6, PAD}, x);
        assertArrayEquals(new float[] {(float) PAD, -3, -6, (float) PAD}, xf);
    }

    @Test
    void scalByZeroWritesZerosOverNaNAndInfinity() {
        double[] x = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -5, PAD};
        float[] xf = f(x);
        backend.dscal(4, 0.0, x, 0);
        backend.sscal(4, 0f, xf, 0);
        assertArrayEquals(new double[] {0, 0, 0, 0, PAD}, x);
        assertArrayEquals(new float[] {0, 0, 0, 0, (float) PAD}, xf);
    }

    // ---- Optimizer steps --------------------------------------------------------------------

    @Test
    void sgdStep() {
        // w -= 0.1 g: [1 - 0.1·0.5, -2 - 0.1·-1] = [0.95 -1.9]
        double[] w = {PAD, 1, -2};
        double[] g = {0.5, -1};
        float[] wf = f(w);
        backend.dsgdStep(2, 0.1, w, 1, g, 0);
        backend.ssgdStep(2, 0.1f, wf, 1, f(g), 0);
        assertArrayEquals(new double[] {PAD, 0.95, -1.9}, w, D);
        assertArrayEquals(new float[] {(float) PAD, 0.95f, -1.9f}, wf, F);
    }

    @Test
    void momentumStep() {
        // v = 0.9·0.2 + 0.5 = 0.68
        // classic:  w = 1 - 0.1·0.68             = 0.932
        // Nesterov: w = 1 - 0.1·(0.5 + 0.9·0.68) = 1 - 0.1·1.112 = 0.8888
        for (boolean nesterov : new boolean[] {false, true}) {
            double expectedW = nesterov ? 0.8888 : 0.932;
            double[] w = {1};
            double[] v = {PAD, 0.2};
            float[] wf = {1f};
            float[] vf = {(float) PAD, 0.2f};
            backend.dmomentumStep(1, 0.1, 0.9, nesterov, w, 0, new double[] {0.5}, 0, v, 1);
            backend.smomentumStep(1, 0.1f, 0.9f, nesterov, wf, 0, new float[] {0.5f}, 0, vf, 1);
            assertEquals(expectedW, w[0], D);
            assertEquals(0.68, v[1], D);
            assertEquals(PAD, v[0], 0);
            assertEquals((float) expectedW, wf[0], F);
            assertEquals(0.68f, vf[1], F);
        }
    }

    @Test
    void adamStep() {
        // t = 1, m = v = 0, g = [0.5 -2], b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 0.01:
        //   m = 0.1·g = [0.05 -0.2], v = 0.001·g² = [0.00025 0.004]
        //   mhat = m / (1 - 0.9) = g, vhat = v / (1 - 0.999) = g²
        //   w -= 0.01·g / (|g| + 1e-8): about lr·sign(g)
        //   w = [1 - 0.005/0.50000001, 1 + 0.02/2.00000001] = [0.9900000002 1.00999999995]
        double[] w = {1, 1};
        double[] g = {0.5, -2};
        double[] m = {0, 0};
        double[] v = {0, 0};
        backend.dadamStep(2, 0.01, 0.9, 0.999, 1e-8, 1, w, 0, g, 0, m, 0, v, 0);
        assertArrayEquals(new double[] {0.9900000002, 1.00999999995}, w, D);
        assertArrayEquals(new double[] {0.05, -0.2}, m, D);
        assertArrayEquals(new double[] {0.00025, 0.004}, v, D);

        float[] wf = {1, 1};
        float[] mf = {0, 0};
        float[] vf = {0, 0};
        backend.sadamStep(2, 0.01f, 0.9f, 0.999f, 1e-8f, 1, wf, 0, f(g), 0, mf, 0, vf, 0);
        assertArrayEquals(new float[] {0.99f, 1.01f}, wf, F);
        assertArrayEquals(new float[] {0.05f, -0.2f}, mf, F);
        // 1 - 0.999f is 0.000999987, not 0.001: v is within about 1e-5 relative of the double case.
        assertArrayEquals(new float[] {0.00025f, 0.004f}, vf, 1e-7f);

        // t = 2 with the same gradient 0.5 on the first element:
        //   m = 0.9·0.05 + 0.1·0.5 = 0.095, v = 0.999·0.00025 + 0.001·0.25 = 0.00049975
        //   mhat = 0.095 / (1 - 0.81) = 0.5, vhat = 0.00049975 / (1 - 0.998001) = 0.25
        //   so the step is again 0.01·0.5/(0.5 + 1e-8): w = 0.9900000002 - 0.0099999998 = 0.9800000004
        backend.dadamStep(1, 0.01, 0.9, 0.999, 1e-8, 2, w, 0, g, 0, m, 0, v, 0);
        assertEquals(0.9800000004, w[0], D);
        assertEquals(0.095, m[0], D);
        assertEquals(0.00049975, v[0], D);
        backend.sadamStep(1, 0.01f, 0.9f, 0.999f, 1e-8f, 2, wf, 0, f(g), 0, mf, 0, vf, 0);
        assertEquals(0.98f, wf[0], F);
    }

    @Test
    void rmspropStep() {
        // s = 0.9·0 + 0.1·0.5² = 0.025; w = 1 - 0.01·0.5 / (sqrt(0.025) + 1e-8)
        //   = 1 - 0.005 / 0.15811389300841897 = 0.968377225398316
        double[] w = {PAD, 1};
        double[] s = {0};
        float[] wf = {(float) PAD, 1};
        float[] sf = {0};
        backend.drmspropStep(1, 0.01, 0.9, 1e-8, w, 1, new double[] {0.5}, 0, s, 0);
        backend.srmspropStep(1, 0.01f, 0.9f, 1e-8f, wf, 1, new float[] {0.5f}, 0, sf, 0);
        assertEquals(0.968377225398316, w[1], D);
        assertEquals(0.025, s[0], D);
        assertEquals(PAD, w[0], 0);
        assertEquals(0.968377225398316f, wf[1], F);
        assertEquals(0.025f, sf[0], F);
    }

    // ---- Helpers ----------------------------------------------------------------------------

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    /** {@code m} stored at {@code off} with leading dimension {@code ld}; everything else, plus 3 trailing elements, is {@code fill}. */
    private static double[] place(double[][] m, int off, int ld, double fill) {
        double[] out = new double[off + (m.length - 1) * ld + m[0].length + 3];
        Arrays.fill(out, fill);
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[0].length; c++) {
                out[off + r * ld + c] = m[r][c];
            }
        }
        return out;
    }

    private static float[] f(double[] d) {
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    private static boolean inside(int i, int off, int ld, int rows, int cols) {
        int rel = i - off;
        return rel >= 0 && rel / ld < rows && rel % ld < cols;
    }

    /** Elements of the matrix within {@code tol} relative to max(1, |expected|); all others still {@code fill}. */
    private static void assertMatrix(double[][] expected, double[] actual, int off, int ld, double fill, double tol) {
        int rows = expected.length;
        int cols = expected[0].length;
        for (int i = 0; i < actual.length; i++) {
            if (inside(i, off, ld, rows, cols)) {
                int r = (i - off) / ld;
                int c = (i - off) % ld;
                assertEquals(expected[r][c], actual[i], tol * Math.max(1, Math.abs(expected[r][c])),
                        "element (" + r + ", " + c + ")");
            } else {
                assertEquals(fill, actual[i], 0, "index " + i + " lies outside the matrix and must not change");
            }
        }
    }

    private static void assertMatrix(double[][] expected, float[] actual, int off, int ld, double fill, float tol) {
        int rows = expected.length;
        int cols = expected[0].length;
        for (int i = 0; i < actual.length; i++) {
            if (inside(i, off, ld, rows, cols)) {
                int r = (i - off) / ld;
                int c = (i - off) % ld;
                assertEquals((float) expected[r][c], actual[i], tol * (float) Math.max(1, Math.abs(expected[r][c])),
                        "element (" + r + ", " + c + ")");
            } else {
                assertEquals((float) fill, actual[i], 0f, "index " + i + " lies outside the matrix and must not change");
            }
        }
    }
}
