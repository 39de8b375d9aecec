package org.backprop4j.backend.reference;

import org.backprop4j.backend.Availability;
import org.backprop4j.backend.Backend;
import org.backprop4j.backend.BackendProvider;

/** Provides {@link ReferenceBackend}: pure Java, so it is always available and the last resort of {@code auto}. */
public final class ReferenceBackendProvider implements BackendProvider {

    /** Creates the provider; it is registered for {@link java.util.ServiceLoader}. */
    public ReferenceBackendProvider() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Availability probe() {
        return Availability.available("pure Java, always available");
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
