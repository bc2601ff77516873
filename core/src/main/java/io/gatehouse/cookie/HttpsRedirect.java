package io.gatehouse.cookie;

import io.gatehouse.internal.Paths;
import io.gatehouse.internal.http.Hosts;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The http to https redirect that secure cookies imply (SPEC sections 5 and 9): when
 * {@code SECURE_COOKIES} is on and {@code DISABLE_SECURE_SSL_REDIRECT} is not, a plain-http request
 * is answered {@code 301} (GET, HEAD) or {@code 308} (others, which keeps the method and body) with
 * {@code Location: https://<Host><path>}, except {@code /_health} and the CSP report path (browsers
 * do not follow redirects for reports). The {@code Host} header must be a valid {@code host[:port]},
 * else the answer is 400, so the redirect can neither inject a header nor point at another host.
 * When secure cookies are on and a request arrives over http, a warning is logged once.
 */
public final class HttpsRedirect {
    private static final System.Logger LOG = System.getLogger(HttpsRedirect.class.getName());

    /** What to do with a request. */
    public sealed interface Decision permits Proceed, Redirect, BadHost {
    }

    /** Let the request through. */
    public record Proceed() implements Decision {
    }

    /** Answer {@code status} with {@code Location: location} and no body. */
    public record Redirect(int status, String location) implements Decision {
    }

    /** Answer 400: the {@code Host} header is not a valid host[:port]. */
    public record BadHost() implements Decision {
    }

    private static final Proceed PROCEED = new Proceed();
    private static final BadHost BAD_HOST = new BadHost();

    private final boolean secureCookies;
    private final boolean enabled;
    private final String reportPath;
    private final Consumer<String> reporter;
    private final AtomicBoolean warned = new AtomicBoolean();

    private HttpsRedirect(boolean secureCookies, boolean disabled, String reportPath, Consumer<String> reporter) {
        this.secureCookies = secureCookies;
        this.enabled = secureCookies && !disabled;
        this.reportPath = reportPath;
        this.reporter = reporter;
    }

    /**
     * @param secureCookies {@code SECURE_COOKIES} resolved
     * @param disabled {@code DISABLE_SECURE_SSL_REDIRECT}
     * @param reportPath the CSP endpoint path without a trailing slash (exempt, with and without it)
     */
    public static HttpsRedirect of(boolean secureCookies, boolean disabled, String reportPath) {
        return of(secureCookies, disabled, reportPath, m -> LOG.log(System.Logger.Level.WARNING, m));
    }

    /** As {@link #of(boolean, boolean, String)}, with the once-only warning sent to {@code reporter}. */
    public static HttpsRedirect of(boolean secureCookies, boolean disabled, String reportPath, Consumer<String> reporter) {
        return new HttpsRedirect(secureCookies, disabled, reportPath, reporter);
    }

    /** Whether any request can be redirected. */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Decides for one request.
     *
     * @param method the request method
     * @param host the {@code Host} header (or the authority of an HTTP/2 request), may be null
     * @param path the request path, starting with {@code /}
     * @param query the raw query string without {@code ?}, or null
     * @param https whether the request reached the client over https (see ClientIpResolver.isHttps)
     */
    public Decision decide(String method, String host, String path, String query, boolean https) {
        if (https) {
            return PROCEED;
        }
        if (secureCookies && warned.compareAndSet(false, true)) {
            reporter.accept("SECURE_COOKIES is on but a request arrived over plain http: browsers drop Secure cookies"
                    + " on http, so logins will fail. Serve https, or behind a TLS proxy set IS_BEHIND_PROXY and"
                    + " TRUSTED_PROXIES so X-Forwarded-Proto is honoured.");
        }
        if (!enabled || isExempt(path)) {
            return PROCEED;
        }
        if (host == null || !Hosts.isHostAndPort(host)) {
            return BAD_HOST;
        }
        String p = path == null || path.isEmpty() || path.charAt(0) != '/' || hasControl(path) ? "/" : path;
        String q = query == null || query.isEmpty() || hasControl(query) ? "" : "?" + query;
        boolean safe = "GET".equals(method) || "HEAD".equals(method);
        return new Redirect(safe ? 301 : 308, "https://" + host + p + q);
    }

    private boolean isExempt(String path) {
        if (path == null) {
            return false;
        }
        return path.equals("/_health") || (path.startsWith("/_health/") && Paths.isNormalised(path))
                || path.equals(reportPath) || path.equals(reportPath + "/");
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f || c > 0x7e) {
                return true;
            }
        }
        return false;
    }
}
