package org.backprop4j.backend;

/**
 * What {@link Backends#survey()} found about one provider.
 *
 * @param name         the provider's name
 * @param priority     its priority; {@code auto} prefers higher
 * @param availability the result of its probe
 */
public record BackendStatus(String name, int priority, Availability availability) {
}
