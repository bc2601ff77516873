package io.gatehouse.ip;

import io.gatehouse.internal.Text;

/**
 * An IP address or CIDR block that does not parse. The message names the input (quoted, cut short,
 * control characters escaped), the reason and the index of the first bad character.
 */
public final class IpParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int index;

    IpParseException(String what, CharSequence input, String reason, int index) {
        super("invalid " + what + " " + Text.quote(input) + ": " + reason + " at index " + index);
        this.reason = reason;
        this.index = index;
    }

    static IpParseException of(String what, CharSequence input, int from, int code) {
        return new IpParseException(what, input, IpParser.reason(code), IpParser.index(code) - from);
    }

    /** What is wrong, without the input: e.g. {@code prefix length out of range (33 > 32)}. */
    public String reason() {
        return reason;
    }

    /** Index of the first bad character in the input. */
    public int index() {
        return index;
    }
}
