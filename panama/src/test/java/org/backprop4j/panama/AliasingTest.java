package org.backprop4j.panama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.backprop4j.backend.Availability;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.nn.Activation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operands that share one array: at the same place (dZ over Z, as the network calls the losses),
 * and at different offsets or leading dimensions, possibly overlapping. Such a call must complete
 * whenever the reference completes, and give the reference's result: the plain loops of the
 * reference define what an overlapping call computes. Each case runs both backends on copies of
 * one array and compares the whole array (and the loss), so a write outside the outputs or a read
 * of a value another operand already overwrote shows up as well.
 */
class AliasingTest {

    private static final Backend REFERENCE = new ReferenceBackend();
    private static final Activation[] ELEMENTWISE = {
        Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU, Activation.SIGMOID, Activation.TANH};
    /** Offsets of the second and third operand relative to the first, overlapping or not. */
    private static final int[] SHIFTS = {0, 1, 2, 3, 5, 7, 12, 30};

    /** The plain Java kernels, and the Vector API path where this JVM can run it. */
    private static final List<Backend> PANAMA = new ArrayList<>();

    @BeforeAll
    static void backends() {
        PanamaBackendProvider p = new PanamaBackendProvider(null);
        Availability a = p.probe();
        Assumptions.assumeTrue(a.available(), () -> "no system CBLAS: " + a.detail());
        BlasLibrary lib = BlasLibrary.find(null).library();
        PANAMA.add(new PanamaBackend(lib, "plain Java kernels", false));
        if (PanamaBackend.vectorUnusable() == null) {
            PANAMA.add(new PanamaBackend(lib, "Vector API", true));
        }
    }

    private interface FloatCall {
        double run(Backend b, float[] x);
    }

    private interface DoubleCall {
        double run(Backend b, double[] x);
    }

