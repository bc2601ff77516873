package io.gatehouse.cookie;

import io.gatehouse.internal.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One {@code Set-Cookie} header value (RFC 6265): {@code name=value} and its attributes, in order.
 * Attribute names are matched ASCII case-insensitively, as browsers match them, and kept as
 * written; unknown attributes are kept. Immutable: the {@code with}/{@code without} methods return
 * a copy. Serialises as {@code name=value; Attr=val; Flag}.
 *
 * <p>{@link #parse} reads a header as a browser does (RFC 6265 section 5.2), so that whatever a
 * browser would store is understood and can be rewritten with its value kept byte for byte;
 * {@link #of} builds only what a server should write (section 4.1).
 */
public final class SetCookie {
    /** An attribute: {@code name} and its value, or a null value for a flag such as {@code Secure}. */
    public record Attribute(String name, @Nullable String value) {
        public Attribute {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return value == null ? name : name + "=" + value;
        }
    }

    private final String name;
    private final String value;
    private final List<Attribute> attributes;

    private SetCookie(String name, String value, List<Attribute> attributes) {
        this.name = name;
        this.value = value;
        this.attributes = List.copyOf(attributes);
    }

    /**
     * Parses a header value as a browser does (RFC 6265 section 5.2). Never throws.
     *
     * <ul>
     *   <li>The name is the text before the first {@code =}, the value the text after it up to the
     *       first {@code ;}, each trimmed of spaces and tabs; anything else is kept as written
     *       (spaces, quotes, commas, backslashes, non-ASCII), so {@code a=x y} and
     *       {@code a="x y"} parse, with the values {@code x y} and {@code "x y"}.</li>
     *   <li>Each further {@code ;}-separated part is an attribute: its name up to the first
     *       {@code =}, its value (null for a flag) after it, both trimmed; empty parts are skipped,
     *       and an attribute with an empty name ({@code ; =x}), which browsers ignore, is kept as
     *       written.</li>
     * </ul>
     *
     * @return the cookie, or empty when a browser would store nothing for it: {@code header} is
     *     null, holds a control character other than a tab (U+0000 to U+0008, U+000A to U+001F,
     *     U+007F: RFC 6265bis ignores the whole header), has no {@code =} before the first
     *     {@code ;}, or has an empty name
     */
    public static Optional<SetCookie> parse(@Nullable String header) {
        if (header == null || indexOfControl(header) >= 0) {
            return Optional.empty();
        }
        int n = header.length();
        int semi = header.indexOf(';');
        int pairEnd = semi < 0 ? n : semi;
        int eq = header.indexOf('=');
        if (eq < 0 || eq > pairEnd) {
            return Optional.empty();
        }
        int nameStart = Text.trimOwsStart(header, 0, eq);
        int nameEnd = Text.trimOwsEnd(header, nameStart, eq);
        if (nameStart == nameEnd) {
            return Optional.empty();
        }
        int valueStart = Text.trimOwsStart(header, eq + 1, pairEnd);
        int valueEnd = Text.trimOwsEnd(header, valueStart, pairEnd);
        List<Attribute> attrs = new ArrayList<>();
        for (int start = pairEnd + 1; start <= n; ) {
            int end = header.indexOf(';', start);
            if (end < 0) {
                end = n;
            }
            int a = Text.trimOwsStart(header, start, end);
            int b = Text.trimOwsEnd(header, a, end);
            if (a < b) {
                int e = indexOf(header, '=', a, b);
                if (e < 0) {
                    attrs.add(new Attribute(header.substring(a, b), null));
                } else {
                    int vs = Text.trimOwsStart(header, e + 1, b);
                    attrs.add(new Attribute(header.substring(a, Text.trimOwsEnd(header, a, e)), header.substring(vs, b)));
                }
            }
            start = end + 1;
        }
        return Optional.of(new SetCookie(header.substring(nameStart, nameEnd), header.substring(valueStart, valueEnd), attrs));
    }

    /**
     * The index of the first control character a header may not carry (U+0000 to U+0008, U+000A to
     * U+001F, U+007F; a tab is allowed), or -1.
     */
    static int indexOfControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isControl(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The index of {@code c} in {@code s[from, to)}, or -1: a search that never runs past a part's end. */
    static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code c} is a control character other than a tab. */
    static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }

    /** Whether {@code a} and {@code b} are equal but for the case of ASCII letters (as browsers compare attribute names). */
    static boolean equalsAsciiIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && (toAsciiLower(x) != toAsciiLower(y))) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} starts with {@code lowerPrefix} (lower-case ASCII) but for the case of ASCII letters. */
    static boolean startsWithAsciiIgnoreCase(String s, String lowerPrefix) {
        if (s.length() < lowerPrefix.length()) {
            return false;
        }
        for (int i = 0; i < lowerPrefix.length(); i++) {
            if (toAsciiLower(s.charAt(i)) != lowerPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static char toAsciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * A new cookie {@code name=value} without attributes, as a server should write it (RFC 6265
     * section 4.1): a token name and a cookie-value, optionally quoted.
     *
     * @throws IllegalArgumentException when {@code name} is not a token or {@code value} not a cookie-value
     */
    public static SetCookie of(String name, String value) {
        if (!isToken(name) || !isCookieValue(value)) {
            throw new IllegalArgumentException("not a valid cookie name and value: " + io.gatehouse.internal.Text.quote(name));
        }
        return new SetCookie(name, value, List.of());
    }

    /** The cookie's name. */
    public String name() {
        return name;
    }

    /** The cookie's value as written (quotes included, if any). */
    public String value() {
        return value;
    }

    /** The attributes in order. */
    public List<Attribute> attributes() {
        return attributes;
    }

    /** Whether the attribute {@code name} (ASCII case-insensitive) is present. */
    public boolean has(String attribute) {
        return attribute(attribute).isPresent();
    }

    /** The value of the last attribute {@code name} (ASCII case-insensitive); empty for absent, "" never null for flags. */
    public Optional<String> attribute(String attribute) {
        for (int i = attributes.size() - 1; i >= 0; i--) {
            Attribute a = attributes.get(i);
            if (equalsAsciiIgnoreCase(a.name(), attribute)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /** A copy with the attribute set: every existing one of that name replaced by one, in place of the first. */
    public SetCookie with(String attribute, @Nullable String attrValue) {
        List<Attribute> out = new ArrayList<>(attributes.size() + 1);
        boolean done = false;
        for (Attribute a : attributes) {
            if (equalsAsciiIgnoreCase(a.name(), attribute)) {
                if (!done) {
                    out.add(new Attribute(a.name(), attrValue));
                    done = true;
                }
            } else {
                out.add(a);
            }
        }
        if (!done) {
            out.add(new Attribute(attribute, attrValue));
        }
        return new SetCookie(name, value, out);
    }

    /** A copy without any attribute of that name. */
    public SetCookie without(String attribute) {
        List<Attribute> out = new ArrayList<>(attributes);
        out.removeIf(a -> equalsAsciiIgnoreCase(a.name(), attribute));
        return new SetCookie(name, value, out);
    }

    /** Whether the last {@code SameSite} is {@code None} (ASCII case-insensitive). */
    public boolean sameSiteNone() {
        return attribute("SameSite").map(v -> equalsAsciiIgnoreCase(v, "none")).orElse(false);
    }

    /** The header value: {@code name=value; Attr=val; Flag}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name.length() + value.length() + 16 * attributes.size());
        sb.append(name).append('=').append(value);
        for (Attribute a : attributes) {
            sb.append("; ").append(a);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetCookie c && c.name.equals(name) && c.value.equals(value) && c.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, value, attributes);
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 6265 cookie-value, leniently: no whitespace, comma-free is not required (browsers accept commas). */
    static boolean isCookieValue(String v) {
        String inner = v;
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            inner = v.substring(1, v.length() - 1);
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '"' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }
}
