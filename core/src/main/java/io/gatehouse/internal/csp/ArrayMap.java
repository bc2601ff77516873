package io.gatehouse.internal.csp;

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
public final class ArrayMap extends AbstractMap<String, Object> {
    static final int INDEXED = 32;
    static final ArrayMap EMPTY = new ArrayMap(new String[0], new Object[0]);

    private final String[] keys;
    private final Object[] values;
    private final int size;
    private final Map<String, Integer> index;
    /** Where each {@link MemberNames} member is, when the key array is a shared one (computed once for it), else null. */
    private final byte[] memberIndexes;

    /** Over {@code keys} and {@code values} of equal length, as given (not copied). */
    public ArrayMap(String[] keys, Object[] values) {
        this(keys, values, keys.length, null, null);
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys, " + values.length + " values");
        }
    }

    private ArrayMap(String[] keys, Object[] values, int size, Map<String, Integer> index, byte[] memberIndexes) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.index = index != null || size <= INDEXED ? index : indexOf(keys, size);
        this.memberIndexes = memberIndexes;
    }

    private static Map<String, Integer> indexOf(String[] keys, int size) {
        Map<String, Integer> m = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) {
            m.putIfAbsent(keys[i], i);
        }
        return m;
    }

    /**
     * Sets the value at {@code i} in place: only for a map nobody else has seen yet (the parser's own,
     * before it hands it out), whose value array is its own (see {@link Builder#build}).
     */
    void replaceUnshared(int i, Object value) {
        values[i] = value;
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

    /** Where the member with {@link MemberNames} id {@code id} is, or -1: looked up once per shared key array. */
    int memberIndex(int id) {
        return memberIndexes != null ? memberIndexes[id] : indexOf(MemberNames.NAMES.get(id));
    }

    /** The value of the member with {@link MemberNames} id {@code id}, or null when there is none. */
    Object memberValue(int id) {
        int i = memberIndex(id);
        return i < 0 ? null : values[i];
    }

    /** The value at {@code i}. */
    Object valueAt(int i) {
        return values[i];
    }

    /** Whether {@code m} is already one of these immutable maps (no copy needed). */
    public static boolean isOwned(Map<String, Object> m) {
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
     * last value (as a {@code LinkedHashMap} would). {@link #build} hands out exactly sized arrays
     * and leaves the builder empty for the next object, so one builder per nesting level serves a
     * whole parse; key arrays repeat from object to object and are shared (see {@link KeyArrays}).
     */
    static final class Builder {
        private static final int INITIAL = 16;
        /** Arrays grown past this by a large object are dropped at {@link #build}, not kept. */
        private static final int RETAINED = 64;

        private String[] keys = new String[INITIAL];
        private Object[] values = new Object[INITIAL];
        private int size;
        private Map<String, Integer> index;
        /** One bit per key hash mod 64: a clear bit proves a key new without a search. */
        private long seen;
        /** The keys' hash codes combined in order, to find a shared key array. */
        private int keysHash;

        void put(String key, Object value) {
            int h = key.hashCode();
            long bit = 1L << h;
            if ((seen & bit) != 0 || index != null) {
                int at = find(keys, size, index, key);
                if (at >= 0) {
                    values[at] = value;
                    return;
                }
            }
            seen |= bit;
            keysHash = keysHash * 31 + h;
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

        /** The map of the members put since the last build; the builder is empty again afterwards. */
        ArrayMap build() {
            return build(null);
        }

        /** As {@link #build()}, its key array taken from (or added to) {@code shared} (null: none). */
        ArrayMap build(KeyArrays shared) {
            if (size == 0) {
                return EMPTY;
            }
            KeyArrays.Entry e = shared == null ? null : shared.share(keys, size, keysHash);
            ArrayMap m = e != null
                    ? new ArrayMap(e.keys(), Arrays.copyOf(values, size), size, index, e.memberIndexes())
                    : new ArrayMap(Arrays.copyOf(keys, size), Arrays.copyOf(values, size), size, index, null);
            clear();
            return m;
        }

        /** Empties the builder, keeping nothing of the members put (they may be a request's data). */
        void clear() {
            if (size == 0) {
                return;
            }
            if (keys.length > RETAINED) {
                keys = new String[INITIAL];
                values = new Object[INITIAL];
            } else {
                // Keys are overwritten by the next object's; values may be large, so they go now.
                Arrays.fill(values, 0, size, null);
            }
            size = 0;
            index = null;
            seen = 0;
            keysHash = 0;
        }
    }

    /**
     * Key arrays shared between maps with the same keys in the same order, as every report from one
     * browser has, each with where its {@link MemberNames} members are: a bounded table of immutable
     * arrays, compared key by key. One per report endpoint (in its {@link StringCache}); hostile input
     * can only cause misses. Thread-safe: an entry is published through final fields, and a lost race
     * only loses an entry.
     */
    static final class KeyArrays {
        private static final int MAX_KEYS = INDEXED;
        private static final int BITS = 6;

        /** Shared keys, and for each {@link MemberNames} id the index of that member or -1. */
        record Entry(String[] keys, byte[] memberIndexes) {
        }

        private final Entry[] slots = new Entry[1 << BITS];

        /**
         * A shared immutable array equal to {@code keys[0, size)}, made and kept when there was none;
         * null for arrays too long to share.
         */
        Entry share(String[] keys, int size, int hash) {
            if (size > MAX_KEYS) {
                return null;
            }
            int slot = ((hash ^ size) * 0x9E3779B9) >>> (32 - BITS);
            Entry e = slots[slot];
            if (e != null && e.keys.length == size && sameKeys(e.keys, keys, size)) {
                return e;
            }
            String[] copy = Arrays.copyOf(keys, size);
            byte[] indexes = new byte[MemberNames.NAMES.size()];
            Arrays.fill(indexes, (byte) -1);
            for (int i = size - 1; i >= 0; i--) {
                int id = MemberNames.id(copy[i]);
                if (id >= 0) {
                    indexes[id] = (byte) i;
                }
            }
            e = new Entry(copy, indexes);
            slots[slot] = e;
            return e;
        }

        private static boolean sameKeys(String[] shared, String[] keys, int size) {
            for (int i = 0; i < size; i++) {
                String a = shared[i];
                String b = keys[i];
                if (a != b && !a.equals(b)) {
                    return false;
                }
            }
            return true;
        }
    }
}
