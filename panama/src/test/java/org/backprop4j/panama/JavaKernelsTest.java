package org.backprop4j.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The accuracy that {@link JavaKernels} documents for its arithmetic-only exp, expm1 and log1p,
 * against {@link Math} over their whole input range. (The kernels themselves are cross-checked
 * against the reference backend by the tests module.)
 */
class JavaKernelsTest {

    private static final int N = 100_001;

    /** x from lo to 0 in N steps, and the special values at the end. */
    private static double[] arguments(double lo) {
        double[] t = new double[N + 3];
        for (int i = 0; i < N; i++) {
            t[i] = lo * i / (N - 1);
        }
        t[N] = -0.0;
        t[N + 1] = Double.NEGATIVE_INFINITY;
        t[N + 2] = Double.NaN;
        return t;
    }

    /** One of the in-place kernels over t[from, to). */
    private interface InPlace {
        void apply(double[] t, int from, int to);
    }

    private static void run(InPlace f, double[] t) {
        f.apply(t, 0, t.length);
    }

    @Test
    void expIsWithin4e12RelativeAndUnderflowsToZeroAsAFloat() {
        double[] x = arguments(-110);
        double[] e = x.clone();
        run(JavaKernels::expNonPositive, e);
        double worst = 0;
        for (int i = 0; i < N; i++) {
            double relative = Math.abs(e[i] - Math.exp(x[i])) / Math.exp(x[i]);
            int at = i;
            assertTrue(relative < 4e-12, () -> "exp(" + x[at] + "): relative error " + relative);
            worst = Math.max(worst, relative);
        }
        assertEquals(1.0, e[N]);
        assertEquals(0f, (float) e[N + 1]); // clamped at -110: e^-110 is 0 as a float
        assertTrue(Double.isNaN(e[N + 2]));
        assertTrue(worst > 0); // it is an approximation: the test would notice a silent Math.exp
    }

    @Test
    void expm1IsAccurateRelativeToItsResultAlsoNearZero() {
        double[] x = arguments(-110);
        x[1] = -1e-30;
        x[2] = -1e-300;
        double[] m = x.clone();
        run(JavaKernels::expm1NonPositive, m);
        for (int i = 1; i < N; i++) {
            double exact = Math.expm1(x[i]);
            double relative = Math.abs(m[i] - exact) / Math.abs(exact);
            int at = i;
            assertTrue(relative < 4e-12, () -> "expm1(" + x[at] + ") = " + m[at] + ", exact " + exact);
        }
        assertEquals(-0.0, m[N]);
        assertEquals(-1.0, m[N + 1]);
    }

    @Test
    void log1pOfTheUnitIntervalIsWithinAFewUlps() {
        double[] e = new double[N];
        for (int i = 0; i < N; i++) {
            e[i] = (double) i / (N - 1);
        }
        e[1] = 1e-300;
        double[] l = e.clone();
        run(JavaKernels::log1pUnit, l);
        for (int i = 0; i < N; i++) {
            double exact = Math.log1p(e[i]);
            int at = i;
            assertTrue(Math.abs(l[i] - exact) <= 4 * Math.ulp(exact), () -> "log1p(" + e[at] + ") = " + l[at]
                    + ", exact " + exact);
        }
    }

    @Test
    void theArithmeticSelectsMatchTheComparisons() {
        float[] fs = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, 1, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, -5};
        for (float a : fs) {
            assertEquals(a > 0 ? 1 : 0, JavaKernels.positive(a), () -> "positive(" + a + ")");
        }
        assertEquals(1, JavaKernels.positive(Double.MIN_VALUE));
        assertEquals(0, JavaKernels.positive(-Double.MIN_VALUE));
        for (double z : new double[] {0.0, -0.0, 1e-300, -1e-300, 3, -3, 40, -40, 800, -800}) {
            double reference = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            assertEquals(reference, JavaKernels.sigmoidFromExp(z, Math.exp(-Math.abs(z))), () -> "sigmoid(" + z + ")");
        }
        assertEquals(Double.doubleToRawLongBits(-0.0),
                Double.doubleToRawLongBits(JavaKernels.tanhFromExpm1(-0.0, Math.expm1(-0.0))));
    }
}
