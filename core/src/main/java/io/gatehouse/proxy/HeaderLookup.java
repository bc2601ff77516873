package io.gatehouse.proxy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request's headers as the core reads them: every value of a header, in the order received.
 * Adapters implement it over their framework's request; names are case-insensitive.
 */
@FunctionalInterface
public interface HeaderLookup {
    /** Every value of the header {@code name} in order; an empty list (never null) when absent. */
    List<String> values(String name);

    /**
     * The first value of {@code name}, or null. An adapter whose framework answers this without
     * building a list overrides it: the core's per-request path reads headers through it and
     * {@link #only}.
     */
    default @Nullable String first(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? null : v.get(0);
    }

    /**
     * The value of {@code name} when the request has exactly one such header line, else null (none,
     * or several: {@link #values} has them). Most headers come once, so an adapter whose framework
     * can tell without building a list overrides it, and the core's per-request path then allocates
     * nothing for headers.
     */
    default @Nullable String only(String name) {
        List<String> v = values(name);
        return v.size() == 1 ? v.get(0) : null;
    }

    /** No headers at all. */
    static HeaderLookup none() {
        return name -> List.of();
    }

    /** Headers from a map of name to values; names compared case-insensitively. For tests and tools. */
    static HeaderLookup of(Map<String, List<String>> headers) {
        java.util.TreeMap<String, List<String>> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return name -> m.getOrDefault(name, List.of());
    }
}
