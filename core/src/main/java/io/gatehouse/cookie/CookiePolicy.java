package io.gatehouse.cookie;

import io.gatehouse.internal.Text;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *       cookies get {@code SameSite=Lax} (and stay readable by scripts), as PostHog's Django does.
 *       Names are matched exactly: cookie names are case-sensitive.</li>
 * </ul>
 *
 * <p>A header that does not parse is passed through unchanged and reported once: never dropped.
 * Thread-safe.
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
