package io.gatehouse.http;

import java.util.List;

/**
 * The headers of a response the application is sending, as Gatehouse decorates them: what an
 * adapter implements over its framework's response (a few one-line methods, no logic).
 */
public interface ResponseHeaders {
    /** Every value of the header {@code name} in order; an empty list (never null) when absent. */
    List<String> values(String name);

    /** Replaces every value of {@code name} with {@code values} (at least one). */
    void set(String name, List<String> values);

    /** Whether the header {@code name} is present. */
    default boolean contains(String name) {
        return !values(name).isEmpty();
    }
}
