package io.gatehouse.cookie;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cookie policy on any header string, garbage included, against oracles written from RFC 6265
 * section 5.2 (how a browser reads a {@code Set-Cookie}) rather than from {@link SetCookie}.
 */
class CookiePolicyProperties {

    /**
     * The output carries a {@code Secure} attribute (as a browser reads attributes) whenever the
     * policy requires one: secure cookies on, a {@code __Secure-}/{@code __Host-} name,
     * {@code SameSite=None} or {@code Partitioned}; and it never carries a control character.
     */
    @Property(tries = 3000)
    void secureWheneverThePolicyRequiresIt(@ForAll("anyHeader") String header, @ForAll boolean secureCookies) {
        String out = policy(secureCookies).apply(header);
        assertNoControlCharacters(header, out);
        if ((secureCookies || requiresSecure(header)) && !hasSecure(out)) {
            throw new AssertionError("no Secure in " + show(out) + " for " + show(header) + " (secureCookies=" + secureCookies + ")");
        }
    }

    /** A cookie a browser would store leaves with the same name and, byte for byte, the same value. */
    @Property(tries = 3000)
    void keepsTheNameAndValueOfEveryStorableCookie(@ForAll("anyHeader") String header, @ForAll boolean secureCookies) {
        List<String> stored = browserNameAndValue(header);
        if (stored == null) {
            return;
        }
        String out = policy(secureCookies).apply(header);
        if (!stored.equals(browserNameAndValue(out))) {
            throw new AssertionError(show(header) + " stores " + stored + " but " + show(out) + " stores "
                    + browserNameAndValue(out));
        }
    }

    /** Applying the policy to its own output changes nothing. */
    @Property(tries = 3000)
    void isIdempotentOnAnyHeader(@ForAll("anyHeader") String header, @ForAll boolean secureCookies) {
        CookiePolicy p = policy(secureCookies);
        String once = p.apply(header);
        String twice = p.apply(once);
        if (!twice.equals(once)) {
            throw new AssertionError(show(header) + " -> " + show(once) + " -> " + show(twice));
        }
    }

    private static CookiePolicy policy(boolean secureCookies) {
        return CookiePolicy.builder().secureCookies(secureCookies).reporter(m -> { }).build();
    }

