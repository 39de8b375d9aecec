package org.backprop4j.panama;

import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.backprop4j.backend.Availability;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendProvider;
import org.backprop4j.backend.BackendUnavailableException;
import org.backprop4j.backend.BlasThreads;

/**
 * Provides the {@code panama} backend: a system CBLAS through the Foreign Function and Memory API
 * (JDK 22+). The probe finds and loads the library:
 * <ul>
 * <li>{@value #BLAS_PROPERTY}{@code =NAME|PATH} names it: a name goes through the dynamic
 *     loader's search path ({@code libopenblas.so.0}), a path is loaded as it is; {@code openblas},
 *     {@code blis} or {@code blas} (also {@code cblas}) searches for that family alone, where the
 *     default search would;</li>
 * <li>otherwise OpenBLAS, then BLIS, then any library by the generic CBLAS and BLAS names
 *     ({@link BlasLibrary#defaultCandidates()}); the first that exports {@code cblas_sgemm} and
 *     {@code cblas_dgemm} wins.</li>
 * </ul>
 * If none can be used, the backend is unavailable and says what it tried and why each failed.
 *
 * <p>Sigmoid, tanh and softmax run on the Vector API when the JVM has {@code jdk.incubator.vector}
 * ({@code --add-modules jdk.incubator.vector}), unless {@code -Dbackprop4j.vector=false}
 * ({@link PanamaBackend#vectorUnusable()}).
 *
 * <p>Threads: {@value #THREADS_PROPERTY} sets the library's thread count where it has a setting
 * for it (OpenBLAS, BLIS); the default is one fewer than the available processors, at least one
 * ({@link BlasThreads}).
 *
 * <p>This class alone is compiled for Java 17 (the rest of the module needs 22), so that a jar
 * built on a newer JDK, such as the CLI's, still loads on JDK 17: there the backend reports itself
 * unavailable instead of breaking the {@link java.util.ServiceLoader} that lists the backends.
 * It touches the other classes only once it knows the JDK is new enough.
 */
public final class PanamaBackendProvider implements BackendProvider {

    /** The backend's name. */
    public static final String NAME = "panama";
    /** System property naming the CBLAS library, by name or path. */
    public static final String BLAS_PROPERTY = "backprop4j.blas";
    /** System property with the BLAS thread count ({@link BlasThreads#PROPERTY}). */
    public static final String THREADS_PROPERTY = BlasThreads.PROPERTY;

    private final String blas;
    private Availability availability;
    private BlasLibrary library;

    /** The provider {@link java.util.ServiceLoader} creates: the library from {@value #BLAS_PROPERTY}, else the default search. */
    public PanamaBackendProvider() {
        this(System.getProperty(BLAS_PROPERTY));
    }

    /**
     * A provider for a given library setting instead of {@value #BLAS_PROPERTY}, so that tests of
     * the lookup do not depend on, or change, a global property.
     *
     * @param blas a library name or path, or null or blank for the default search
     */
    PanamaBackendProvider(String blas) {
        this.blas = blas;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
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
            throw new BackendUnavailableException("backend 'panama' is not available: " + a.detail(), a.cause());
        }
        BlasLibrary lib;
        synchronized (this) {
            lib = library;
        }
        lib.setThreads(BlasThreads.configured());
        String vectorUnusable = PanamaBackend.vectorUnusable();
        return new PanamaBackend(lib, lib.describe() + ", " + PanamaBackend.kernels(vectorUnusable), vectorUnusable == null);
    }

    private Availability load() {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            return Availability.unavailable("needs JDK 22 or later (the Foreign Function and Memory API); this is JDK "
                    + feature, null);
        }
        try {
            BlasThreads.configured(); // a malformed setting is a configuration error, reported here
            PanamaBackend.vectorUnusable();
            letOpenBlasBackendLoadFirst();
            BlasLibrary.Lookup found = BlasLibrary.find(blas);
            if (found.library() == null) {
                return Availability.unavailable(found.reason(), found.cause());
            }
            library = found.library();
            // The thread count create() will set, where the library has a setting for it.
            return Availability.available(library.describe(library.hasThreadControl() ? BlasThreads.configured() : library.threads())
                    + ", " + PanamaBackend.kernels(PanamaBackend.vectorUnusable()));
        } catch (Throwable t) {
            // A bad setting, or a JVM that refuses native access: unavailable, the JVM lives on.
            return Availability.unavailable(t instanceof IllegalArgumentException ? t.getMessage()
                    : "cannot use a system CBLAS: " + t, t);
        }
    }

    /**
     * Probes the openblas backend, if it is on the class path, before any library of ours is loaded.
     * Its kernel library finds the OpenBLAS it was built with by soname ({@code libopenblas.so.0}),
     * and the dynamic loader resolves a soname to the first library loaded under it: had a system
     * OpenBLAS been loaded first, the kernel library would bind to that one instead, and the JVM
     * would die ("symbol lookup error") on the first function the system copy lacks, e.g.
     * {@code openblas_set_num_threads_local} in OpenBLAS 0.3.21. Loaded the other way round, each
     * library keeps its own OpenBLAS (the system one is loaded by path, see {@link BlasLibrary}).
     */
    private static void letOpenBlasBackendLoadFirst() {
        var providers = ServiceLoader.load(BackendProvider.class, PanamaBackendProvider.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    return;
                }
                BackendProvider p = providers.next();
                if (p.name().equals("openblas")) {
                    p.probe(); // never throws; whether it is available is its own business
                    return;
                }
            } catch (ServiceConfigurationError | LinkageError e) {
                // a provider that cannot even be instantiated loads nothing either
            }
        }
    }
}
