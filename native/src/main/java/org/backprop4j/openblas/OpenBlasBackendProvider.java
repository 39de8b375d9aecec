package org.backprop4j.openblas;

import org.backprop4j.backend.Availability;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendProvider;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.BlasThreads;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Provides the {@code openblas} backend. The probe loads the preset's OpenBLAS first and then our
 * kernel library, whose {@code libopenblas.so.0} dependency the dynamic loader then resolves to the
 * copy already loaded. Any failure (an unsupported platform, a library that was not built) makes
 * the backend unavailable with that failure as the cause.
 *
 * <p>Threads: {@value #THREADS_PROPERTY} sets how many threads OpenBLAS uses for GEMM; the default
 * is one fewer than the available processors (at least one), see {@link BlasThreads}.
 */
public final class OpenBlasBackendProvider implements BackendProvider {

    /** The backend's name. */
    public static final String NAME = "openblas";
    /** System property with the OpenBLAS thread count ({@link BlasThreads#PROPERTY}). */
    public static final String THREADS_PROPERTY = BlasThreads.PROPERTY;
    /** System property: GEMMs with fewer multiply-adds (m·n·k) than this run on one thread. */
    public static final String PARALLEL_MIN_PROPERTY = "backprop4j.parallelGemmMin";
    /** Default of {@value #PARALLEL_MIN_PROPERTY}, chosen by measurement (see the README). */
    public static final long DEFAULT_PARALLEL_MIN = 1L << 22;

    private final Runnable loader;
    private Availability availability;

    /** The provider {@link java.util.ServiceLoader} creates: loads the preset's OpenBLAS, then our kernels. */
    public OpenBlasBackendProvider() {
        this(() -> {
            Loader.load(openblas_nolapack.class);
            Loader.load(OpenBlasKernels.class);
        });
    }

    /** A provider with another way of loading the libraries, for tests of the failure paths. */
    OpenBlasBackendProvider(Runnable loader) {
        this.loader = loader;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public synchronized Availability probe() {
        if (availability == null) {
            availability = load();
        }
        return availability;
    }

    @Override
    public Backend create() {
        Availability a = probe();
        if (!a.available()) {
            throw new BackendUnavailableException("backend 'openblas' is not available: " + a.detail(), a.cause());
        }
        int threads = BlasThreads.configured();
        long parallelMin = parallelMin();
        OpenBlasKernels.setThreads(threads);
        OpenBlasKernels.setParallelMin(parallelMin);
        return new OpenBlasBackend(describe(threads, parallelMin));
    }

    private Availability load() {
        try {
            loader.run();
            // A malformed setting is a configuration error, reported here; the description is of the
            // backend create() will make, not of the library's own defaults.
            return Availability.available(describe(BlasThreads.configured(), parallelMin()));
        } catch (IllegalArgumentException e) {
            return Availability.unavailable(e.getMessage(), e); // a bad setting, in its own words
        } catch (Throwable t) {
            // UnsatisfiedLinkError or a missing class: the backend is unavailable, the JVM lives on.
            return Availability.unavailable("cannot load the native libraries for platform " + Loader.getPlatform()
                    + ": " + t, t);
        }
    }

    static long parallelMin() {
        String value = System.getProperty(PARALLEL_MIN_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_PARALLEL_MIN;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("-D" + PARALLEL_MIN_PROPERTY + "=" + value
                + " is not a multiply-add count: use a whole number >= 0 (0: OpenBLAS decides)");
    }

    private static String describe(int threads, long min) {
        String config = OpenBlasKernels.openblasConfig().trim();
        String core = OpenBlasKernels.openblasCorename().trim();
        return config + ", core " + core + ", " + threads + (threads == 1 ? " thread" : " threads")
                + (min > 0 ? " for GEMMs of >= " + min + " multiply-adds" : "") + ", kernels " + OpenBlasKernels.kernelIsa();
    }
}
