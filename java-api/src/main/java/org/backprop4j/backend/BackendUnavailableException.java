package org.backprop4j.backend;

/**
 * A backend that was asked for cannot be used: it is unknown, or its probe reported unavailable.
 * The message names the backend and the reason; {@link #getCause()} is the underlying failure, if any.
 */
public class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
