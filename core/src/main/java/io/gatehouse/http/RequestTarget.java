package io.gatehouse.http;

import org.jspecify.annotations.Nullable;

/**
 * A request-target ({@code /path?query}, or the absolute form {@code http://host/path?query}) split
 * into its raw path and query, for adapters whose framework hands over the target as received.
 *
 * @param path the raw path, starting with {@code /} ({@code /} for an absolute form without one, or
 *     an asterisk form {@code *} as it is)
 * @param query the raw query without {@code ?}, or null
 */
public record RequestTarget(String path, @Nullable String query) {

    /** Splits {@code target}; a fragment (which clients must not send) is dropped. Never throws. */
    public static RequestTarget parse(@Nullable String target) {
        String t = target == null ? "" : target;
        int start = 0;
        int scheme = t.indexOf("://");
        if (scheme > 0 && t.charAt(0) != '/') {
            int slash = t.indexOf('/', scheme + 3);
            int q = t.indexOf('?', scheme + 3);
            start = slash < 0 || (q >= 0 && q < slash) ? -1 : slash;
            if (start < 0) {
                String rest = q < 0 ? "" : t.substring(q);
                return parse("/" + rest);
            }
        }
        int hash = t.indexOf('#', start);
        int end = hash < 0 ? t.length() : hash;
        int q = t.indexOf('?', start);
        if (q >= 0 && q < end) {
            return new RequestTarget(t.substring(start, q), t.substring(q + 1, end));
        }
        return new RequestTarget(start == 0 && end == t.length() ? t : t.substring(start, end), null);
    }
}
