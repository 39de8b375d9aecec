package org.backprop4j.backend;

/** A provider whose native library "cannot load": for the selection tests. Registered in test resources only. */
public final class UnavailableTestBackendProvider implements BackendProvider {

    static final UnsatisfiedLinkError CAUSE = new UnsatisfiedLinkError("libfake.so: cannot open shared object file");

    @Override
    public String name() {
        return "unavailable-test";
    }

    @Override
    public int priority() {
        return 1000;
    }

    @Override
    public Availability probe() {
        return Availability.unavailable("libfake.so not found on java.library.path", CAUSE);
    }

    @Override
    public Backend create() {
        throw new AssertionError("create() must not be called on an unavailable provider");
    }
}
