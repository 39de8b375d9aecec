package org.backprop4j.crosscheck;

import java.util.List;
import org.backprop4j.backend.Backend;

/**
 * The backends a {@link CrossCheck} run compares with the reference, and the ones it cannot
 * (with the reason), from {@link CrossCheck#select}.
 *
 * @param backends    the backends to check
 * @param unavailable backends found on the class path that cannot run here; listed, not failures
 */
public record Selection(List<Backend> backends, List<Selection.Unavailable> unavailable) {

    /** Makes unmodifiable copies of the lists. */
    public Selection {
        backends = List.copyOf(backends);
        unavailable = List.copyOf(unavailable);
    }

    /**
     * A backend that cannot run here.
     *
     * @param name   its name
     * @param reason why, from its provider's probe
     */
    public record Unavailable(String name, String reason) {
    }
}
