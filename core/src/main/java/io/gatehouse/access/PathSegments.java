package io.gatehouse.access;

import io.gatehouse.internal.Paths;
import java.util.Set;

/** First-segment matching that refuses paths an application might normalise into another one. */
final class PathSegments {
    private PathSegments() {
    }

    /**
     * True when {@code path} ({@code /seg/...}) is normalisation-safe and its first segment is in
     * {@code segments} ({@link Paths#isNormalised}: a later decoding and normalising step could turn
     * {@code /report/../admin} or {@code /report/..;/admin} into {@code /admin}).
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
        return Paths.isNormalised(path);
    }
}