    // ---- oracles ----

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }

    private static void assertNoControlCharacters(String header, String out) {
        for (int i = 0; i < out.length(); i++) {
            if (isControl(out.charAt(i))) {
                throw new AssertionError("control character in " + show(out) + " for " + show(header));
            }
        }
    }

    /** Trims what a browser trims (space and tab) and, for the input side, control characters too. */
    private static String trim(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) <= 0x20 || s.charAt(a) == 0x7f)) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) <= 0x20 || s.charAt(b - 1) == 0x7f)) {
            b--;
        }
        return s.substring(a, b);
    }

    /** ASCII case-insensitive equality, as browsers compare attribute names and values. */
    private static boolean asciiEqualsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x >= 'A' && x <= 'Z') {
                x += 'a' - 'A';
            }
            if (y >= 'A' && y <= 'Z') {
                y += 'a' - 'A';
            }
            if (x != y) {
                return false;
            }
        }
        return true;
    }

    /** Whether the policy must make {@code header} Secure whatever {@code SECURE_COOKIES} says. */
    static boolean requiresSecure(String header) {
        String[] parts = header.split(";", -1);
        int eq = parts[0].indexOf('=');
        String name = trim(eq < 0 ? parts[0] : parts[0].substring(0, eq));
        String prefix = name.length() >= 9 ? name.substring(0, 9) : name;
        boolean required = asciiEqualsIgnoreCase(prefix, "__secure-")
                || (name.length() >= 7 && asciiEqualsIgnoreCase(name.substring(0, 7), "__host-"));
        String sameSite = null;
        for (int i = 1; i < parts.length; i++) {
            int e = parts[i].indexOf('=');
            String attribute = trim(e < 0 ? parts[i] : parts[i].substring(0, e));
            if (asciiEqualsIgnoreCase(attribute, "Partitioned")) {
                required = true;
            } else if (asciiEqualsIgnoreCase(attribute, "SameSite")) {
                sameSite = e < 0 ? "" : trim(parts[i].substring(e + 1));
            }
        }
        return required || (sameSite != null && asciiEqualsIgnoreCase(sameSite, "None"));
    }

    /** Whether a browser reading {@code header} sees a {@code Secure} attribute. */
    static boolean hasSecure(String header) {
        String[] parts = header.split(";", -1);
        for (int i = 1; i < parts.length; i++) {
            int e = parts[i].indexOf('=');
            if (asciiEqualsIgnoreCase(trim(e < 0 ? parts[i] : parts[i].substring(0, e)), "Secure")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The name and value a browser stores for {@code header} (RFC 6265 section 5.2, without the
     * 6265bis nameless cookie), or null when it stores nothing.
     */
    static List<String> browserNameAndValue(String header) {
        for (int i = 0; i < header.length(); i++) {
            if (isControl(header.charAt(i))) {
                return null;
            }
        }
        int semi = header.indexOf(';');
        String pair = semi < 0 ? header : header.substring(0, semi);
        int eq = pair.indexOf('=');
        if (eq < 0) {
            return null;
        }
        String name = trimWsp(pair.substring(0, eq));
        return name.isEmpty() ? null : List.of(name, trimWsp(pair.substring(eq + 1)));
    }

    private static String trimWsp(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
            b--;
        }
        return s.substring(a, b);
    }

    private static String show(String s) {
        return io.gatehouse.internal.Text.quote(s);
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> anyHeader() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars(" \t;=\"\\,aA_-sSnNpP\r\n\u0000\u007f\u00a0\u3000\u017f\u0131\u212a").ofMaxLength(24),
                structured());
    }

    private static Arbitrary<String> structured() {
        Arbitrary<String> blank = Arbitraries.of("", " ", "  ", "\t", " \t ", "\r\n", "\n", "\u0000", "\u007f", "\u3000");
        Arbitrary<String> name = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcXYZ_-019!#$ \"@{}\u00e9").ofMaxLength(8),
                Arbitraries.of("sessionid", "JSESSIONID", "SESSION", "XSRF-TOKEN", "csrftoken", "__Host-x", "__Secure-y",
                        "__host-z", "__SECURE-", "__Host", "__\u017fecure-x", "a b", "", "\"q\""));
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().withChars("abc123=%!\"/,\\ \t{}\u00e9\u20ac").ofMaxLength(10),
                Arbitraries.of("\"q\"", "", "a b", "\"a b\"", "x\\y", "\"", "=", "\r\nSet-Cookie: x=1"));
        Arbitrary<String> attribute = Arbitraries.oneOf(
                Arbitraries.of("Secure", "secure", " SECURE ", "Secure=", "Secure=no", "\u017fecure", "Sec ure",
                        "HttpOnly", "Partitioned", " partitioned", "Part\u0131tioned", "Path=/", "Path=/a b",
                        "Domain=example.com", "SameSite=None", "samesite = none", "SameSite=Lax", "SameSite=Strict",
                        "SameSite", "Max-Age=0", "Expires=Wed, 21 Oct 2037 07:28:00 GMT", "Foo", "=x", "=", ""),
                Arbitraries.strings().withChars("ab=; \t\r\n").ofMaxLength(6));
        Arbitrary<String> pair = Combinators.combine(blank, name, Arbitraries.of("=", "=", "=", "", " = "), value, blank)
                .as((b1, n, eq, v, b2) -> b1 + n + eq + v + b2);
        return Combinators.combine(pair, attribute.list().ofMaxSize(5), Arbitraries.of("; ", ";", " ;  ", ";\t"))
                .as((p, attributes, sep) -> {
                    StringBuilder sb = new StringBuilder(p);
                    for (String a : attributes) {
                        sb.append(sep).append(a);
                    }
                    return sb.toString();
                });
    }

}
