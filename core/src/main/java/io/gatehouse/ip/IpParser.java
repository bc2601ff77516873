package io.gatehouse.ip;

/**
 * The one IP literal parser: strict IPv4 dotted quads and RFC 4291 IPv6 text, read straight from a
 * {@link CharSequence} range. It allocates nothing: the parsed address goes to a {@link Target},
 * whose answer is returned; a failure is returned as a negative code that packs the error kind and
 * the absolute index of the first bad character. Never any DNS.
 */
final class IpParser {

    /** Receives a parsed address; the returned value (non-negative) is what the parse returns. */
    interface Target {
        /** An IPv4 address, also for an IPv4-mapped IPv6 literal ({@code ::ffff:a.b.c.d}). */
        int v4(int address);

        /** Any other IPv6 address, as its high and low 64 bits. */
        int v6(long hi, long lo);
    }

    static final int EMPTY = 1;
    static final int BAD_CHAR = 2;
    static final int LEADING_ZERO = 3;
    static final int V4_PART_RANGE = 4;
    static final int V4_PARTS = 5;
    static final int V4_EMPTY_PART = 6;
    static final int V6_GROUP_LONG = 7;
    static final int V6_SECOND_DOUBLE_COLON = 8;
    static final int V6_GROUPS = 9;
    static final int V6_LEADING_COLON = 10;
    static final int V6_TRAILING_COLON = 11;
    static final int ZONE_NOT_ALLOWED = 12;
    static final int ZONE_EMPTY = 13;
    static final int V4_TAIL_POSITION = 14;

    private static final String[] REASONS = {
        "",
        "empty address",
        "unexpected character",
        "leading zero in an IPv4 part (ambiguous: other parsers read it as octal)",
        "IPv4 part is greater than 255",
        "an IPv4 address has exactly 4 decimal parts",
        "empty IPv4 part",
        "IPv6 group has more than 4 hex digits",
        "second '::' in an IPv6 address",
        "wrong number of IPv6 groups (8, or fewer with '::')",
        "IPv6 address starts with a single ':'",
        "IPv6 address ends with a single ':'",
        "zone id (%...) is not allowed here",
        "empty zone id",
        "embedded IPv4 part must be the last 32 bits",
    };

    private IpParser() {
    }

    static int error(int kind, int index) {
        return -((index << 5) | kind) - 1;
    }

    static int kind(int code) {
        return (-code - 1) & 31;
    }

    static int index(int code) {
        return (-code - 1) >>> 5;
    }

    static String reason(int code) {
        return REASONS[kind(code)];
    }

