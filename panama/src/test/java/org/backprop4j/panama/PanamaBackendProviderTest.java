package org.backprop4j.panama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.backprop4j.backend.Availability;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;
import org.backprop4j.backend.BlasThreads;
import org.backprop4j.backend.Transpose;
import org.backprop4j.backend.reference.ReferenceBackend;
import org.backprop4j.crosscheck.ErrorBounds;
import org.backprop4j.nn.Activation;
import org.backprop4j.nn.DType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finding the library, and one smoke test of the backend. Every kernel is cross-checked against the
 * reference by the tests module; this module's tests only need the provider and a BLAS.
 */
class PanamaBackendProviderTest {

    private static final String MISSING_NAME = "libbackprop4j-no-such-blas.so.9";
    private static final String MISSING_PATH = "/no/such/dir/libcblas.so.3";

    @Test
    void aLibraryThatCannotBeFoundMakesTheBackendUnavailableWithTheReason() {
        PanamaBackendProvider p = new PanamaBackendProvider(MISSING_NAME);
        Availability a = p.probe();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("-Dbackprop4j.blas=" + MISSING_NAME + ": "), a.detail());
        // glibc's own words, through dlerror.
        assertTrue(a.detail().contains("cannot open shared object file"), a.detail());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, p::create);
        assertTrue(e.getMessage().contains(a.detail()), e::getMessage);
    }

    @Test
    void theSearchListsEveryCandidateAndWhyItFailed() {
        BlasLibrary.Lookup l = BlasLibrary.search(List.of(MISSING_NAME, MISSING_PATH, "libm.so.6"));
        assertEquals(null, l.library());
        String r = l.reason();
        assertTrue(r.startsWith("no CBLAS library found"), r);
        assertTrue(r.contains(MISSING_NAME + ": ") && r.contains("cannot open shared object file"), r);
        assertTrue(r.contains("libm.so.6: loaded ") && r.contains("has no symbol cblas_sgemm"), r);
        assertTrue(r.contains("no such file: " + MISSING_PATH), r);
    }

    @Test
    void theDefaultSearchTriesOpenBlasThenBlisThenTheGenericNames() {
        List<String> c = BlasLibrary.defaultCandidates();
        assertTrue(c.indexOf("libopenblas.so.0") < c.indexOf("libblis.so.4"), c::toString);
        assertTrue(c.indexOf("libblis.so.4") < c.indexOf("libcblas.so.3"), c::toString);
        assertTrue(c.indexOf("libcblas.so.3") < c.indexOf("libblas.so"), c::toString);
        assertTrue(c.contains("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0")
                || !System.getProperty("os.arch").equals("amd64"), c::toString);
    }

    @Test
    void aFamilyNameSearchesThatFamilyAlone() {
        assertEquals(BlasLibrary.Family.BLIS, BlasLibrary.Family.named("BLIS"));
        assertEquals(BlasLibrary.Family.BLAS, BlasLibrary.Family.named("cblas"));
        assertEquals(null, BlasLibrary.Family.named("libblis.so.4"));
        List<String> blis = BlasLibrary.Family.BLIS.candidates();
        assertTrue(blis.contains("libblis.so.4") && blis.stream().noneMatch(c -> c.contains("openblas")), blis::toString);
        assertEquals(BlasLibrary.defaultCandidates().size(), java.util.Arrays.stream(BlasLibrary.Family.values())
                .mapToInt(f -> f.candidates().size()).sum());

        Availability a = new PanamaBackendProvider("blis").probe();
        if (a.available()) {
            assertTrue(a.detail().startsWith("BLIS "), a.detail());
        } else {
            assertTrue(a.detail().startsWith("-Dbackprop4j.blas=blis: no BLIS library found; tried libblis.so.4: "),
                    a.detail());
        }
    }

    @Test
    void doctorShowsTheThreadCountTheBackendWillSet() {
        // BLIS reports -1 threads until they are set: the probe must not print that.
        for (String setting : new String[] {null, "blis"}) {
            BlasLibrary.Lookup l = BlasLibrary.find(setting);
            if (l.library() == null || !l.library().hasThreadControl()) {
                continue;
            }
            int n = BlasThreads.configured();
            String detail = new PanamaBackendProvider(setting).probe().detail();
            assertTrue(detail.contains(n == 1 ? ", 1 thread," : ", " + n + " threads,"), detail);
        }
    }

    /**
     * Every family of the default search that is installed, on its own: GEMM against the
     * reference in all four transpose pairs at offsets, and the thread setting where there is one.
     * CI installs OpenBLAS, BLIS and the reference BLAS (.ci/run); each absent one is skipped.
     */
    @ParameterizedTest
    @EnumSource(BlasLibrary.Family.class)
    void eachInstalledLibraryComputesTheReferenceGemm(BlasLibrary.Family family) {
        BlasLibrary.Lookup l = BlasLibrary.find(family.name().toLowerCase(java.util.Locale.ROOT));
        Assumptions.assumeTrue(l.library() != null, () -> family.title + " is not installed: " + l.reason());
        BlasLibrary lib = l.library();
        PanamaBackend b = new PanamaBackend(lib, lib.describe(), false);
        if (lib.hasThreadControl()) {
            int before = lib.threads();
            lib.setThreads(1);
            assertEquals(1, lib.threads(), lib::describe);
            if (before > 0) {
                lib.setThreads(before);
            }
        }
        ReferenceBackend ref = new ReferenceBackend();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                int m = 37;
                int n = 29;
                int k = 53;
                int lda = (ta.isTransposed() ? m : k) + 3;
                int ldb = (tb.isTransposed() ? k : n) + 1;
                int ldc = n + 2;
                double[] a = rng.doubles(5 + (long) lda * (ta.isTransposed() ? k : m), -1, 1).toArray();
                double[] bb = rng.doubles(2 + (long) ldb * (tb.isTransposed() ? n : k), -1, 1).toArray();
                double[] c = rng.doubles(1 + (long) ldc * m, -1, 1).toArray();
                double[] bound = ErrorBounds.gemm(DType.FLOAT64, ta, tb, m, n, k, 0.5, a, 5, lda, bb, 2, ldb,
                        -1.5, c, 1, ldc);
                double[] expected = c.clone();
                ref.dgemm(ta, tb, m, n, k, 0.5, a, 5, lda, bb, 2, ldb, -1.5, expected, 1, ldc);
                double[] actual = c.clone();
                b.dgemm(ta, tb, m, n, k, 0.5, a, 5, lda, bb, 2, ldb, -1.5, actual, 1, ldc);
                assertWithin(family + " dgemm " + ta + " " + tb, m, n, ldc, actual, expected, bound);

                float[] af = toFloat(a);
                float[] bf = toFloat(bb);
                float[] cf = toFloat(c);
                double[] boundF = ErrorBounds.gemm(DType.FLOAT32, ta, tb, m, n, k, 0.5, toDouble(af), 5, lda,
                        toDouble(bf), 2, ldb, -1.5, toDouble(cf), 1, ldc);
                float[] expectedF = cf.clone();
                ref.sgemm(ta, tb, m, n, k, 0.5f, af, 5, lda, bf, 2, ldb, -1.5f, expectedF, 1, ldc);
                float[] actualF = cf.clone();
                b.sgemm(ta, tb, m, n, k, 0.5f, af, 5, lda, bf, 2, ldb, -1.5f, actualF, 1, ldc);
                assertWithin(family + " sgemm " + ta + " " + tb, m, n, ldc, toDouble(actualF), toDouble(expectedF), boundF);
            }
        }
    }

    /** C (m, n) at offset 1 with leading dimension ldc within its bounds, and nothing else changed. */
    private static void assertWithin(String what, int m, int n, int ldc, double[] actual, double[] expected,
                                     double[] bound) {
        double[] act = new double[m * n];
        double[] exp = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                act[i * n + j] = actual[1 + i * ldc + j];
                exp[i * n + j] = expected[1 + i * ldc + j];
            }
        }
        ErrorBounds.Result r = ErrorBounds.check(act, exp, bound);
        assertTrue(r.passed(), () -> what + ": " + r);
        for (int i = 0; i < actual.length; i++) {
            int row = (i - 1) / ldc;
            int col = (i - 1) % ldc;
            if (i < 1 || row >= m || col >= n) {
                assertEquals(expected[i], actual[i], what + ": element " + i + " outside C changed");
            }
        }
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
    void anExplicitPathThatDoesNotExistIsAClearError() {
        Availability a = new PanamaBackendProvider(MISSING_PATH).probe();
        assertFalse(a.available());
        assertEquals("-Dbackprop4j.blas=" + MISSING_PATH + ": no such file", a.detail());
    }

    @Test
    void aLibraryWithoutCblasNamesTheMissingSymbol() {
        Availability a = new PanamaBackendProvider("libm.so.6").probe();
        assertFalse(a.available());
        assertTrue(a.detail().startsWith("-Dbackprop4j.blas=libm.so.6: loaded "), a.detail());
        assertTrue(a.detail().contains("has no symbol cblas_sgemm"), a.detail());
    }

    @Test
    void theProviderLoadsOnJava17() throws java.io.IOException {
        // A jar built on JDK 22+ (the CLI's) must still list its backends on JDK 17.
        try (java.io.InputStream in = PanamaBackendProvider.class.getResourceAsStream("PanamaBackendProvider.class")) {
            byte[] header = in.readNBytes(8);
            int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            assertEquals(61, major, "class file version of PanamaBackendProvider (61 is Java 17)");
        }
    }

    /** The system CBLAS that CI installs; skipped, with the reason, where there is none. */
    private static PanamaBackend backend() {
        PanamaBackendProvider p = new PanamaBackendProvider(null);
        Availability a = p.probe();
        Assumptions.assumeTrue(a.available(), () -> "no system CBLAS: " + a.detail());
        return (PanamaBackend) p.create();
    }

    @Test
    void smoke() {
        PanamaBackend b = backend();
        assertEquals("panama", b.name());
        assertTrue(b.details().contains(" from /"), b::details); // where the library was found
        assertTrue(Backends.survey().stream().anyMatch(s -> s.name().equals("panama") && s.priority() == 200));

        // C = A · Bᵀ with A at offset 1, B at offset 2; C's padding (ldc 3) and tail must not change.
        float[] a = {9, 1, 2, 3, 4, 5, 6};              // A (2x3) = [1 2 3; 4 5 6]
        float[] bt = {9, 9, 1, 0, 1, 0, 1, 0, 2, 2, 2}; // B (3x3) stored (n, k) = [1 0 1; 0 1 0; 2 2 2]
        float[] c = {Float.NaN, Float.NaN, Float.NaN, 7, Float.NaN, Float.NaN, Float.NaN, 7};
        b.sgemm(Transpose.NO_TRANS, Transpose.TRANS, 2, 3, 3, 1f, a, 1, 3, bt, 2, 3, 0f, c, 0, 4);
        assertArrayEquals(new float[] {4, 2, 12, 7, 10, 5, 30, 7}, c); // beta = 0 overwrote the NaNs

        double[] cd = {1, 2, 3, 4};
        b.dgemm(Transpose.NO_TRANS, Transpose.NO_TRANS, 2, 2, 0, 1, null, 0, 1, null, 0, 2, 0.5, cd, 0, 2);
        assertArrayEquals(new double[] {0.5, 1, 1.5, 2}, cd); // k = 0: C = beta C, A and B never read
        b.dgemm(Transpose.TRANS, Transpose.NO_TRANS, 1, 1, 2, 2, new double[] {3, 4}, 0, 1,
                new double[] {5, 6}, 0, 1, 1, cd, 3, 2);
        assertEquals(2 + 2 * (15 + 24), cd[3]);

        // One element-wise kernel against the reference: sigmoid at offsets, float.
        float[] x = {0, -30, -1, 0, 1, 30, 88, -88, Float.NaN};
        float[] bias = {0.5f, 0, 0, 0, 0, 0, 0, 0, 0};
        float[] expected = x.clone();
        new ReferenceBackend().sbiasActivation(Activation.SIGMOID, 1, 8, expected, 1, 8, bias, 1);
        b.sbiasActivation(Activation.SIGMOID, 1, 8, x, 1, 8, bias, 1);
        assertArrayEquals(expected, x);

        assertThrows(IndexOutOfBoundsException.class,
                () -> b.sgemm(Transpose.NO_TRANS, Transpose.NO_TRANS, 2, 2, 3, 1f, a, 2, 3, a, 0, 2, 0f, c, 0, 2));
    }

    @Test
    void theThreadCountCanBeSet() {
        PanamaBackend b = backend();
        Assumptions.assumeTrue(b.threads() > 0, "the library does not report its thread count");
        int before = b.threads();
        try {
            b.setThreads(1);
            assertEquals(1, b.threads());
        } finally {
            b.setThreads(before);
        }
        assertThrows(IllegalArgumentException.class, () -> b.setThreads(0));
    }
}
