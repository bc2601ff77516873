package io.gatehouse.cookie;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code Set-Cookie} header value (RFC 6265): {@code name=value} and its attributes, in order.
 * Attribute names are matched case-insensitively and kept as written; unknown attributes are kept.
 * Immutable: the {@code with}/{@code without} methods return a copy. Serialises as
 * {@code name=value; Attr=val; Flag}.
 */
public final class SetCookie {
    /** An attribute: {@code name} and its value, or a null value for a flag such as {@code Secure}. */
    public record Attribute(String name, String value) {
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
     * Parses a header value. Never throws.
     *
     * @return the cookie, or empty when {@code header} is not {@code name=value[; attributes]} with a
     *     token name, a cookie-value (optionally quoted) and no control characters
     */
    public static Optional<SetCookie> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return Optional.empty();
            }
        }
        String[] parts = header.split(";", -1);
        String pair = parts[0].strip();
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            return Optional.empty();
        }
        String name = pair.substring(0, eq).strip();
        String value = pair.substring(eq + 1).strip();
        if (!isToken(name) || !isCookieValue(value)) {
            return Optional.empty();
        }
        List<Attribute> attrs = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.isEmpty()) {
                continue;
            }
            int e = p.indexOf('=');
            String an = (e < 0 ? p : p.substring(0, e)).strip();
            if (an.isEmpty()) {
                return Optional.empty();
            }
            attrs.add(new Attribute(an, e < 0 ? null : p.substring(e + 1).strip()));
        }
        return Optional.of(new SetCookie(name, value, attrs));
    }

    /** A new cookie {@code name=value} without attributes. */
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

    /** Whether the attribute {@code name} (case-insensitive) is present. */
    public boolean has(String attribute) {
        return attribute(attribute).isPresent();
    }

    /** The value of the last attribute {@code name} (case-insensitive); empty for absent, "" never null for flags. */
    public Optional<String> attribute(String attribute) {
        for (int i = attributes.size() - 1; i >= 0; i--) {
            Attribute a = attributes.get(i);
            if (a.name().equalsIgnoreCase(attribute)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /** A copy with the attribute set: every existing one of that name replaced by one, in place of the first. */
    public SetCookie with(String attribute, String attrValue) {
        List<Attribute> out = new ArrayList<>(attributes.size() + 1);
        boolean done = false;
        for (Attribute a : attributes) {
            if (a.name().equalsIgnoreCase(attribute)) {
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
        out.removeIf(a -> a.name().equalsIgnoreCase(attribute));
        return new SetCookie(name, value, out);
    }

    /** Whether {@code SameSite} is {@code None} (case-insensitive). */
    public boolean sameSiteNone() {
        return attribute("SameSite").map(v -> v.equalsIgnoreCase("none")).orElse(false);
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