    /**
     * Parses {@code s[from, to)} as an IPv4 or IPv6 literal.
     *
     * @param allowZone whether a trailing {@code %zone} is accepted (and ignored), as in request data
     * @return the target's answer, or a negative error code
     */
    static int parse(CharSequence s, int from, int to, boolean allowZone, Target target) {
        if (from >= to) {
            return error(EMPTY, from);
        }
        boolean v6 = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                v6 = true;
                break;
            }
            if (c == '.') {
                break;
            }
        }
        if (!v6) {
            long v4 = parseV4(s, from, to);
            return v4 < 0 ? (int) v4 : target.v4((int) v4);
        }
        return parseV6(s, from, to, allowZone, target);
    }

    /** Parses a strict dotted quad; returns the address as an unsigned 32-bit value, or an error code. */
    static long parseV4(CharSequence s, int from, int to) {
        if (from >= to) {
            return error(EMPTY, from);
        }
        long address = 0;
        int parts = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                value = Math.min(value * 10 + (c - '0'), 1000);
                i++;
            }
            if (i == start) {
                return error(i < to && s.charAt(i) != '.' ? BAD_CHAR : V4_EMPTY_PART, i);
            }
            if (s.charAt(start) == '0' && i - start > 1) {
                return error(LEADING_ZERO, start);
            }
            if (value > 255) {
                return error(V4_PART_RANGE, start);
            }
            address = (address << 8) | value;
            parts++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != '.') {
                return error(BAD_CHAR, i);
            }
            if (parts == 4) {
                return error(V4_PARTS, i);
            }
            i++;
        }
        return parts == 4 ? address : error(V4_PARTS, to);
    }

    /**
     * Reads, right to left, the strict dotted quad that ends just before {@code end}: the one that
     * {@link #parseV4} would accept for {@code s[start, end)}, where {@code start} is the first index
     * at or after {@code from} such that the range holds only digits and dots. Used to walk
     * comma-separated lists from the right in one pass.
     *
     * @return {@code start << 32 | address}, or -1 when there is no such quad (wrong form, leading
     *     zero, part over 255, or a digit or dot just before it)
     */
    static long parseV4Backward(CharSequence s, int from, int end) {
        int i = end;
        int address = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i == from || s.charAt(i - 1) != '.') {
                    return -1;
                }
                i--;
            }
            // Up to three digits, unrolled; a fourth is caught by the next '.' check or the final check.
            if (i == from) {
                return -1;
            }
            int value = s.charAt(i - 1) - '0';
            if (value < 0 || value > 9) {
                return -1;
            }
            int start = i - 1;
            if (start > from) {
                int d = s.charAt(start - 1) - '0';
                if (d >= 0 && d <= 9) {
                    value += d * 10;
                    start--;
                    if (start > from) {
                        d = s.charAt(start - 1) - '0';
                        if (d >= 0 && d <= 9) {
                            value += d * 100;
                            start--;
                        }
                    }
                }
            }
            if (value > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            address |= value << (8 * part);
            i = start;
        }
        if (i > from) {
            char c = s.charAt(i - 1);
            if (c == '.' || (c >= '0' && c <= '9')) {
                return -1;
            }
        }
        return ((long) i << 32) | Integer.toUnsignedLong(address);
    }

    private static int parseV6(CharSequence s, int from, int to, boolean allowZone, Target target) {
        int end = to;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '%') {
                if (!allowZone) {
                    return error(ZONE_NOT_ALLOWED, i);
                }
                if (i + 1 == to) {
                    return error(ZONE_EMPTY, i);
                }
                end = i;
                break;
            }
        }
        // Groups before '::' accumulate in (bh, bl), groups after it in (ah, al).
        long bh = 0;
        long bl = 0;
        long ah = 0;
        long al = 0;
        int nb = 0;
        int na = 0;
        boolean compressed = false;
        int i = from;
        if (s.charAt(i) == ':') {
            if (i + 1 < end && s.charAt(i + 1) == ':') {
                compressed = true;
                i += 2;
            } else {
                return error(V6_LEADING_COLON, i);
            }
        }
        while (i < end) {
            int start = i;
            int value = 0;
            while (i < end) {
                int d = hex(s.charAt(i));
                if (d < 0) {
                    break;
                }
                if (i - start == 4) {
                    return error(V6_GROUP_LONG, start);
                }
                value = (value << 4) | d;
                i++;
            }
            if (i == start) {
                return error(s.charAt(i) == '.' ? V4_EMPTY_PART : BAD_CHAR, i);
            }
            if (i < end && s.charAt(i) == '.') {
                if (nb + na > 6) {
                    return error(V4_TAIL_POSITION, start);
                }
                long v4 = parseV4(s, start, end);
                if (v4 < 0) {
                    return (int) v4;
                }
                if (compressed) {
                    ah = (ah << 32) | (al >>> 32);
                    al = (al << 32) | v4;
                    na += 2;
                } else {
                    bh = (bh << 32) | (bl >>> 32);
                    bl = (bl << 32) | v4;
                    nb += 2;
                }
                break;
            }
            if (nb + na == 8) {
                return error(V6_GROUPS, start);
            }
            if (compressed) {
                ah = (ah << 16) | (al >>> 48);
                al = (al << 16) | value;
                na++;
            } else {
                bh = (bh << 16) | (bl >>> 48);
                bl = (bl << 16) | value;
                nb++;
            }
            if (i == end) {
                break;
            }
            if (s.charAt(i) != ':') {
                return error(BAD_CHAR, i);
            }
            i++;
            if (i < end && s.charAt(i) == ':') {
                if (compressed) {
                    return error(V6_SECOND_DOUBLE_COLON, i - 1);
                }
                compressed = true;
                i++;
            } else if (i == end) {
                return error(V6_TRAILING_COLON, i - 1);
            }
        }
        int groups = nb + na;
        if (compressed ? groups > 7 : groups != 8) {
            return error(V6_GROUPS, end);
        }
        long hi;
        long lo;
        int shift = 16 * (8 - nb);
        if (shift == 0) {
            hi = bh;
            lo = bl;
        } else if (shift >= 128) {
            hi = 0;
            lo = 0;
        } else if (shift >= 64) {
            hi = bl << (shift - 64);
            lo = 0;
        } else {
            hi = (bh << shift) | (bl >>> (64 - shift));
            lo = bl << shift;
        }
        hi |= ah;
        lo |= al;
        if (hi == 0 && (lo >>> 32) == 0xffffL) {
            return target.v4((int) lo);
        }
        return target.v6(hi, lo);
    }

    /**
     * Returns whether {@code s[from, to)} uses IPv6 syntax (has a ':' before any '.'). Decides how a
     * CIDR prefix length is read for an IPv4-mapped literal.
     */
    static boolean looksLikeV6(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') {
                return true;
            }
            if (c == '.') {
                return false;
            }
        }
        return false;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
