package io.gatehouse.config;

import io.gatehouse.csp.ReportBody;
import io.gatehouse.http.Response;
import io.gatehouse.internal.http.Hosts;
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

        /**
         * The absolute URL a redirect to {@code location} must name, as the client sees the request:
         * a reference without a scheme ({@code /x}, {@code x}, {@code ../x?q}, {@code //host/x}) is
         * resolved (RFC 3986 section 5.2) against {@link #url url(fallbackHost, requestPath)}, so it
         * carries the resolved scheme, host and port, never the connection's. {@code requestPath} is
         * the raw path the client asked for (e.g. a servlet's {@code getRequestURI()}). A location
         * with a scheme, a null one, or one for a request without a valid host is returned as it is.
         */
        public String location(String location, String fallbackHost, String requestPath) {
            String h = host() == null ? fallbackHost : host();
            if (location == null || hasScheme(location) || h == null
                    || !Hosts.isHostAndPort(authority != null && host() != null ? authority : h)) {
                return location;
            }
            if (location.startsWith("//")) {
                return scheme() + ":" + location;
            }
            String origin = url(h, "");
            if (location.startsWith("/")) {
                return origin + removeDotSegments(location);
            }
            String base = requestPath == null || requestPath.isEmpty() ? "/" : requestPath;
            if (location.isEmpty() || location.startsWith("?") || location.startsWith("#")) {
                return origin + base + location;
            }
            return origin + removeDotSegments(base.substring(0, base.lastIndexOf('/') + 1) + location);
        }

        /** RFC 3986 section 3.1: {@code ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"} before any '/', '?' or '#'. */
        private static boolean hasScheme(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ':') {
                    return i > 0;
                }
                boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                    return false;
                }
            }
            return false;
        }

        /** RFC 3986 section 5.2.4 on the path of {@code ref} (up to '?' or '#'), which starts with '/'. */
        private static String removeDotSegments(String ref) {
            int end = ref.length();
            for (int i = 0; i < ref.length(); i++) {
                if (ref.charAt(i) == '?' || ref.charAt(i) == '#') {
                    end = i;
                    break;
                }
            }
            String path = ref.substring(0, end);
            if (!path.contains("/.")) {
                return ref;
            }
            java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
            String[] segments = path.substring(1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                String seg = segments[i];
                boolean last = i == segments.length - 1;
                if (seg.equals("..")) {
                    out.pollLast();
                    if (last) {
                        out.addLast("");
                    }
                } else if (seg.equals(".")) {
                    if (last) {
                        out.addLast("");
                    }
                } else {
                    out.addLast(seg);
                }
            }
            return "/" + String.join("/", out) + ref.substring(end);
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
