package org.backprop4j.backend;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds backends and chooses one.
 *
 * <p>The choice comes from the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENVIRONMENT}, else {@code auto}. {@code auto} takes the available provider with the
 * highest priority and logs one line naming it, plus one line per better provider it skipped and
 * why. A backend asked for by name that cannot load fails with {@link BackendUnavailableException};
 * it never silently becomes another.
 */
public final class Backends {

    /** System property that names the backend: {@code auto}, {@code reference}, {@code openblas}, ... */
    public static final String PROPERTY = "backprop4j.backend";
    /** Environment variable read when {@value #PROPERTY} is not set. */
    public static final String ENVIRONMENT = "BACKPROP4J_BACKEND";
    /** The name that picks the best available backend. */
    public static final String AUTO = "auto";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private static volatile Backend defaultBackend;

    private Backends() {
    }

    /**
     * The backend configured for this JVM ({@value #PROPERTY}, {@value #ENVIRONMENT}, or
     * {@code auto}), created once and then shared.
     *
     * @throws BackendUnavailableException if the configured backend is unknown or cannot load
     * @throws IllegalArgumentException if {@value BlasThreads#PROPERTY} is not a thread count
     */
    public static Backend getDefault() {
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                b = defaultBackend;
                if (b == null) {
                    b = named(configuredName());
                    defaultBackend = b;
                }
            }
        }
        return b;
    }

    /** The name set by {@value #PROPERTY} or {@value #ENVIRONMENT}, or {@code auto}. */
    public static String configuredName() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(ENVIRONMENT);
        }
        return name == null || name.isBlank() ? AUTO : name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A new backend by name, or the best available one for {@code "auto"}.
     *
     * @throws BackendUnavailableException naming the backends that exist if {@code name} is
     *         unknown, or carrying the probe's reason and cause if it is unavailable
     * @throws IllegalArgumentException if {@value BlasThreads#PROPERTY} is set but is not a thread
     *         count: a configuration error, never a reason to fall back to a slower backend
     */
    public static Backend named(String name) {
        BlasThreads.configured();
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        List<BackendProvider> providers = providers();
        if (wanted.equals(AUTO)) {
            return best(providers);
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(wanted)) {
                Availability a = probe(p);
                if (!a.available()) {
                    throw new BackendUnavailableException("backend '" + wanted + "' is not available: "
                            + a.detail(), a.cause());
                }
                return p.create();
            }
        }
        throw new BackendUnavailableException("unknown backend '" + name + "': known backends are "
                + providers.stream().map(BackendProvider::name).collect(Collectors.joining(", "))
                + " (or auto); a backend's module must be on the class path to be found", null);
    }

    /** Every provider on the class path with its probe result, best first. */
    public static List<BackendStatus> survey() {
        List<BackendStatus> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            out.add(new BackendStatus(p.name(), p.priority(), probe(p)));
        }
        return out;
    }

    /** Every available backend, best first; for tests and comparisons across backends. */
    public static List<Backend> allAvailable() {
        List<Backend> out = new ArrayList<>();
        for (BackendProvider p : providers()) {
            if (probe(p).available()) {
                out.add(p.create());
            }
        }
        return out;
    }

    private static Backend best(List<BackendProvider> providers) {
        List<String> skipped = new ArrayList<>();
        for (BackendProvider p : providers) {
            Availability a = probe(p);
            if (a.available()) {
                Backend b = p.create();
                for (String s : skipped) {
                    LOG.log(Level.INFO, s);
                }
                LOG.log(Level.INFO, "backprop4j: using backend " + b.name() + " (" + b.details() + ")");
                return b;
            }
            skipped.add("backprop4j: skipped backend " + p.name() + ": " + a.detail());
        }
        throw new BackendUnavailableException("no backend is available: " + String.join("; ", skipped), null);
    }

    private static Availability probe(BackendProvider p) {
        try {
            return p.probe();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("probe failed: " + e, e);
        }
    }

    private static List<BackendProvider> providers() {
        List<BackendProvider> out = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader());
        var it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError e) {
                LOG.log(Level.WARNING, "backprop4j: a backend provider could not be loaded: " + e.getMessage());
            }
        }
        out.sort(Comparator.comparingInt(BackendProvider::priority).reversed().thenComparing(BackendProvider::name));
        return out;
    }
}
