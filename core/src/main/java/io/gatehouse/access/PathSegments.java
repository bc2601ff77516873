package io.gatehouse.access;

import java.util.Set;

/** First-segment matching that refuses paths an application might normalise into another one. */
final class PathSegments {
    private PathSegments() {
    }

    /**
     * True when {@code path} ({@code /seg/...}) is normalisation-safe and its first segment is in
     * {@code segments}. Unsafe: any {@code .} or {@code ..} segment, a backslash, or a percent-encoded
     * dot, slash or backslash, since a later decoding and normalising step could turn
     * {@code /e/../admin} into {@code /admin}.
     */
    static boolean firstSegmentIn(CharSequence path, Set<String> segments) {
        if (path == null) {
            return false;
        }
        int n = path.length();
        if (n < 2 || path.charAt(0) != '/') {
            return false;
        }
        int end = 1;
        while (end < n && path.charAt(end) != '/') {
            end++;
        }
        if (!segments.contains(path.subSequence(1, end).toString())) {
            return false;
        }
        return isNormalised(path);
    }

    /** No dot segments, no backslash, no encoded {@code . / \}. */
    static boolean isNormalised(CharSequence path) {
        int n = path.length();
        int segStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '/') {
                int len = i - segStart;
                if ((len == 1 && path.charAt(segStart) == '.')
                        || (len == 2 && path.charAt(segStart) == '.' && path.charAt(segStart + 1) == '.')) {
                    return false;
                }
                segStart = i + 1;
            } else if (c == '\\') {
                return false;
            } else if (c == '%' && i + 2 < n) {
                char h = path.charAt(i + 1);
                char l = Character.toLowerCase(path.charAt(i + 2));
                if ((h == '2' && (l == 'e' || l == 'f')) || (h == '5' && l == 'c')) {
                    return false;
                }
            }
        }
        return true;
    }
}
