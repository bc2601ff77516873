package io.gatehouse.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

    /**
     * Replaces every value of {@code name} with {@code value}: an adapter whose framework has this
     * call overrides it, so that decorating builds no list.
     */
    default void set(String name, String value) {
        set(name, List.of(value));
    }

    /**
     * Adds {@code value} after the values of {@code name}: an adapter whose framework has this call
     * overrides it.
     */
    default void add(String name, String value) {
        List<String> all = new ArrayList<>(values(name));
        all.add(value);
        set(name, all);
    }

    /**
     * Headers read by {@code get} (every value of a name, null or empty when absent), replaced by
     * {@code set} (the first value) and {@code add} (the others): for adapters whose framework has
     * these three calls.
     */
    static ResponseHeaders of(Function<String, ? extends @Nullable Collection<String>> get, BiConsumer<String, String> set,
                              BiConsumer<String, String> add) {
        return new ResponseHeaders() {
            @Override
            public List<String> values(String name) {
                Collection<String> v = get.apply(name);
                return v == null ? List.of() : new ArrayList<>(v);
            }

            @Override
            public void set(String name, List<String> values) {
                set.accept(name, values.get(0));
                for (int i = 1; i < values.size(); i++) {
                    add.accept(name, values.get(i));
                }
            }

            @Override
            public void set(String name, String value) {
                set.accept(name, value);
            }

            @Override
            public void add(String name, String value) {
                add.accept(name, value);
            }

            @Override
            public boolean contains(String name) {
                Collection<String> v = get.apply(name);
                return v != null && !v.isEmpty();
            }
        };
    }
}
