package io.gatehouse.config;

import io.gatehouse.csp.ReportBody;
import io.gatehouse.http.Response;
import io.gatehouse.proxy.ClientIp;
import java.util.Objects;

/**
 * What {@link Gatehouse#decide} says about a request: hand it to the application, answer it now, or
 * read a CSP report body. Read with {@code instanceof} patterns.
 */
public sealed interface Outcome permits Outcome.Proceed, Outcome.Answer, Outcome.ReadReport {
    /** The resolved client. */
    ClientIp client();

    /** Whether the request reached the client over https (the connection, or a trusted proxy's word). */
    boolean https();

    /**
     * Hand the request to the application, telling it the resolved client, scheme, host and port
     * (what {@code getRemoteAddr}, {@code isSecure}, {@code getScheme}, {@code getServerName} and
     * {@code getServerPort} must say); decorate its response with {@link Gatehouse#decorate}.
     *
     * @param authority the request's {@code Host} header (host and optional port), or null
     */
    record Proceed(ClientIp client, boolean https, String authority) implements Outcome {
        public Proceed {
            Objects.requireNonNull(client, "client");
        }

        /** {@code https} or {@code http}. */
        public String scheme() {
            return https ? "https" : "http";
        }

        /** The client's address in canonical text, or null when unresolved. */
        public String clientAddress() {
            return client instanceof ClientIp.Resolved r ? r.address().toString() : null;
        }

        /**
         * The URL the client asked for: scheme, {@link #host}, the port unless the scheme's default,
         * and {@code rawPath} (e.g. a servlet's {@code getRequestURI()}); {@code fallbackHost} when the
         * request named none.
         */
        public String url(String fallbackHost, String rawPath) {
            String h = host() == null ? fallbackHost : host();
            int p = port();
            return scheme() + "://" + h + (p == (https ? 443 : 80) ? "" : ":" + p) + rawPath;
        }

        /** The host of {@link #authority} (an IPv6 literal keeps its brackets), or null. */
        public String host() {
            if (authority == null || authority.isEmpty()) {
                return null;
            }
            int colon = portColon(authority);
            return colon < 0 ? authority : authority.substring(0, colon);
        }

        /** The port of {@link #authority}, or the scheme's default (443 or 80) when it names none. */
        public int port() {
            int colon = authority == null ? -1 : portColon(authority);
            if (colon >= 0) {
                try {
                    int p = Integer.parseInt(authority.substring(colon + 1));
                    if (p > 0 && p <= 65535) {
                        return p;
                    }
                } catch (NumberFormatException e) {
                    // not a port: the default below
                }
            }
            return https ? 443 : 80;
        }

        private static int portColon(String authority) {
            int colon = authority.lastIndexOf(':');
            return colon > authority.lastIndexOf(']') ? colon : -1;
        }
    }

    /** Write {@code response} now; the application does not run. */
    record Answer(ClientIp client, boolean https, Response response) implements Outcome {
        public Answer {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The request is a CSP report: feed its body to {@code body} as it arrives and write the answer
     * {@code body} gives (the application does not run).
     */
    record ReadReport(ClientIp client, boolean https, ReportBody body) implements Outcome {
        public ReadReport {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(body, "body");
        }
    }
}
