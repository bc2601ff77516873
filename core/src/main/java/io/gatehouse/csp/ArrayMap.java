package io.gatehouse.csp;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, insertion-ordered map over a key array and a value array: JSON objects read from
 * report bodies and the properties of events, in a fraction of a {@code LinkedHashMap}'s memory.
 * The key array may be shared between maps (every event of one kind has the same keys). Null
 * values are allowed, null keys are not. Lookups compare cached hash codes before contents;
 * maps of more than {@value #INDEXED} entries also keep a hash index, so no input makes them slow.
 */
final class ArrayMap extends AbstractMap<String, Object> {
    static final int INDEXED = 32;
    static final ArrayMap EMPTY = new ArrayMap(new String[0], new Object[0]);

    private final String[] keys;
    private final Object[] values;
    private final int size;
    private final Map<String, Integer> index;

    /** Over {@code keys} and {@code values} of equal length, as given (not copied). */
    ArrayMap(String[] keys, Object[] values) {
        this(keys, values, keys.length, null);
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys, " + values.length + " values");
        }
    }

    private ArrayMap(String[] keys, Object[] values, int size, Map<String, Integer> index) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.index = index != null || size <= INDEXED ? index : indexOf(keys, size);
    }

    private static Map<String, Integer> indexOf(String[] keys, int size) {
        Map<String, Integer> m = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            m.putIfAbsent(keys[i], i);
        }
        return m;
    }

    /** A copy with {@code key} set to {@code value} (in its place when present, else at the end). */
    ArrayMap with(String key, Object value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object[] v = Arrays.copyOf(values, size);
            v[i] = value;
            return new ArrayMap(Arrays.copyOf(keys, size), v, size, index);
        }
        String[] k = Arrays.copyOf(keys, size + 1);
        Object[] v = Arrays.copyOf(values, size + 1);
        k[size] = key;
        v[size] = value;
        return new ArrayMap(k, v, size + 1, null);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        return key instanceof String k ? find(keys, size, index, k) : -1;
    }

    /** Where {@code key} is among {@code keys[0, size)}: through the index when there is one. */
    private static int find(String[] keys, int size, Map<String, Integer> index, String key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        int h = key.hashCode();
        for (int i = 0; i < size; i++) {
            String s = keys[i];
            if (s == key || (s.hashCode() == h && s.equals(key))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (i >= size) {
                            throw new NoSuchElementException();
                        }
                        int at = i++;
                        return new SimpleImmutableEntry<>(keys[at], values[at]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The key at {@code i} (0 to size - 1), for iteration without entries. */
    String keyAt(int i) {
        return keys[i];
    }

    /** The value at {@code i}. */
    Object valueAt(int i) {
        return values[i];
    }

    /** Whether {@code m} is already one of these immutable maps (no copy needed). */
    static boolean isOwned(Map<String, Object> m) {
        return m instanceof ArrayMap;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < size; i++) {
            h += keys[i].hashCode() ^ Objects.hashCode(values[i]);
        }
        return h;
    }

    /**
     * Collects a JSON object's members in order; a repeated key keeps its first place and takes the
     * last value (as a {@code LinkedHashMap} would).
     */
    static final class Builder {
        private String[] keys = new String[8];
        private Object[] values = new Object[8];
        private int size;
        private Map<String, Integer> index;

        void put(String key, Object value) {
            Objects.requireNonNull(key, "key");
            int at = find(keys, size, index, key);
            if (at >= 0) {
                values[at] = value;
                return;
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            if (index != null) {
                index.put(key, size);
            } else if (size == INDEXED) {
                index = indexOf(keys, size + 1);
            }
            size++;
        }

        ArrayMap build() {
            return new ArrayMap(keys, values, size, index);
        }
    }
}