    /** Values in [-2, 2), one in eight exactly 0 (relu's and the losses' edge). */
    private static double[] values(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(8) == 0 ? 0 : 4 * r.nextDouble() - 2;
        }
        return v;
    }

    private static final int LENGTH = 128;

    /**
     * Runs the call on the reference and on panama, each on its own copy of one array, and checks
     * that both complete (or throw the same exception) and agree: to {@code ulps} float ulps, and
     * to 1e-13 relative in double (panama's exp and log1p are not the reference's to the bit).
     */
    private static void check(String what, float ulps, FloatCall call) {
        for (Backend panama : PANAMA) {
            check(panama, what + " [" + panama.details() + "]", ulps, call);
        }
    }

    private static void check(String what, DoubleCall call) {
        for (Backend panama : PANAMA) {
            check(panama, what + " [" + panama.details() + "]", call);
        }
    }

    private static void check(Backend panama, String what, float ulps, FloatCall call) {
        double[] v = values(LENGTH, what.hashCode());
        float[] ref = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            ref[i] = (float) v[i];
        }
        float[] out = ref.clone();
        double refValue;
        try {
            refValue = call.run(REFERENCE, ref);
        } catch (RuntimeException e) {
            RuntimeException thrown = assertThrows(what, () -> call.run(panama, out));
            assertEquals(e.getClass(), thrown.getClass(), what);
            return;
        }
        double value;
        try {
            value = call.run(panama, out);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": panama threw " + e + ", the reference completed", e);
        }
        assertClose(what + ": returned", refValue, value, 1e-6);
        for (int i = 0; i < LENGTH; i++) {
            float expected = ref[i];
            float actual = out[i];
            boolean same = Float.compare(expected, actual) == 0
                    || Math.abs(expected - actual) <= ulps * Math.ulp(Math.max(Math.abs(expected), Float.MIN_NORMAL));
            if (!same) {
                fail(what + ": element " + i + " is " + actual + ", the reference's " + expected);
            }
        }
    }

    private static void check(Backend panama, String what, DoubleCall call) {
        double[] ref = values(LENGTH, what.hashCode());
        double[] out = ref.clone();
        double refValue;
        try {
            refValue = call.run(REFERENCE, ref);
        } catch (RuntimeException e) {
            RuntimeException thrown = assertThrows(what, () -> call.run(panama, out));
            assertEquals(e.getClass(), thrown.getClass(), what);
            return;
        }
        double value;
        try {
            value = call.run(panama, out);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": panama threw " + e + ", the reference completed", e);
        }
        assertClose(what + ": returned", refValue, value, 1e-13);
        for (int i = 0; i < LENGTH; i++) {
            assertClose(what + ": element " + i, ref[i], out[i], 1e-13);
        }
    }

    private interface Thrower {
        double run();
    }

    private static RuntimeException assertThrows(String what, Thrower t) {
        try {
            t.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError(what + ": panama completed, the reference threw");
    }

    private static void assertClose(String what, double expected, double actual, double relative) {
        if (Double.compare(expected, actual) == 0) {
            return;
        }
        if (!(Math.abs(expected - actual) <= relative * Math.max(1e-300, Math.abs(expected)))) {
            fail(what + " is " + actual + ", the reference's " + expected);
        }
    }

    // (rows, cols, ld) shapes: contiguous (ld == cols, where the kernels may treat the matrix as one
    // long row), padded, one row, one column.
    private static final int[][] SHAPES = {{3, 4, 4}, {3, 4, 6}, {1, 9, 9}, {5, 1, 1}, {4, 3, 5}, {2, 20, 20}};

    @Test
    void activationBackwardWithAAndDxInOneArray() {
        for (Activation act : ELEMENTWISE) {
            for (int[] s : SHAPES) {
                for (int ld2 : new int[] {s[2], s[1] + 1}) {
                    for (int shift : SHIFTS) {
                        for (boolean dxFirst : new boolean[] {false, true}) {
                            int rows = s[0];
                            int cols = s[1];
                            int lda = dxFirst ? ld2 : s[2];
                            int lddx = dxFirst ? s[2] : ld2;
                            int offA = dxFirst ? shift : 1;
                            int offDx = dxFirst ? 1 : shift;
                            String what = String.format("activationBackward(%s, %d, %d, a at %d ld %d, dx at %d ld %d)",
                                    act, rows, cols, offA, lda, offDx, lddx);
                            check("s" + what, 0, (b, x) -> {
                                b.sactivationBackward(act, rows, cols, x, offA, lda, x, offDx, lddx);
                                return 0;
                            });
                            check("d" + what, (b, x) -> {
                                b.dactivationBackward(act, rows, cols, x, offA, lda, x, offDx, lddx);
                                return 0;
                            });
                        }
                    }
                }
            }
        }
    }

    @Test
    void biasActivationWithTheBiasInsideX() {
        for (Activation act : ELEMENTWISE) {
            for (int[] s : SHAPES) {
                for (int shift : SHIFTS) {
                    for (int offBias : new int[] {shift, 0}) {
                        int rows = s[0];
                        int cols = s[1];
                        int ldx = s[2];
                        int offX = offBias == 0 ? shift : 0;
                        String what = String.format("biasActivation(%s, %d, %d, x at %d ld %d, bias at %d)",
                                act, rows, cols, offX, ldx, offBias);
                        // The float sigmoid and tanh may differ from the reference by an ulp (JavaKernels).
                        check("s" + what, 1, (b, x) -> {
                            b.sbiasActivation(act, rows, cols, x, offX, ldx, x, offBias);
                            return 0;
                        });
                        check("d" + what, (b, x) -> {
                            b.dbiasActivation(act, rows, cols, x, offX, ldx, x, offBias);
                            return 0;
                        });
                    }
                }
            }
        }
    }

    @Test
    void softmaxOnContiguousAndPaddedRows() {
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int ldx = s[2];
            String what = String.format("softmax(%d, %d, x at 3 ld %d)", rows, cols, ldx);
            // The Vector API's float softmax is within ErrorBounds.softmax, a few ulp here (one row of at most 20).
            check("s" + what, 16, (b, x) -> {
                b.ssoftmax(rows, cols, x, 3, ldx);
                return 0;
            });
            check("d" + what, (b, x) -> {
                b.dsoftmax(rows, cols, x, 3, ldx);
                return 0;
            });
        }
    }

    @Test
    void columnSumsIntoTheMatrixItself() {
        for (int[] s : SHAPES) {
            for (int shift : SHIFTS) {
                int rows = s[0];
                int cols = s[1];
                int ldx = s[2];
                String what = String.format("columnSums(%d, %d, x at 2 ld %d, y at %d)", rows, cols, ldx, 2 + shift);
                check("s" + what, 0, (b, x) -> {
                    b.scolumnSums(rows, cols, x, 2, ldx, x, 2 + shift);
                    return 0;
                });
                check("d" + what, (b, x) -> {
                    b.dcolumnSums(rows, cols, x, 2, ldx, x, 2 + shift);
                    return 0;
                });
            }
        }
    }

    /** Which of Y and dZ share Z's array (dZ may also be absent). */
    private enum Sharing {
        Y_IN_Z, DZ_IN_Z, DZ_IN_Y, ALL_THREE, DZ_IS_Z_Y_INSIDE
    }

    private interface FloatLoss {
        double run(Backend b, int rows, int cols, float[] z, int offZ, int ldz, float[] y, int offY, int ldy,
                   float[] dz, int offDz, int lddz);
    }

    private interface DoubleLoss {
        double run(Backend b, int rows, int cols, double[] z, int offZ, int ldz, double[] y, int offY, int ldy,
                   double[] dz, int offDz, int lddz);
    }

    private static void lossCases(String name, float ulps, FloatLoss sLoss, DoubleLoss dLoss) {
        for (int[] s : SHAPES) {
            int rows = s[0];
            int cols = s[1];
            int ld = s[2];
            for (int shift : SHIFTS) {
                for (Sharing sharing : Sharing.values()) {
                    for (int ld2 : new int[] {ld, cols + 2}) {
                        // z at 1; y and dz at 1 + shift, or (DZ_IS_Z_Y_INSIDE) dz over z and y at 1 + shift.
                        int offZ = 1;
                        int other = 1 + shift;
                        int offY = switch (sharing) {
                            case Y_IN_Z, DZ_IN_Y, ALL_THREE, DZ_IS_Z_Y_INSIDE -> other;
                            case DZ_IN_Z -> -1;
                        };
                        int offDz = switch (sharing) {
                            case Y_IN_Z -> -1;
                            case DZ_IN_Z, DZ_IN_Y -> other;
                            case ALL_THREE -> 1 + 2 * shift;
                            case DZ_IS_Z_Y_INSIDE -> offZ;
                        };
                        int ldy = ld2;
                        int lddz = sharing == Sharing.DZ_IS_Z_Y_INSIDE ? ld : ld2;
                        String what = String.format("%s(%d, %d, z at %d ld %d, y %s, dz %s)", name, rows, cols,
                                offZ, ld, offY < 0 ? "apart" : "at " + offY + " ld " + ldy,
                                offDz < 0 ? "apart" : "at " + offDz + " ld " + lddz);
                        // Operands not in the shared array get their own, filled alike; Y is a valid
                        // target (in [0, 1]) only by chance, which the kernels do not require.
                        check("s" + what, ulps, (b, x) -> {
                            float[] y = offY < 0 ? new float[LENGTH] : x;
                            float[] dz = offDz < 0 ? new float[LENGTH] : x;
                            return sLoss.run(b, rows, cols, x, offZ, ld, y, Math.max(offY, 0), ldy,
                                    dz, Math.max(offDz, 0), lddz);
                        });
                        check("d" + what, (b, x) -> {
                            double[] y = offY < 0 ? new double[LENGTH] : x;
                            double[] dz = offDz < 0 ? new double[LENGTH] : x;
                            return dLoss.run(b, rows, cols, x, offZ, ld, y, Math.max(offY, 0), ldy,
                                    dz, Math.max(offDz, 0), lddz);
                        });
                    }
                }
            }
        }
    }

    @Test
    void softmaxCrossEntropyWithSharedOperands() {
        lossCases("softmaxCrossEntropy", 1, Backend::ssoftmaxCrossEntropy, Backend::dsoftmaxCrossEntropy);
    }

    @Test
    void sigmoidBinaryCrossEntropyWithSharedOperands() {
        lossCases("sigmoidBinaryCrossEntropy", 1, Backend::ssigmoidBinaryCrossEntropy,
                Backend::dsigmoidBinaryCrossEntropy);
    }

    @Test
    void meanSquaredErrorWithSharedOperands() {
        lossCases("meanSquaredError", 0, Backend::smeanSquaredError, Backend::dmeanSquaredError);
    }

    @Test
    void vectorOperationsAndStepsWithSharedOperands() {
        for (int n : new int[] {1, 7, 40}) {
            for (int shift : SHIFTS) {
                int o1 = 1;
                int o2 = 1 + shift;
                int o3 = 1 + 2 * shift;
                String at = String.format("(n %d, at %d, %d, %d)", n, o1, o2, o3);
                check("saxpy" + at, 0, (b, x) -> {
                    b.saxpy(n, 0.75f, x, o1, x, o2);
                    return 0;
                });
                check("daxpy" + at, (b, x) -> {
                    b.daxpy(n, 0.75, x, o1, x, o2);
                    return 0;
                });
                check("ssgdStep" + at, 0, (b, x) -> {
                    b.ssgdStep(n, 0.1f, x, o1, x, o2);
                    return 0;
                });
                check("dsgdStep" + at, (b, x) -> {
                    b.dsgdStep(n, 0.1, x, o1, x, o2);
                    return 0;
                });
                for (boolean nesterov : new boolean[] {false, true}) {
                    check("smomentumStep" + nesterov + at, 0, (b, x) -> {
                        b.smomentumStep(n, 0.1f, 0.9f, nesterov, x, o1, x, o2, x, o3);
                        return 0;
                    });
                    check("dmomentumStep" + nesterov + at, (b, x) -> {
                        b.dmomentumStep(n, 0.1, 0.9, nesterov, x, o1, x, o2, x, o3);
                        return 0;
                    });
                }
                // Adam and RMSProp: the squared-gradient state must be >= 0, so it gets its own array.
                check("sadamStep" + at, 0, (b, x) -> {
                    float[] v = new float[LENGTH];
                    b.sadamStep(n, 0.01f, 0.9f, 0.999f, 1e-8f, 3, x, o1, x, o2, x, o3, v, 0);
                    return 0;
                });
                check("dadamStep" + at, (b, x) -> {
                    double[] v = new double[LENGTH];
                    b.dadamStep(n, 0.01, 0.9, 0.999, 1e-8, 3, x, o1, x, o2, x, o3, v, 0);
                    return 0;
                });
                check("srmspropStep" + at, 0, (b, x) -> {
                    float[] s = new float[LENGTH];
                    b.srmspropStep(n, 0.01f, 0.9f, 1e-8f, x, o1, x, o2, s, 0);
                    return 0;
                });
                check("drmspropStep" + at, (b, x) -> {
                    double[] s = new double[LENGTH];
                    b.drmspropStep(n, 0.01, 0.9, 1e-8, x, o1, x, o2, s, 0);
                    return 0;
                });
            }
        }
    }
}
