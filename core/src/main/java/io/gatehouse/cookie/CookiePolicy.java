package io.gatehouse.cookie;

import io.gatehouse.internal.Text;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Rewrites every {@code Set-Cookie} the application sends (SPEC section 5):
 *
 * <ul>
 *   <li>{@code SECURE_COOKIES}: add {@code Secure}.</li>
 *   <li>Always: a {@code __Secure-} or {@code __Host-} name, {@code SameSite=None} or
 *       {@code Partitioned} needs {@code Secure} (browsers reject the cookie otherwise), so it is added.</li>
 *   <li>{@code __Host-}: also {@code Path=/} and no {@code Domain}; a cookie breaking that is
 *       repaired and reported once by name.</li>
 *   <li>Session cookies get {@code HttpOnly} and {@code SameSite=Lax} when they set neither; CSRF
 *       cookies get {@code SameSite=Lax} (and stay readable by scripts), as PostHog's Django does.</li>
 * </ul>
 *
 * <p>A header that does not parse is passed through unchanged and reported once: never dropped.
 * Thread-safe.
 */
public final class CookiePolicy {
    /** Django's default session cookie name, which PostHog keeps. */
    public static final Set<String> DEFAULT_SESSION_COOKIES = Set.of("sessionid");
    /** PostHog's CSRF cookie name, and Django's default. */
    public static final Set<String> DEFAULT_CSRF_COOKIES = Set.of("posthog_csrftoken", "csrftoken");

    private static final System.Logger LOG = System.getLogger(CookiePolicy.class.getName());
    private static final int MAX_REMEMBERED = 1024;

    private final boolean secure;
    private final Set<String> sessionCookies;
    private final Set<String> csrfCookies;
    private final Consumer<String> reporter;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private CookiePolicy(Builder b) {
        this.secure = b.secureCookies;
        this.sessionCookies = Set.copyOf(b.sessionCookies);
        this.csrfCookies = Set.copyOf(b.csrfCookies);
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

    /** The rewritten header value; {@code header} itself when nothing changes or it does not parse. */
    public String apply(String header) {
        var parsed = SetCookie.parse(header);
        if (parsed.isEmpty()) {
            reportOnce("unparsable:" + Text.quote(header), "Set-Cookie header " + Text.quote(header)
                    + " does not parse; passed through unchanged");
            return header;
        }
        SetCookie in = parsed.get();
        SetCookie out = apply(in);
        return out == in ? header : out.toString();
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
                      Consumer<String> setFlag, BiConsumer<String, String> setAttribute) {
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
        String lowerName = c.name().toLowerCase(Locale.ROOT);
        boolean host = lowerName.startsWith("__host-");
        boolean needsSecure = secure || host || lowerName.startsWith("__secure-") || c.sameSiteNone()
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

        /** Names of session cookies: HttpOnly and SameSite=Lax by default (default {@code sessionid}). */
        public Builder sessionCookies(Set<String> names) {
            this.sessionCookies = Set.copyOf(names);
            return this;
        }

        /** Names of CSRF cookies: SameSite=Lax by default (default {@code posthog_csrftoken}, {@code csrftoken}). */
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
