package io.gatehouse.internal;

/** Paths an application might normalise into another one. Not part of the API. */
public final class Paths {
    private Paths() {
    }

    /**
     * Whether {@code path} says what it will mean once a server has decoded and normalised it: no
     * {@code .} or {@code ..} segment, no path parameter ({@code ;}, which servlet containers drop
     * before resolving dot segments, so {@code /report/..;/admin} is {@code /admin} to them), no
     * backslash, and no percent-encoded dot, slash, backslash or semicolon.
     */
    public static boolean isNormalised(CharSequence path) {
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
            } else if (c == '\\' || c == ';') {
                return false;
            } else if (c == '%' && i + 2 < n) {
                char h = path.charAt(i + 1);
                char l = Character.toLowerCase(path.charAt(i + 2));
                if ((h == '2' && (l == 'e' || l == 'f')) || (h == '5' && l == 'c') || (h == '3' && l == 'b')) {
                    return false;
                }
            }
        }
        return true;
    }
}
