package org.backprop4j.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.backprop4j.backend.Availability;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API path ({@link VectorKernels}) against the reference within {@link ErrorBounds}:
 * rows narrower and wider than a vector (so both the lanes and the scalar tails run), offsets,
 * padded rows, and the special values (NaN, infinities, signed zeros, arguments whose exp
 * overflows, underflows or is subnormal). This module's tests run with
 * {@code --add-modules jdk.incubator.vector}; elsewhere these tests are skipped.
 */
class VectorKernelsTest {

    private static final ReferenceBackend REFERENCE = new ReferenceBackend();
    private static final int[] WIDTHS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0,
        -100, 100, -104, 88.7, -87.3, 1e-40, -1e-40, 1e-8, -1e-8, 20, -20, 710, -745, 0.5, -0.5};

    private static PanamaBackend vector;

    @BeforeAll
    static void backend() {
        Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "run with --add-modules jdk.incubator.vector");
        Assumptions.assumeTrue(PanamaBackend.vectorUnusable() == null, PanamaBackend::vectorUnusable);
        PanamaBackendProvider p = new PanamaBackendProvider(null);
        Availability a = p.probe();
        Assumptions.assumeTrue(a.available(), () -> "no system CBLAS: " + a.detail());
        vector = (PanamaBackend) p.create();
        assertTrue(vector.usesVectorApi(), vector::details);
        assertTrue(vector.details().contains("sigmoid, tanh and softmax on the Vector API ("), vector::details);
    }

    /** rows x ld values from [-scale, scale], with the special values spread over them. */
    private static double[] values(SplittableRandom rng, int n, double scale, boolean specials) {
        double[] v = rng.doubles(n, -scale, scale).toArray();
        if (specials) {
            for (int i = 0; i < SPECIAL.length && i < n; i++) {
                v[rng.nextInt(n)] = SPECIAL[i];
            }
        }
        return v;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void biasSigmoidAndTanhAreWithinTheirBounds() {
        SplittableRandom rng = new SplittableRandom(11);
        for (Activation act : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
            for (int cols : WIDTHS) {
                for (int rows : new int[] {1, 3}) {
                    for (boolean specials : new boolean[] {false, true}) {
                        int offX = rng.nextInt(4);
                        int ldx = cols + rng.nextInt(3);
                        int offBias = rng.nextInt(4);
                        double[] x = values(rng, offX + rows * ldx + 2, 12, specials);
                        double[] bias = values(rng, offBias + cols + 1, 1, false);
                        String what = act + " " + rows + "x" + cols + " at " + offX + " ld " + ldx + " bias at " + offBias
                                + (specials ? " with special values" : "");
                        for (DType dtype : DType.values()) {
                            double[] zs = new double[rows * cols];
                            double[] expected = new double[rows * cols];
                            double[] actual = new double[rows * cols];
                            double[] before;
                            double[] after;
                            double[] refAfter;
                            if (dtype == DType.FLOAT32) {
                                float[] xf = toFloat(x);
                                float[] bf = toFloat(bias);
                                float[] ref = xf.clone();
                                float[] out = xf.clone();
                                REFERENCE.sbiasActivation(act, rows, cols, ref, offX, ldx, bf, offBias);
                                vector.sbiasActivation(act, rows, cols, out, offX, ldx, bf, offBias);
                                before = toDouble(xf);
                                after = toDouble(out);
                                refAfter = toDouble(ref);
                                for (int r = 0; r < rows; r++) {
                                    for (int c = 0; c < cols; c++) {
                                        zs[r * cols + c] = (double) xf[offX + r * ldx + c] + bf[offBias + c];
                                    }
                                }
                            } else {
                                double[] ref = x.clone();
                                double[] out = x.clone();
                                REFERENCE.dbiasActivation(act, rows, cols, ref, offX, ldx, bias, offBias);
                                vector.dbiasActivation(act, rows, cols, out, offX, ldx, bias, offBias);
                                before = x;
                                after = out;
                                refAfter = ref;
                                for (int r = 0; r < rows; r++) {
                                    for (int c = 0; c < cols; c++) {
                                        zs[r * cols + c] = x[offX + r * ldx + c] + bias[offBias + c];
                                    }
                                }
                            }
                            double[] bound = new double[rows * cols];
                            for (int r = 0; r < rows; r++) {
                                for (int c = 0; c < cols; c++) {
                                    int i = r * cols + c;
                                    expected[i] = refAfter[offX + r * ldx + c];
                                    actual[i] = after[offX + r * ldx + c];
                                    bound[i] = ErrorBounds.activation(dtype, act, zs[i], expected[i]);
                                }
                            }
                            ErrorBounds.Result res = ErrorBounds.check(actual, expected, bound);
                            assertTrue(res.passed(), () -> dtype + " " + what + ": " + res);
                            assertOnlyRegionChanged(dtype + " " + what, before, after, rows, cols, offX, ldx);
                        }
                    }
                }
            }
        }
    }

    @Test
    void softmaxIsWithinItsBounds() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int cols : WIDTHS) {
            for (int rows : new int[] {1, 4}) {
                for (int special = 0; special < 4; special++) {
                    int offX = rng.nextInt(4);
                    int ldx = cols + rng.nextInt(3);
                    double[] x = values(rng, offX + rows * ldx + 2, 30, special == 1);
                    if (special == 2) { // a row of -infinity: every shifted value is NaN
                        for (int c = 0; c < cols; c++) {
                            x[offX + c] = Double.NEGATIVE_INFINITY;
                        }
                    }
                    if (special == 3) { // one large logit: the others underflow
                        x[offX + rng.nextInt(cols)] = 500;
                    }
                    int sp = special;
                    String what = "softmax " + rows + "x" + cols + " at " + offX + " ld " + ldx + " case " + special;
                    for (DType dtype : DType.values()) {
                        double[] before;
                        double[] after;
                        double[] refAfter;
                        if (dtype == DType.FLOAT32) {
                            float[] xf = toFloat(x);
                            float[] ref = xf.clone();
                            float[] out = xf.clone();
                            REFERENCE.ssoftmax(rows, cols, ref, offX, ldx);
                            vector.ssoftmax(rows, cols, out, offX, ldx);
                            before = toDouble(xf);
                            after = toDouble(out);
                            refAfter = toDouble(ref);
                        } else {
                            double[] ref = x.clone();
                            double[] out = x.clone();
                            REFERENCE.dsoftmax(rows, cols, ref, offX, ldx);
                            vector.dsoftmax(rows, cols, out, offX, ldx);
                            before = x;
                            after = out;
                            refAfter = ref;
                        }
                        double[] expected = new double[rows * cols];
                        double[] actual = new double[rows * cols];
                        double[] bound = new double[rows * cols];
                        for (int r = 0; r < rows; r++) {
                            double max = Double.NEGATIVE_INFINITY;
                            for (int c = 0; c < cols; c++) {
                                max = Math.max(max, before[offX + r * ldx + c]);
                            }
                            for (int c = 0; c < cols; c++) {
                                int i = r * cols + c;
                                expected[i] = refAfter[offX + r * ldx + c];
                                actual[i] = after[offX + r * ldx + c];
                                bound[i] = ErrorBounds.softmax(dtype, cols, before[offX + r * ldx + c] - max, expected[i]);
                            }
                        }
                        ErrorBounds.Result res = ErrorBounds.check(actual, expected, bound);
                        assertTrue(res.passed(), () -> dtype + " " + what + ": " + res);
                        assertOnlyRegionChanged(dtype + " " + what, before, after, rows, cols, offX, ldx);
                        if (sp == 2) {
                            assertTrue(Double.isNaN(actual[0]), what + ": a row of -infinity gives NaN, as the reference");
                        }
                    }
                }
            }
        }
    }

    private static void assertOnlyRegionChanged(String what, double[] before, double[] after, int rows, int cols,
                                                int off, int ld) {
        for (int i = 0; i < before.length; i++) {
            int r = (i - off) / ld;
            int c = (i - off) % ld;
            boolean inside = i >= off && r < rows && c < cols;
            if (!inside) {
                assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(after[i]),
                        what + ": element " + i + " outside the matrix changed");
            }
        }
    }

    @Test
    void theSettingTurnsThePathOffAndRejectsOtherValues() {
        String before = System.getProperty(PanamaBackend.VECTOR_PROPERTY);
        try {
            System.setProperty(PanamaBackend.VECTOR_PROPERTY, "false");
            assertEquals("-Dbackprop4j.vector=false", PanamaBackend.vectorUnusable());
            assertEquals("element-wise kernels in Java (-Dbackprop4j.vector=false)",
                    PanamaBackend.kernels(PanamaBackend.vectorUnusable()));
            PanamaBackendProvider p = new PanamaBackendProvider(null);
            if (p.probe().available()) {
                assertFalse(((PanamaBackend) p.create()).usesVectorApi());
            }
            System.setProperty(PanamaBackend.VECTOR_PROPERTY, "TRUE");
            assertNull(PanamaBackend.vectorUnusable());
            System.setProperty(PanamaBackend.VECTOR_PROPERTY, "yes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, PanamaBackend::vectorUnusable);
            assertEquals("-Dbackprop4j.vector=yes is not one of auto, true, false", e.getMessage());
            assertEquals("-Dbackprop4j.vector=yes is not one of auto, true, false",
                    new PanamaBackendProvider(null).probe().detail());
        } finally {
            if (before == null) {
                System.clearProperty(PanamaBackend.VECTOR_PROPERTY);
            } else {
                System.setProperty(PanamaBackend.VECTOR_PROPERTY, before);
            }
        }
    }
}
