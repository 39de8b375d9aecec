package org.backprop4j.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.backprop4j.backend.Availability;
import org.backprop4j.backend.BackendProvider;
import org.backprop4j.backend.BackendStatus;
import org.backprop4j.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The panama backend in a JVM where the openblas backend has loaded its own OpenBLAS first, under
 * the soname {@code libopenblas.so.0}. A system library that is only a wrapper around
 * {@code libopenblas.so.0}, such as Debian's {@code libblas.so.3} of OpenBLAS, would be bound to
 * that copy instead of its own, and its first GEMM crashed the JVM: it must be refused with the
 * reason and the library to name instead. (Through {@link ServiceLoader}: the panama module is
 * on the class path only on JDK 22+.)
 */
class PanamaBesideOpenBlasTest {

    private static final Path WRAPPER = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3");

    @Test
    void aWrapperOfAnotherOpenBlasIsRefusedWithTheLibraryToNameInstead() {
        Assumptions.assumeTrue(Runtime.version().feature() >= 22, "the panama backend needs JDK 22+");
        Assumptions.assumeTrue(Files.exists(WRAPPER), () -> "no " + WRAPPER + " (Debian's libopenblas0-pthread, x86-64)");
        BackendStatus openblas = Backends.survey().stream().filter(s -> s.name().equals("openblas")).findFirst()
                .orElse(null);
        Assumptions.assumeTrue(openblas != null && openblas.availability().available(),
                "the openblas backend is not available, so its OpenBLAS is not loaded");

        String before = System.getProperty("backprop4j.blas");
        Availability a;
        try {
            System.setProperty("backprop4j.blas", WRAPPER.toString());
            BackendProvider panama = ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                    .filter(p -> p.name().equals("panama")).findFirst().orElse(null);
            Assumptions.assumeTrue(panama != null, "the panama backend is not on the class path");
            a = panama.probe();
        } finally {
            if (before == null) {
                System.clearProperty("backprop4j.blas");
            } else {
                System.setProperty("backprop4j.blas", before);
            }
        }
        assertFalse(a.available(), a::detail);
        String d = a.detail();
        assertTrue(d.startsWith("-Dbackprop4j.blas=" + WRAPPER + ": loaded " + WRAPPER + ", but it is a wrapper"), d);
        assertTrue(d.contains("mixing two OpenBLAS builds crashes"), d);
        assertTrue(d.endsWith("-Dbackprop4j.blas=" + WRAPPER.resolveSibling("libopenblas.so.0")), d);
    }
}
