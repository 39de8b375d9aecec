package org.backprop4j.backend;

/**
 * A backend that was asked for cannot be used: it is unknown, or its probe reported unavailable.
 * The message names the backend and the reason; {@link #getCause()} is the underlying failure, if any.
 */
public class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with its message and the underlying failure, or null if there is none. */
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
