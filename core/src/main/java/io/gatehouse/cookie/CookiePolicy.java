package io.gatehouse.cookie;

import io.gatehouse.internal.Text;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Rewrites every {@code Set-Cookie} the application sends:
 *
 * <ul>
 *   <li>{@code SECURE_COOKIES}: add {@code Secure}.</li>
 *   <li>Always: a {@code __Secure-} or {@code __Host-} name, {@code SameSite=None} or
 *       {@code Partitioned} needs {@code Secure} (browsers reject the cookie otherwise), so it is added.</li>
 *   <li>{@code __Host-}: also {@code Path=/} and no {@code Domain}; a cookie breaking that is
 *       repaired and reported once by name.</li>
 *   <li>Session cookies get {@code HttpOnly} and {@code SameSite=Lax} when they set neither; CSRF
 *       cookies get {@code SameSite=Lax} (and stay readable by scripts), as PostHog's Django does.
 *       Names are matched exactly: cookie names are case-sensitive.</li>
 * </ul>
 *
 * <p>A header is read as a browser reads it ({@link SetCookie#parse}), so every cookie a browser
 * would store, whatever its value holds (spaces, quotes), is rewritten, its value kept byte for
 * byte. A header that is not a cookie at all is never dropped, and never leaves without the
 * {@code Secure} the policy requires; see {@link #apply(String)}. Thread-safe.
 */
public final class CookiePolicy {
    /**
     * The default session cookie names: {@code sessionid} (Django's, which PostHog keeps),
     * {@code JSESSIONID} (Servlet containers) and {@code SESSION} (Spring Session).
     */
    public static final Set<String> DEFAULT_SESSION_COOKIES = Set.of("sessionid", "JSESSIONID", "SESSION");
    /**
     * The default CSRF cookie names: {@code posthog_csrftoken} (PostHog's), {@code csrftoken}
     * (Django's default) and {@code XSRF-TOKEN} (Spring Security's cookie token repository, read
     * by scripts, so never made HttpOnly).
     */
    public static final Set<String> DEFAULT_CSRF_COOKIES = Set.of("posthog_csrftoken", "csrftoken", "XSRF-TOKEN");

    private static final System.Logger LOG = System.getLogger(CookiePolicy.class.getName());
    private static final int MAX_REMEMBERED = 1024;

    private final boolean secure;
    private final Set<String> sessionCookies;
    private final Set<String> csrfCookies;
    private final String[] sessionNames;
    private final String[] csrfNames;
    private final Consumer<String> reporter;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private CookiePolicy(Builder b) {
        this.secure = b.secureCookies;
        this.sessionCookies = Set.copyOf(b.sessionCookies);
        this.csrfCookies = Set.copyOf(b.csrfCookies);
        this.sessionNames = sessionCookies.toArray(new String[0]);
        this.csrfNames = csrfCookies.toArray(new String[0]);
        this.reporter = b.reporter;
    }

    /** A builder: secure cookies on, the default session and CSRF cookie names. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code Secure} is added to every cookie. */
    public boolean secureCookies() {
        return secure;
    }

    /**
     * The header value to send instead of {@code header}; {@code header} itself when nothing
     * changes. Never throws; null only for null.
     *
     * <ol>
     *   <li>A control character other than a tab (U+0000 to U+0008, U+000A to U+001F, U+007F) can
     *       never leave: a CR or LF would split the response. Each becomes a space, as Tomcat does
     *       when it writes a header, and what follows applies to the result. (A browser ignores
     *       a header with such a character; after the replacement it may store it, Secure.)</li>
     *   <li>A header {@link SetCookie#parse} reads, which is every cookie a browser would store, is
     *       rewritten by {@link #apply(SetCookie)} and serialised; its name and value are kept byte
     *       for byte.</li>
     *   <li>A header that cannot be parsed at all, because it has no {@code =} before its first
     *       {@code ;} or only spaces and tabs before that {@code =} (no name), is no cookie to
     *       rewrite, and a browser ignores it. It is never dropped, and never passed through without
     *       the {@code Secure} the policy requires: {@code "; Secure"} is appended to it, and nothing
     *       else changed, when secure cookies are on or when, read leniently, it asks for Secure
     *       itself (its first {@code ;}-separated part starts with {@code __Secure-} or
     *       {@code __Host-}, another part is {@code Partitioned}, or the last {@code SameSite} part
     *       is {@code None}); unless a part after the first already names {@code Secure}. Parts are
     *       trimmed of spaces and tabs and compared ASCII case-insensitively. Such a header is
     *       reported once per name (its first part up to any {@code =}).</li>
     * </ol>
     *
     * <p>The output therefore never holds a control character other than a tab, carries a
     * {@code Secure} attribute whenever the policy requires one, and is a fixed point:
     * {@code apply(apply(h)).equals(apply(h))}.
     */
    public @Nullable String apply(@Nullable String header) {
        if (header == null) {
            return null;
        }
        String appended = appendOnly(header);
        return appended != null ? appended : applyParsed(header);
    }

    /** Suffixes of {@link #appendOnly} by bit: 1 Secure, 2 HttpOnly, 4 SameSite=Lax, in the order {@link #apply(SetCookie)} adds them. */
    private static final String[] SUFFIXES = {"", "; Secure", "; HttpOnly", "; Secure; HttpOnly", "; SameSite=Lax",
        "; Secure; SameSite=Lax", "; HttpOnly; SameSite=Lax", "; Secure; HttpOnly; SameSite=Lax"};

    /**
     * {@link #applyParsed}'s answer for a header already written as {@link SetCookie#toString()}
     * writes one ({@code name=value; Attr=val; Flag}: no space around a name, value or {@code =},
     * one space after each {@code ;}, no empty part, no control character) whose rewrite only
     * appends attributes (any cookie but a {@code __Host-} one), read in one pass without building
     * the cookie; null for any other header, which takes the general path. Most applications write
     * their cookies in exactly that form, so a rewrite costs one string.
     */
    @Nullable String appendOnly(String h) {
        int n = h.length();
        if (n == 0 || Text.isOws(h.charAt(0)) || Text.isOws(h.charAt(n - 1)) || SetCookie.indexOfControl(h) >= 0) {
            return null;
        }
        int semi = h.indexOf(';');
        int pairEnd = semi < 0 ? n : semi;
        int eq = h.indexOf('=');
        if (eq <= 0 || eq > pairEnd || Text.isOws(h.charAt(eq - 1))
                || (eq + 1 < pairEnd && (Text.isOws(h.charAt(eq + 1)) || Text.isOws(h.charAt(pairEnd - 1))))) {
            return null;
        }
        if (startsWithIgnoreCase(h, 0, eq, "__host-")) {
            return null; // may need Path and Domain repaired in place
        }
        boolean hasSecure = false;
        boolean hasHttpOnly = false;
        boolean hasSameSite = false;
        boolean sameSiteNone = false;
        boolean partitioned = false;
        for (int i = pairEnd; i < n; ) {
            // h[i] is ';': then one space and an attribute that starts and ends with neither space nor ';'
            if (i + 2 >= n || h.charAt(i + 1) != ' ' || Text.isOws(h.charAt(i + 2)) || h.charAt(i + 2) == ';') {
                return null;
            }
            int a = i + 2;
            int end = h.indexOf(';', a);
            if (end < 0) {
                end = n;
            }
            if (Text.isOws(h.charAt(end - 1))) {
                return null;
            }
            int e = SetCookie.indexOf(h, '=', a, end);
            if (e == a || (e > a && (Text.isOws(h.charAt(e - 1)) || (e + 1 < end && Text.isOws(h.charAt(e + 1)))))) {
                return null;
            }
            int nameEnd = e < 0 ? end : e;
            if (isName(h, a, nameEnd, "secure")) {
                hasSecure = true;
            } else if (isName(h, a, nameEnd, "httponly")) {
                hasHttpOnly = true;
            } else if (isName(h, a, nameEnd, "samesite")) {
                hasSameSite = true;
                sameSiteNone = e >= 0 && isName(h, e + 1, end, "none"); // the last one counts
            } else if (isName(h, a, nameEnd, "partitioned")) {
                partitioned = true;
            }
            i = end;
        }
        boolean needsSecure = secure || startsWithIgnoreCase(h, 0, eq, "__secure-") || sameSiteNone || partitioned;
        int add = needsSecure && !hasSecure ? 1 : 0;
        if (isOneOf(h, eq, sessionNames)) {
            add |= (hasHttpOnly ? 0 : 2) | (hasSameSite ? 0 : 4);
        } else if (isOneOf(h, eq, csrfNames)) {
            add |= hasSameSite ? 0 : 4;
        }
        return add == 0 ? h : h + SUFFIXES[add];
    }

    /** Whether {@code h[from, to)} is {@code lower} (lower-case ASCII) but for the case of ASCII letters. */
    private static boolean isName(String h, int from, int to, String lower) {
        return to - from == lower.length() && startsWithIgnoreCase(h, from, to, lower);
    }

    private static boolean startsWithIgnoreCase(String h, int from, int to, String lower) {
        return to - from >= lower.length() && h.regionMatches(true, from, lower, 0, lower.length())
                && asciiOnly(h, from, from + lower.length());
    }

    /** No Unicode case folding: {@code regionMatches(true, ...)} also matches non-ASCII letters (the Kelvin sign as k). */
    private static boolean asciiOnly(String h, int from, int to) {
        for (int i = from; i < to; i++) {
            if (h.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Whether the cookie name {@code h[0, length)} is one of {@code names} (exactly: names are case-sensitive). */
    private static boolean isOneOf(String h, int length, String[] names) {
        for (String name : names) {
            if (name.length() == length && h.startsWith(name)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #apply(String)} through {@link SetCookie#parse}: every header. */
    String applyParsed(String header) {
        String h = header;
        boolean control = SetCookie.indexOfControl(header) >= 0;
        if (control) {
            char[] chars = header.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                if (SetCookie.isControl(chars[i])) {
                    chars[i] = ' ';
                }
            }
            h = new String(chars);
        }
        var parsed = SetCookie.parse(h);
        if (parsed.isEmpty()) {
            String out = requiresSecureUnparsed(h) ? h + "; Secure" : h;
            reportOnce("unparsable:" + Text.quote(unparsedName(h)), "Set-Cookie header " + Text.quote(header)
                    + (control ? " holds control characters (each sent as a space) and" : "")
                    + " does not parse as name=value (no '=' before the first ';', or an empty name); sent "
                    + (out == h ? "without other change" : "with Secure appended"));
            return out;
        }
        SetCookie in = parsed.get();
        if (control) {
            reportOnce("control:" + Text.quote(in.name()), "Set-Cookie header " + Text.quote(header)
                    + " holds control characters, which no browser accepts and which could split the response;"
                    + " each was sent as a space");
        }
        SetCookie out = apply(in);
        return out == in ? h : out.toString();
    }

    /** The first {@code ;}-separated part of an unparsable header up to any {@code =}, trimmed: its name, in effect. */
    private static String unparsedName(String h) {
        int semi = h.indexOf(';');
        int end = semi < 0 ? h.length() : semi;
        int eq = h.indexOf('=');
        if (eq >= 0 && eq < end) {
            end = eq;
        }
        int start = Text.trimOwsStart(h, 0, end);
        return h.substring(start, Text.trimOwsEnd(h, start, end));
    }

    /**
     * Whether an unparsable header {@code h} (no control characters) must have {@code "; Secure"}
     * appended: the policy requires Secure (read leniently, as in {@link #apply(String)}) and no
     * part after the first names {@code Secure}.
     */
    private boolean requiresSecureUnparsed(String h) {
        int n = h.length();
        int semi = h.indexOf(';');
        int firstEnd = semi < 0 ? n : semi;
        int firstStart = Text.trimOwsStart(h, 0, firstEnd);
        String first = h.substring(firstStart, firstEnd);
        boolean required = secure || SetCookie.startsWithAsciiIgnoreCase(first, "__secure-")
                || SetCookie.startsWithAsciiIgnoreCase(first, "__host-");
        boolean sameSiteNone = false;
        for (int start = firstEnd + 1; start <= n; ) {
            int end = h.indexOf(';', start);
            if (end < 0) {
                end = n;
            }
            int eq = SetCookie.indexOf(h, '=', start, end);
            int nameEnd = eq < 0 ? end : eq;
            int a = Text.trimOwsStart(h, start, nameEnd);
            String name = h.substring(a, Text.trimOwsEnd(h, a, nameEnd));
            if (SetCookie.equalsAsciiIgnoreCase(name, "Secure")) {
                return false;
            } else if (SetCookie.equalsAsciiIgnoreCase(name, "Partitioned")) {
                required = true;
            } else if (SetCookie.equalsAsciiIgnoreCase(name, "SameSite")) {
                int vs = nameEnd == end ? end : Text.trimOwsStart(h, nameEnd + 1, end);
                sameSiteNone = SetCookie.equalsAsciiIgnoreCase(h.substring(vs, Text.trimOwsEnd(h, vs, end)), "none");
            }
            start = end + 1;
        }
        return required || sameSiteNone;
    }

    /**
     * Applies the policy to a cookie a server holds as attributes until it writes it: a
     * {@code jakarta.servlet.http.Cookie} or a {@code SessionCookieConfig} ({@code getAttributes()}).
     * {@code secure} and {@code httpOnly} say whether those flags are set (their typed getters: how
     * the attribute map spells them changed in Servlet 6.1, so its {@code Secure} and {@code HttpOnly}
     * entries are not read); {@code Partitioned} counts as set unless absent or {@code "false"}.
     * Calls {@code setFlag} with each flag the policy sets ({@code Secure}, {@code HttpOnly}) and
     * {@code setAttribute} with each other attribute it sets, changes, or removes (a null value);
     * nothing when the cookie already complies. A name that is not a cookie token gets
     * {@code Secure} when the policy adds it to every cookie, and nothing else.
     */
    public void apply(String name, Map<String, String> attributes, boolean secure, boolean httpOnly,
                      Consumer<String> setFlag, BiConsumer<String, @Nullable String> setAttribute) {
        SetCookie in;
        try {
            in = SetCookie.of(name, "");
        } catch (IllegalArgumentException notAToken) {
            if (this.secure && !secure) {
                setFlag.accept("Secure");
            }
            return;
        }
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            String key = a.getKey();
            String value = a.getValue();
            if (key.equalsIgnoreCase("Partitioned")) {
                if (value != null && !value.equalsIgnoreCase("false")) {
                    in = in.with(key, null);
                }
            } else if (value != null && !key.equalsIgnoreCase("Secure") && !key.equalsIgnoreCase("HttpOnly")) {
                in = in.with(key, value);
            }
        }
        in = secure ? in.with("Secure", null) : in;
        in = httpOnly ? in.with("HttpOnly", null) : in;
        SetCookie out = apply(in);
        if (out == in) {
            return;
        }
        for (SetCookie.Attribute a : out.attributes()) {
            Optional<String> before = in.attribute(a.name());
            if (a.value() == null && before.isEmpty()) {
                setFlag.accept(a.name());
            } else if (a.value() != null && !before.equals(Optional.of(a.value()))) {
                setAttribute.accept(a.name(), a.value());
            }
        }
        for (SetCookie.Attribute a : in.attributes()) {
            if (!out.has(a.name())) {
                setAttribute.accept(a.name(), null);
            }
        }
    }

    /** The rewritten cookie; {@code cookie} itself when nothing changes. */
    public SetCookie apply(SetCookie cookie) {
        SetCookie c = cookie;
        boolean host = SetCookie.startsWithAsciiIgnoreCase(c.name(), "__host-");
        boolean needsSecure = secure || host || SetCookie.startsWithAsciiIgnoreCase(c.name(), "__secure-") || c.sameSiteNone()
                || c.has("Partitioned");
        if (needsSecure && !c.has("Secure")) {
            c = c.with("Secure", null);
        }
        if (host) {
            boolean badPath = !c.attribute("Path").map("/"::equals).orElse(false);
            boolean domain = c.has("Domain");
            if (badPath || domain) {
                reportOnce("host:" + c.name(), "cookie " + Text.quote(c.name()) + " breaks the __Host- rules ("
                        + (domain ? "has Domain" : "") + (domain && badPath ? ", " : "")
                        + (badPath ? "Path is not /" : "") + "); repaired to Path=/ without Domain");
                c = c.without("Domain").with("Path", "/");
            }
        }
        if (sessionCookies.contains(c.name())) {
            if (!c.has("HttpOnly")) {
                c = c.with("HttpOnly", null);
            }
            if (!c.has("SameSite")) {
                c = c.with("SameSite", "Lax");
            }
        } else if (csrfCookies.contains(c.name()) && !c.has("SameSite")) {
            c = c.with("SameSite", "Lax");
        }
        return c.equals(cookie) ? cookie : c;
    }

    private void reportOnce(String key, String message) {
        if (reported.size() < MAX_REMEMBERED && reported.add(key)) {
            reporter.accept(message);
        }
    }

    @Override
    public String toString() {
        return "CookiePolicy{secureCookies=" + secure + ", session=" + sessionCookies + ", csrf=" + csrfCookies + "}";
    }

    /** Builds a {@link CookiePolicy}. */
    public static final class Builder {
        private boolean secureCookies = true;
        private Set<String> sessionCookies = DEFAULT_SESSION_COOKIES;
        private Set<String> csrfCookies = DEFAULT_CSRF_COOKIES;
        private Consumer<String> reporter = m -> LOG.log(System.Logger.Level.WARNING, m);

        private Builder() {
        }

        /** {@code SECURE_COOKIES}: add {@code Secure} to every cookie (default true). */
        public Builder secureCookies(boolean secureCookies) {
            this.secureCookies = secureCookies;
            return this;
        }

        /**
         * Names of session cookies, matched exactly: HttpOnly and SameSite=Lax unless they say
         * otherwise (default {@link #DEFAULT_SESSION_COOKIES}: {@code sessionid}, {@code JSESSIONID},
         * {@code SESSION}).
         */
        public Builder sessionCookies(Set<String> names) {
            this.sessionCookies = Set.copyOf(names);
            return this;
        }

        /**
         * Names of CSRF cookies, matched exactly: SameSite=Lax unless they say otherwise, never made
         * HttpOnly (default {@link #DEFAULT_CSRF_COOKIES}: {@code posthog_csrftoken}, {@code csrftoken},
         * {@code XSRF-TOKEN}).
         */
        public Builder csrfCookies(Set<String> names) {
            this.csrfCookies = Set.copyOf(names);
            return this;
        }

        /** Where once-only reports go (default: a WARNING on the {@code System.Logger} of this class). */
        public Builder reporter(Consumer<String> reporter) {
            this.reporter = java.util.Objects.requireNonNull(reporter, "reporter");
            return this;
        }

        /** The policy. */
        public CookiePolicy build() {
            return new CookiePolicy(this);
        }
    }
}
