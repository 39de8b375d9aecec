package org.backprop4j.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.backprop4j.backend.Availability;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.Backends;
import org.backprop4j.backend.BlasThreads;
import org.backprop4j.backend.Transpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenBlasBackendProviderTest {

    private String savedThreads;

    @BeforeEach
    void saveThreadSetting() {
        savedThreads = System.getProperty(OpenBlasBackendProvider.THREADS_PROPERTY);
    }

    /** Restores -Dbackprop4j.threads and the library's thread count for the tests that follow. */
    @AfterEach
    void restoreThreadSetting() {
        if (savedThreads == null) {
            System.clearProperty(OpenBlasBackendProvider.THREADS_PROPERTY);
        } else {
            System.setProperty(OpenBlasBackendProvider.THREADS_PROPERTY, savedThreads);
        }
        new OpenBlasBackendProvider().create();
    }

    @Test
    void loadsOnThisPlatformAndNamesTheLibrary() {
        Availability a = new OpenBlasBackendProvider().probe();
        assertTrue(a.available(), () -> "openblas should load on the build platform: " + a.detail());
        assertTrue(a.detail().contains("OpenBLAS 0.3.31"), a.detail());
        assertTrue(a.detail().contains("core "), a.detail());
        Backend b = Backends.named("openblas");
        assertEquals("openblas", b.name());
        assertEquals("openblas", Backends.named("auto").name(), "auto prefers openblas over reference");
    }

    @Test
    void aLibraryThatCannotLoadMakesTheBackendUnavailableWithTheCause() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no jniOpenBlasKernels in java.library.path");
        OpenBlasBackendProvider p = new OpenBlasBackendProvider(() -> {
            throw cause;
        });
        Availability a = p.probe();
        assertFalse(a.available());
        assertSame(cause, a.cause());
        assertTrue(a.detail().contains("cannot load the native libraries") && a.detail().contains("jniOpenBlasKernels"),
                a.detail());
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, p::create);
        assertSame(cause, e.getCause());
    }

    /** What doctor lists (the probe) is the backend create() makes, not the library's defaults before it. */
    @Test
    void theAvailabilityDescribesTheConfiguredThreadCount() {
        new OpenBlasBackendProvider().create(); // the library now runs the default count
        System.setProperty(OpenBlasBackendProvider.THREADS_PROPERTY, "3");
        OpenBlasBackendProvider p = new OpenBlasBackendProvider();
        String probed = p.probe().detail();
        assertTrue(probed.contains(", 3 threads for GEMMs of >= "), probed);
        assertEquals(probed, p.create().details());
        System.setProperty(OpenBlasBackendProvider.THREADS_PROPERTY, "1");
        String one = new OpenBlasBackendProvider().probe().detail();
        assertTrue(one.contains(", 1 thread for GEMMs of >= "), one);
    }

    @Test
    void theThreadPropertySetsOpenBlasThreads() {
        System.setProperty(OpenBlasBackendProvider.THREADS_PROPERTY, "1");
        OpenBlasBackend b = (OpenBlasBackend) new OpenBlasBackendProvider().create();
        assertEquals(1, b.threads());
        System.setProperty(OpenBlasBackendProvider.THREADS_PROPERTY, "two");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, BlasThreads::configured);
        assertTrue(e.getMessage().contains("-Dbackprop4j.threads=two"), e::getMessage);
    }

    @Test
    void outOfBoundsArgumentsAreExceptionsNotCrashes() {
        Backend b = Backends.named("openblas");
        float[] a = new float[6];
        float[] x = new float[6];
        float[] c = new float[3];
        assertThrows(IndexOutOfBoundsException.class,
                () -> b.sgemm(Transpose.NO_TRANS, Transpose.NO_TRANS, 2, 2, 3, 1f, a, 0, 3, x, 0, 2, 0f, c, 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> b.sgemm(Transpose.NO_TRANS, Transpose.NO_TRANS, 1, 1, 3, 1f, a, 4, 3, x, 0, 1, 0f, c, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> b.sgemm(Transpose.NO_TRANS, Transpose.NO_TRANS, 2, 2, 3, 1f, a, 0, 2, x, 0, 2, 0f, c, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> b.saxpy(7, 1f, a, 0, x, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> b.ssgdStep(2, 1f, a, 5, x, 0));
        assertThrows(NullPointerException.class, () -> b.sscal(2, 1f, null, 0));
        float[][] big = {new float[4]};
        assertThrows(IndexOutOfBoundsException.class,
                () -> b.sbiasActivation(org.backprop4j.nn.Activation.RELU, 70_000, 70_000, big[0], 0, 70_000, big[0], 0));
    }
}
