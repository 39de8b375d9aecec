package org.backprop4j.backend;

import java.util.Optional;

/**
 * The answer of {@link BackendProvider#probe()}: available with a one-line detail (library, version,
 * threads), or unavailable with the reason and, where there is one, the exception that caused it.
 *
 * @param available whether {@link BackendProvider#create()} will succeed
 * @param detail    a one-line description when available, the reason when not
 * @param cause     the underlying failure when unavailable (for example an {@link UnsatisfiedLinkError}), or null
 */
public record Availability(boolean available, String detail, Throwable cause) {

    /** Available; {@code detail} names what was found. */
    public static Availability available(String detail) {
        return new Availability(true, detail, null);
    }

    /** Unavailable for {@code reason}, with the exception that showed it (may be null). */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, reason, cause);
    }

    /** The cause, if any. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(cause);
    }
}
