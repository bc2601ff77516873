package io.gatehouse.internal;

/**
 * Helpers for echoing untrusted text in messages and logs. Not part of the API.
 */
public final class Text {
    /** Longest piece of attacker-controlled text that is ever echoed. */
    public static final int MAX_ECHO = 80;

    private Text() {
    }

    /**
     * Returns {@code text} in double quotes, cut to {@link #MAX_ECHO} characters (with an ellipsis
     * and the full length when cut), with quotes, backslashes and control characters escaped, so
     * that an echoed value can never forge a log line or break out of its quotes.
     */
    public static String quote(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int n = text.length();
        int shown = Math.min(n, MAX_ECHO);
        StringBuilder sb = new StringBuilder(shown + 16).append('"');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
        if (n > shown) {
            sb.append("... (").append(n).append(" chars)");
        }
        return sb.toString();
    }

    /** True for the optional whitespace of HTTP header grammar (space and horizontal tab). */
    public static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** {@code end} moved left past optional whitespace, not below {@code from}. */
    public static int trimOwsEnd(CharSequence s, int from, int end) {
        while (end > from && isOws(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** {@code start} moved right past optional whitespace, not beyond {@code end}. */
    public static int trimOwsStart(CharSequence s, int start, int end) {
        while (start < end && isOws(s.charAt(start))) {
            start++;
        }
        return start;
    }
}
