package org.backprop4j.backend;

/**
 * A backend implementation discovered through {@link java.util.ServiceLoader}. A module that adds a
 * backend lists its provider in {@code META-INF/services/org.backprop4j.backend.BackendProvider}.
 *
 * <p>Providers must be cheap to construct: loading native libraries belongs in {@link #probe()}.
 */
public interface BackendProvider {

    /** The name users select it by, lower case, e.g. {@code "openblas"}. */
    String name();

    /**
     * Higher is preferred by {@code auto}: openblas 300, panama 200, reference 100.
     */
    int priority();

    /**
     * Checks whether the backend can run here (native library present, JDK new enough, ...). Never
     * throws: a failure is returned as {@link Availability#unavailable}.
     */
    Availability probe();

    /**
     * Creates the backend. Called only after {@link #probe()} returned available.
     *
     * @throws BackendUnavailableException if it cannot be created after all
     */
    Backend create();
}
