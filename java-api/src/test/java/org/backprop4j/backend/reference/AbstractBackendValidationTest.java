package org.backprop4j.backend.reference;

import static org.backprop4j.backend.Transpose.NO_TRANS;
import static org.backprop4j.backend.Transpose.TRANS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendStatus;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;
import org.backprop4j.nn.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The argument checks of {@code AbstractBackend}, seen through the reference backend, and its
 * discovery through {@link Backends}. Every bad call must fail before a kernel runs, with an
 * exception whose message names the offending parameter.
 */
class AbstractBackendValidationTest {

    private final Backend backend = new ReferenceBackend();

    private static <T extends Throwable> void assertFails(Class<T> type, String messagePart, Executable call) {
        T e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(messagePart),
                "message should contain '" + messagePart + "': " + e.getMessage());
    }

    // 2x3 · 3x2 = 2x2, all operands contiguous: a and b have 6 elements, c has 4.
    private void dgemm(int m, int n, int k, double[] a, int offA, int lda, double[] b, int offB, int ldb,
                       double[] c, int offC, int ldc) {
        backend.dgemm(NO_TRANS, NO_TRANS, m, n, k, 1.0, a, offA, lda, b, offB, ldb, 0.0, c, offC, ldc);
    }

    // ---- Dimensions and leading dimensions --------------------------------------------------

    @Test
    void negativeDimensionsAreIllegalArguments() {
        double[] six = new double[6];
        assertFails(IllegalArgumentException.class, "dgemm: m must be >= 0, got -1",
                () -> dgemm(-1, 2, 3, six, 0, 3, six, 0, 2, six, 0, 2));
        assertFails(IllegalArgumentException.class, "dgemm: n must be >= 0",
                () -> dgemm(2, -1, 3, six, 0, 3, six, 0, 2, six, 0, 2));
        assertFails(IllegalArgumentException.class, "dgemm: k must be >= 0",
                () -> dgemm(2, 2, -1, six, 0, 3, six, 0, 2, six, 0, 2));
        assertFails(IllegalArgumentException.class, "ssoftmax: rows must be >= 0",
                () -> backend.ssoftmax(-2, 3, new float[6], 0, 3));
        assertFails(IllegalArgumentException.class, "dcolumnSums: cols must be >= 0",
                () -> backend.dcolumnSums(2, -3, six, 0, 3, six, 0));
        assertFails(IllegalArgumentException.class, "saxpy: n must be >= 0",
                () -> backend.saxpy(-1, 1f, new float[1], 0, new float[1], 0));
        // A negative dimension is reported even when another one is 0 and there is nothing to do.
        assertFails(IllegalArgumentException.class, "rows must be >= 0",
                () -> backend.dmeanSquaredError(-1, 0, null, 0, 1, null, 0, 1, null, 0, 1));
    }

    @Test
    void leadingDimensionNarrowerThanARowIsIllegal() {
        double[] big = new double[100];
        // NO_TRANS A is (m, k) = (2, 3): a row holds 3.
        assertFails(IllegalArgumentException.class, "lda must be >= max(1, 3)",
                () -> dgemm(2, 2, 3, big, 0, 2, big, 0, 2, big, 0, 2));
        // TRANS A is stored (k, m) = (3, 2): a row holds m = 2, so lda = 2 is fine and 1 is not.
        backend.dgemm(TRANS, NO_TRANS, 2, 2, 3, 1.0, big, 0, 2, big, 0, 2, 0.0, big, 50, 2);
        assertFails(IllegalArgumentException.class, "lda must be >= max(1, 2)",
                () -> backend.dgemm(TRANS, NO_TRANS, 2, 2, 3, 1.0, big, 0, 1, big, 0, 2, 0.0, big, 50, 2));
        assertFails(IllegalArgumentException.class, "ldb",
                () -> backend.dgemm(NO_TRANS, TRANS, 2, 2, 3, 1.0, big, 0, 3, big, 0, 2, 0.0, big, 50, 2));
        assertFails(IllegalArgumentException.class, "ldc",
                () -> dgemm(2, 2, 3, big, 0, 3, big, 0, 2, big, 0, 1));
        assertFails(IllegalArgumentException.class, "ldx",
                () -> backend.dbiasActivation(Activation.RELU, 2, 3, big, 0, 2, big, 0));
        assertFails(IllegalArgumentException.class, "lddx",
                () -> backend.dactivationBackward(Activation.RELU, 2, 3, big, 0, 3, big, 0, 2));
        assertFails(IllegalArgumentException.class, "lddz",
                () -> backend.dsoftmaxCrossEntropy(2, 3, big, 0, 3, big, 0, 3, big, 0, 2));
        // Mean squared error names its own parameters a and da.
        assertFails(IllegalArgumentException.class, "lda must be",
                () -> backend.dmeanSquaredError(2, 3, big, 0, 2, big, 0, 3, null, 0, 0));
        assertFails(IllegalArgumentException.class, "ldda must be",
                () -> backend.dmeanSquaredError(2, 3, big, 0, 3, big, 0, 3, big, 0, 2));
        // Even with zero columns a leading dimension must be at least 1.
        assertFails(IllegalArgumentException.class, "ldx must be >= max(1, 0)",
                () -> backend.dsoftmax(2, 0, big, 0, 0));
    }

    // ---- Indices ----------------------------------------------------------------------------

    @Test
    void lastIndexPastTheEndIsOutOfBounds() {
        double[] six = new double[6];
        double[] four = new double[4];
        // C is (2, 2) with ldc = 2: offC = 1 touches index 1 + 2 + 1 = 4 of a 4-element array.
        assertFails(IndexOutOfBoundsException.class, "dgemm: c would be accessed at index 4 but its length is 4",
                () -> dgemm(2, 2, 3, six, 0, 3, six, 0, 2, four, 1, 2));
        // C one element too short.
        assertFails(IndexOutOfBoundsException.class, "c would be accessed at index 3 but its length is 3",
                () -> dgemm(2, 2, 3, six, 0, 3, six, 0, 2, new double[3], 0, 2));
        assertFails(IndexOutOfBoundsException.class, "a would be accessed at index 6",
                () -> dgemm(2, 2, 3, new double[6], 1, 3, six, 0, 2, four, 0, 2));
        assertFails(IndexOutOfBoundsException.class, "b would be accessed at index 5",
                () -> dgemm(2, 2, 3, six, 0, 3, new double[5], 0, 2, four, 0, 2));
        // A wide ldc counts for every row but the last: (2 - 1) * 5 + 2 - 1 = 6.
        assertFails(IndexOutOfBoundsException.class, "c would be accessed at index 6 but its length is 6",
                () -> dgemm(2, 2, 3, six, 0, 3, six, 0, 2, new double[6], 0, 5));
        assertFails(IndexOutOfBoundsException.class, "bias would be accessed at index 3",
                () -> backend.sbiasActivation(Activation.TANH, 2, 3, new float[6], 0, 3, new float[3], 1));
        assertFails(IndexOutOfBoundsException.class, "y would be accessed",
                () -> backend.dcolumnSums(2, 3, six, 0, 3, new double[2], 0));
        assertFails(IndexOutOfBoundsException.class, "dz would be accessed",
                () -> backend.ssoftmaxCrossEntropy(2, 3, new float[6], 0, 3, new float[6], 0, 3, new float[5], 0, 3));
        assertFails(IndexOutOfBoundsException.class, "da would be accessed",
                () -> backend.smeanSquaredError(2, 3, new float[6], 0, 3, new float[6], 0, 3, new float[6], 1, 3));
        assertFails(IndexOutOfBoundsException.class, "dsgdStep: g would be accessed at index 3 but its length is 3",
                () -> backend.dsgdStep(3, 0.1, new double[3], 0, new double[3], 1));
        assertFails(IndexOutOfBoundsException.class, "v would be accessed",
                () -> backend.sadamStep(3, 0.1f, 0.9f, 0.999f, 1e-8f, 1, new float[3], 0, new float[3], 0,
                        new float[3], 0, new float[2], 0));
    }

    @Test
    void anOperandThatFitsExactlyIsAccepted() {
        double[] c = {9, 9, 9, 9, 9};
        // C at offset 1 ends exactly at index 4, the last element.
        dgemm(2, 2, 3, new double[] {1, 0, 0, 0, 1, 0}, 0, 3, new double[] {1, 2, 3, 4, 5, 6}, 0, 2, c, 1, 2);
        // [1 0 0; 0 1 0] · [1 2; 3 4; 5 6] = [1 2; 3 4]
        assertArrayEquals(new double[] {9, 1, 2, 3, 4}, c);
    }

    @Test
    void negativeOffsetIsOutOfBounds() {
        double[] six = new double[6];
        assertFails(IndexOutOfBoundsException.class, "dgemm: offset of c must be >= 0, got -1",
                () -> dgemm(2, 2, 3, six, 0, 3, six, 0, 2, six, -1, 2));
        assertFails(IndexOutOfBoundsException.class, "offset of a must be >= 0",
                () -> dgemm(2, 2, 3, six, -3, 3, six, 0, 2, six, 0, 2));
        assertFails(IndexOutOfBoundsException.class, "offset of x must be >= 0",
                () -> backend.dscal(2, 2.0, six, -1));
        assertFails(IndexOutOfBoundsException.class, "offset of y must be >= 0",
                () -> backend.dsigmoidBinaryCrossEntropy(1, 2, six, 0, 2, six, -2, 2, null, 0, 0));
    }

    @Test
    void indexOverflowIsCaughtNotWrappedAround() {
        // (70000 - 1) * 40000 = 2,799,960,000 > Integer.MAX_VALUE; in int arithmetic it would wrap
        // to a negative index and slip past a "last < length" check.
        double[] c = new double[70000];
        assertFails(IndexOutOfBoundsException.class, "a would be accessed at index 2799960000",
                () -> backend.dgemm(NO_TRANS, NO_TRANS, 70000, 1, 1, 1.0, new double[10], 0, 40000,
                        new double[1], 0, 1, 0.0, c, 0, 1));
        // (70000 - 1) * 70000 = 4,899,930,000.
        assertFails(IndexOutOfBoundsException.class, "a would be accessed at index 4899930000",
                () -> backend.dgemm(NO_TRANS, NO_TRANS, 70000, 1, 1, 1.0, new double[10], 0, 70000,
                        new double[1], 0, 1, 0.0, c, 0, 1));
        assertFails(IndexOutOfBoundsException.class, "x would be accessed at index 2799960000",
                () -> backend.ssoftmax(70000, 1, new float[10], 0, 40000));
        // offset + n - 1 past Integer.MAX_VALUE.
        assertFails(IndexOutOfBoundsException.class, "y would be accessed at index 2147483647",
                () -> backend.saxpy(2, 1f, new float[2], 0, new float[2], Integer.MAX_VALUE - 1));
    }

    // ---- Nulls and enums --------------------------------------------------------------------

    @Test
    void nullArraysAndEnumsAreNamed() {
        double[] six = new double[6];
        assertFails(NullPointerException.class, "dgemm: c is null",
                () -> dgemm(2, 2, 3, six, 0, 3, six, 0, 2, null, 0, 2));
        assertFails(NullPointerException.class, "dgemm: a is null",
                () -> dgemm(2, 2, 3, null, 0, 3, six, 0, 2, six, 0, 2));
        assertFails(NullPointerException.class, "dgemm: b is null",
                () -> dgemm(2, 2, 3, six, 0, 3, null, 0, 2, six, 0, 2));
        assertFails(NullPointerException.class, "transA is null",
                () -> backend.dgemm(null, NO_TRANS, 2, 2, 3, 1.0, six, 0, 3, six, 0, 2, 0.0, six, 0, 2));
        assertFails(NullPointerException.class, "transB is null",
                () -> backend.sgemm(NO_TRANS, null, 0, 0, 0, 1f, null, 0, 1, null, 0, 1, 0f, null, 0, 1));
        assertFails(NullPointerException.class, "activation is null",
                () -> backend.dbiasActivation(null, 2, 3, six, 0, 3, six, 0));
        assertFails(NullPointerException.class, "bias is null",
                () -> backend.dbiasActivation(Activation.RELU, 2, 3, six, 0, 3, null, 0));
        assertFails(NullPointerException.class, "dx is null",
                () -> backend.sactivationBackward(Activation.SIGMOID, 1, 1, new float[1], 0, 1, null, 0, 1));
        assertFails(NullPointerException.class, "y is null",
                () -> backend.dsoftmaxCrossEntropy(2, 3, six, 0, 3, null, 0, 3, null, 0, 0));
        assertFails(NullPointerException.class, "a is null",
                () -> backend.smeanSquaredError(1, 1, null, 0, 1, new float[1], 0, 1, null, 0, 0));
        assertFails(NullPointerException.class, "x is null",
                () -> backend.daxpy(1, 1.0, null, 0, six, 0));
        assertFails(NullPointerException.class, "s is null",
                () -> backend.srmspropStep(1, 0.1f, 0.9f, 1e-8f, new float[1], 0, new float[1], 0, null, 0));
    }

    @Test
    void softmaxIsNotElementwise() {
        double[] six = new double[6];
        assertFails(IllegalArgumentException.class, "softmax is not element-wise",
                () -> backend.dbiasActivation(Activation.SOFTMAX, 2, 3, six, 0, 3, six, 0));
        assertFails(IllegalArgumentException.class, "softmax is not element-wise",
                () -> backend.sactivationBackward(Activation.SOFTMAX, 2, 3, new float[6], 0, 3, new float[6], 0, 3));
    }

    @Test
    void adamStepMustBeAtLeastOne() {
        double[] one = new double[1];
        assertFails(IllegalArgumentException.class, "dadamStep: step t must be >= 1, got 0",
                () -> backend.dadamStep(1, 0.1, 0.9, 0.999, 1e-8, 0, one, 0, one, 0, one, 0, one, 0));
        assertFails(IllegalArgumentException.class, "sadamStep: step t must be >= 1, got -1",
                () -> backend.sadamStep(1, 0.1f, 0.9f, 0.999f, 1e-8f, -1, new float[1], 0, new float[1], 0,
                        new float[1], 0, new float[1], 0));
    }

    // ---- Nothing to do ----------------------------------------------------------------------

    @Test
    void emptyCallsReturnWithoutLookingAtArrays() {
        // As in BLAS, a call with an empty output never looks at its arrays, so they may be null.
        backend.dgemm(NO_TRANS, NO_TRANS, 0, 2, 3, 1.0, null, 0, 3, null, 0, 2, 0.0, null, 0, 2);
        backend.sgemm(TRANS, TRANS, 2, 0, 3, 1f, null, 0, 2, null, 0, 3, 0f, null, 0, 1);
        backend.dbiasActivation(Activation.RELU, 0, 3, null, 0, 3, null, 0);
        backend.sactivationBackward(Activation.TANH, 2, 0, null, 0, 1, null, 0, 1);
        backend.dsoftmax(0, 0, null, 0, 1);
        backend.scolumnSums(0, 4, null, 0, 4, null, 0);
        assertEquals(0.0, backend.dsoftmaxCrossEntropy(0, 3, null, 0, 3, null, 0, 3, null, 0, 3));
        assertEquals(0.0, backend.ssigmoidBinaryCrossEntropy(2, 0, null, 0, 1, null, 0, 1, null, 0, 1));
        assertEquals(0.0, backend.dmeanSquaredError(0, 0, null, 0, 1, null, 0, 1, null, 0, 1));
        backend.daxpy(0, 1.0, null, 0, null, 0);
        backend.sscal(0, 0f, null, 0);
        backend.dsgdStep(0, 0.1, null, 0, null, 0);
        backend.smomentumStep(0, 0.1f, 0.9f, true, null, 0, null, 0, null, 0);
        backend.dadamStep(0, 0.1, 0.9, 0.999, 1e-8, 1, null, 0, null, 0, null, 0, null, 0);
        backend.srmspropStep(0, 0.1f, 0.9f, 1e-8f, null, 0, null, 0, null, 0);

        // And touches nothing: a C of NaN with n = 0 stays NaN although beta = 0.
        double[] c = {Double.NaN, Double.NaN};
        backend.dgemm(NO_TRANS, NO_TRANS, 2, 0, 3, 1.0, new double[6], 0, 3, new double[0], 0, 1, 0.0, c, 0, 1);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, c);
    }

    @Test
    void gemmWithAlphaZeroOrKZeroIgnoresAAndB() {
        // Documented: A and B are not read, so they are not validated either (BLAS convention).
        double[] c = {1, 2, 3, 4};
        backend.dgemm(NO_TRANS, NO_TRANS, 2, 2, 3, 0.0, null, 0, 3, null, 0, 2, 2.0, c, 0, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, c);
        backend.dgemm(TRANS, TRANS, 2, 2, 0, 1.0, null, 0, 2, null, 0, 1, 0.5, c, 0, 2);
        assertArrayEquals(new double[] {1, 2, 3, 4}, c);
        // C is still checked.
        assertFails(IndexOutOfBoundsException.class, "c would be accessed",
                () -> backend.dgemm(NO_TRANS, NO_TRANS, 2, 2, 3, 0.0, null, 0, 3, null, 0, 2, 2.0, new double[3], 0, 2));
    }

    // ---- Discovery --------------------------------------------------------------------------

    @Test
    void referenceIsFoundByName() {
        assertInstanceOf(ReferenceBackend.class, Backends.named("reference"));
        assertInstanceOf(ReferenceBackend.class, Backends.named(" Reference "));
    }

    @Test
    void unknownNameListsTheKnownBackends() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.named("nope"));
        assertTrue(e.getMessage().contains("unknown backend 'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }

    @Test
    void surveyReportsReferenceAvailable() {
        List<BackendStatus> survey = Backends.survey();
        BackendStatus reference = survey.stream().filter(s -> s.name().equals("reference")).findFirst()
                .orElseThrow(() -> new AssertionError("reference missing from " + survey));
        assertEquals(100, reference.priority());
        assertTrue(reference.availability().available());
        assertEquals("pure Java, always available", reference.availability().detail());
        assertTrue(Backends.allAvailable().stream().anyMatch(b -> b instanceof ReferenceBackend));
    }

    @Test
    void providerDescribesItself() {
        ReferenceBackendProvider provider = new ReferenceBackendProvider();
        assertEquals("reference", provider.name());
        assertEquals(100, provider.priority());
        assertTrue(provider.probe().available());
        assertTrue(provider.probe().failure().isEmpty());
        assertInstanceOf(ReferenceBackend.class, provider.create());
    }
}
