package org.backprop4j.cli;

import org.backprop4j.backend.Backend;
import org.backprop4j.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --backend NAME}: shared by every command that computes. */
final class BackendOption {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to compute on: reference, openblas, panama (if on the class path) or auto. "
                    + "Default: -Dbackprop4j.backend, else $BACKPROP4J_BACKEND, else auto (the best available). "
                    + "A named backend that cannot load is an error, never a silent fallback.")
    String name;

    /** The chosen backend; an explicit name fails fast with the backend's reason. */
    Backend resolve() {
        return name == null ? Backends.getDefault() : Backends.named(name);
    }
}
