package io.gatehouse.internal.csp;

import java.util.Arrays;

/**
 * Shares the string values that CSP reports repeat: every report from one site carries the same
 * policy, the same few user agents, directives and page URLs. A lookup compares the parser's
 * characters with the slot's cached copy (a vectorised array compare) and returns the cached
 * {@code String} on a match, so a repeated value costs no allocation. A value is admitted on its
 * second miss in a row at its slot, so values that never repeat cost nothing beyond their string. Bounded: a fixed number of slots, values of at most {@value #MAX_LENGTH} chars.
 * Hostile input can only cause misses. Thread-safe: slots hold immutable entries, and a lost race
 * only loses a cache entry.
 */
public final class StringCache {
    public static final int MAX_LENGTH = 256;

    /** A cached value and its chars. */
    private record Entry(char[] chars, String value) {
        static Entry of(String value) {
            return new Entry(value.toCharArray(), value);
        }
    }

    /** The key arrays reports repeat, shared the same way (see {@link ArrayMap.KeyArrays}). */
    final ArrayMap.KeyArrays keyArrays = new ArrayMap.KeyArrays();
    private final Entry[] slots;
    /** The hash of the last miss per slot: a value is cached when it misses twice in a row. */
    private final int[] seen;
    private final int mask;

    /** A cache of {@code slots} entries (a power of two). */
    public StringCache(int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new Entry[slots];
        this.seen = new int[slots];
        this.mask = slots - 1;
    }

    /** The string {@code text.substring(from, to)}, shared when it was seen before. */
    public String get(String text, int from, int to) {
        int length = to - from;
        if (length == 0) {
            return "";
        }
        if (length > MAX_LENGTH) {
            return text.substring(from, to);
        }
        int h = hash(length, text.charAt(from), text.charAt(to - 1), text.charAt(from + (length >>> 1)),
                text.charAt(from + (length >>> 2)));
        int i = slot(h);
        Entry e = slots[i];
        if (e != null && e.value.length() == length && text.regionMatches(from, e.value, 0, length)) {
            return e.value;
        }
        String s = text.substring(from, to);
        admit(i, h, s);
        return s;
    }

    private static int hash(int length, char first, char last, char middle, char quarter) {
        // A cheap spread of the length and a few chars: collisions only cost misses.
        return length * 0x9E3779B1 ^ first * 31 ^ last * 0x85EBCA6B ^ middle * 0xC2B2AE35 ^ quarter;
    }

    /** The slot of hash {@code h}. */
    private int slot(int h) {
        return (h ^ (h >>> 15)) & mask;
    }

    private void admit(int i, int h, String s) {
        if (seen[i] == h) {
            slots[i] = Entry.of(s);
        } else {
            seen[i] = h;
        }
    }

    /** The string of {@code chars[offset, offset + length)}, shared when it was seen before. */
    String get(char[] chars, int offset, int length) {
        if (length == 0) {
            return "";
        }
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = hash(length, chars[offset], chars[offset + length - 1], chars[offset + (length >>> 1)],
                chars[offset + (length >>> 2)]);
        int i = slot(h);
        Entry e = slots[i];
        if (e != null && Arrays.equals(e.chars, 0, e.chars.length, chars, offset, offset + length)) {
            return e.value;
        }
        String s = new String(chars, offset, length);
        admit(i, h, s);
        return s;
    }
}
