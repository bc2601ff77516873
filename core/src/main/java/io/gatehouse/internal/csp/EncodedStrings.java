package io.gatehouse.internal.csp;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The JSON text (quoted, escaped, encoded) of strings that events write again and again: property
 * names, and the values {@link StringCache} shares between reports (the policy, user agents, page
 * URLs). Keyed by identity, so only the very same {@code String} instance hits; an instance is
 * admitted on its second miss in a row at its slot. One per sink (no state shared between sinks).
 * Bounded ({@value #SLOTS} slots, strings of at most {@value #MAX_LENGTH} chars) and thread-safe:
 * slots hold immutable entries.
 */
public final class EncodedStrings {
    static final int SLOTS = 1024;
    static final int MAX_LENGTH = 256;

    private record Entry(String text, SerializedString encoded) {
    }

    private final Entry[] entries = new Entry[SLOTS];
    /** The last instance that missed at each slot. */
    private final String[] seen = new String[SLOTS];

    /** An empty cache. */
    public EncodedStrings() {
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** The encoded form of {@code s} when it is one of the shared instances, else null. */
    SerializableString get(String s) {
        if (s.length() > MAX_LENGTH) {
            return null;
        }
        int i = (s.hashCode() * 0x9E3779B1) >>> (32 - Integer.numberOfTrailingZeros(SLOTS));
        Entry e = entries[i];
        if (e != null && e.text() == s) {
            return e.encoded();
        }
        if (seen[i] == s && !hasSurrogate(s)) {
            // (Jackson's cached UTF-8 form refuses unpaired surrogates; such strings are written the plain way.)
            Entry added = new Entry(s, new SerializedString(s));
            entries[i] = added;
            return added.encoded();
        }
        seen[i] = s;
        return null;
    }
}
