package io.gatehouse.proxy;

import io.gatehouse.internal.Text;

/**
 * Reads one value of an RFC 7239 {@code Forwarded} header, element by element:
 * {@code element *( "," element )}, {@code element = [pair] *( ";" [pair] )},
 * {@code pair = token "=" ( token / quoted-string )}. Only {@code for} is kept, and the position
 * of the element's {@code proto} ({@link #proto()}). Unquoted values are
 * read leniently up to the next {@code ; ,} or whitespace, since proxies send {@code for=[::1]}
 * unquoted; a quoted value with a backslash escape is kept with its escapes and so never parses
 * as an address.
 */
final class ForwardedParser {
    static final long END = -1;
    static final long ERROR = -2;
    static final long NO_FOR = -3;

    private final String s;
    private int i;
    private int errorIndex = -1;
    private long proto = -1;

    ForwardedParser(String s) {
        this.s = s;
    }

    int errorIndex() {
        return errorIndex;
    }

    /** After {@link #next}: {@code start << 24 | end} of the element's {@code proto} value, or -1. */
    long proto() {
        return proto;
    }

    /**
     * The next non-empty element: {@code start << 24 | end} of its {@code for} value (quotes
     * removed), {@link #NO_FOR}, {@link #END}, or {@link #ERROR} (see {@link #errorIndex()}).
     */
    long next() {
        int n = s.length();
        while (true) {
            skipOws();
            if (i >= n) {
                return END;
            }
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            break;
        }
        long forValue = NO_FOR;
        proto = -1;
        while (true) {
            skipOws();
            if (i < n && s.charAt(i) != ',' && s.charAt(i) != ';') {
                int nameStart = i;
                while (i < n && isTchar(s.charAt(i))) {
                    i++;
                }
                int nameEnd = i;
                if (nameEnd == nameStart || i >= n || s.charAt(i) != '=') {
                    return fail(i);
                }
                i++;
                long value;
                if (i < n && s.charAt(i) == '"') {
                    int start = ++i;
                    while (i < n && s.charAt(i) != '"') {
                        i += s.charAt(i) == '\\' ? 2 : 1;
                    }
                    if (i >= n) {
                        return fail(start - 1);
                    }
                    value = ((long) start << 24) | i;
                    i++;
                } else {
                    int start = i;
                    while (i < n && s.charAt(i) != ';' && s.charAt(i) != ',' && !Text.isOws(s.charAt(i))
                            && s.charAt(i) != '"') {
                        i++;
                    }
                    if (i == start) {
                        return fail(i);
                    }
                    value = ((long) start << 24) | i;
                }
                if (nameEnd - nameStart == 3 && s.regionMatches(true, nameStart, "for", 0, 3)) {
                    if (forValue != NO_FOR) {
                        return fail(nameStart);
                    }
                    forValue = value;
                } else if (nameEnd - nameStart == 5 && s.regionMatches(true, nameStart, "proto", 0, 5)) {
                    proto = value;
                }
                skipOws();
            }
            if (i >= n) {
                return emptyValue(forValue) ? fail(n - 1) : forValue;
            }
            char c = s.charAt(i);
            if (c == ',') {
                i++;
                return emptyValue(forValue) ? fail(i - 1) : forValue;
            }
            if (c != ';') {
                return fail(i);
            }
            i++;
        }
    }

    private static boolean emptyValue(long v) {
        return v >= 0 && (v >>> 24) == (v & 0xffffff);
    }

    private long fail(int at) {
        errorIndex = Math.max(0, at);
        i = s.length();
        return ERROR;
    }

    private void skipOws() {
        i = Text.trimOwsStart(s, i, s.length());
    }

    /** RFC 9110 tchar. */
    private static boolean isTchar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
