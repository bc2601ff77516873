package io.gatehouse.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.cookie.SetCookie;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cases every adapter must pass, over real sockets against a real server on 127.0.0.1:0.
 * An adapter's test extends this class and starts its server with Gatehouse in front of the
 * conformance application:
 *
 * <ul>
 *   <li>{@code GET /app}: 200 {@code app}, and one {@link App#sideEffects} increment;</li>
 *   <li>{@code GET /whoami}: 200 {@code <client ip> <http|https>} (the adapter's view of the client);</li>
 *   <li>{@code GET /cookies}: 200, setting {@code sessionid=abc; Path=/} through the framework's own
 *       cookie API and {@code theme=dark} as a raw {@code Set-Cookie} header;</li>
 *   <li>{@code GET /_health}: 200 {@code ok};</li>
 *   <li>{@code GET /slow}: 200 {@code slow}, answered 200 ms later (off the request's thread where the
 *       server allows it);</li>
 *   <li>the CSP endpoint at {@code /report/} (Gatehouse's own), everything else 404.</li>
 * </ul>
 *
 * <p>And a route per way an application sets a cookie or reads the request (on a framework without
 * such a way, the route does the nearest thing the framework offers). "Framework cookie" means the
 * framework's own cookie API ({@code addCookie}, Netty's encoder), "raw" a {@code Set-Cookie} header
 * the application writes itself:
 *
 * <ul>
 *   <li>{@code GET /cookie/header}: raw {@code gone=0} (added), then {@code s=1} (set, replacing it)
 *       and {@code h=2; Path=/} (added); 200;</li>
 *   <li>{@code GET /cookie/after-write}: writes {@code body }, then framework cookie {@code w=1} and raw
 *       {@code v=2}, then writes {@code more}; 200 {@code body more};</li>
 *   <li>{@code GET /cookie/redirect/<form>}: framework cookie {@code r=1} and raw {@code q=2}, then a
 *       redirect: {@code plain} {@code sendRedirect("/app")} (302), {@code keep-buffer}
 *       {@code sendRedirect("/app", false)} (302), {@code 301} {@code sendRedirect("/app", 301)},
 *       {@code 303} {@code sendRedirect("/app", 303, true)}, {@code relative}
 *       {@code sendRedirect("app?x=1")} (302), each resolved to an absolute URL as the client sees the
 *       request;</li>
 *   <li>{@code GET /cookie/error}: framework cookie {@code e=1} and raw {@code f=2}, then
 *       {@code sendError(409)};</li>
 *   <li>{@code GET /async} and {@code GET /async-args}: processing handed to another thread
 *       ({@code startAsync()}, {@code startAsync(request, response)}), which sets framework cookie
 *       {@code y=1} and raw {@code z=2} and answers 200 {@code <client ip> <http|https>} from the
 *       request the asynchronous context holds;</li>
 *   <li>{@code GET /session}: writes {@code session}, then creates a session (the server's own session
 *       cookie, {@code JSESSIONID}, {@code Path=/}); 200;</li>
 *   <li>{@code GET /session/change}: writes {@code changed}, then changes the id of the request's
 *       session ({@code changeSessionId()}); 200; 400 without a session;</li>
 *   <li>{@code GET /request}: 200 {@code secure=<isSecure> scheme=<getScheme> name=<getServerName>
 *       port=<getServerPort> url=<getRequestURL> addr=<getRemoteAddr> host=<getRemoteHost>
 *       remotePort=<getRemotePort>}.</li>
 * </ul>
 */
@Timeout(60)
public abstract class AdapterConformanceTest {

    /** The application behind Gatehouse: counts the requests that reached it. */
    public static final class App {
        /** Incremented by every {@code GET /app} that reaches the application. */
        public final AtomicInteger sideEffects = new AtomicInteger();
    }

    /** A running server. */
    public interface Server extends AutoCloseable {
        /** {@code http://127.0.0.1:<port>}. */
        URI base();

        /** Stops the server; never throws. */
        @Override
        void close();
    }

    /**
     * Where and how a server listens: {@code address} ({@code 127.0.0.1} or {@code ::1}) port 0,
     * speaking https with {@code tls} when it is not null.
     */
    public record Listen(String address, TestTls tls) {
        /** Plain http on 127.0.0.1. */
        public static final Listen DEFAULT = new Listen("127.0.0.1", null);

        /** The base URI for {@code port}. */
        public URI base(int port) {
            String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
            return URI.create((tls != null ? "https://" : "http://") + host + ":" + port);
        }
    }

    /**
     * Whether the adapter sees a request with both {@code Content-Length} and {@code Transfer-Encoding}
     * and so answers it 400. A servlet container that drops {@code Content-Length} before the filter
     * runs (Tomcat, as RFC 9112 section 6.3 allows) overrides this to say no: the kit then checks the
     * container's own defence, that such a connection is closed after one response and never reused.
     */
    protected boolean refusesContentLengthWithTransferEncoding() {
        return true;
    }

    /**
     * The status a server answers a request whose header section is too large with: 400, unless its
     * HTTP parser, before any filter, answers something more precise. Jetty answers 431 (RFC 6585).
     */
    protected int headerTooLargeStatus() {
        return 400;
    }

    /**
     * Whether the server lets the adapter answer a report body whose chunk size is not hexadecimal
     * (400). A server whose chunk decoder itself fails on it while the adapter reads, and closes the
     * connection there, overrides this to say no (Undertow): the kit then checks that the connection
     * is closed at once, and that nothing reached the application or became an event.
     */
    protected boolean answersBadChunkSize() {
        return true;
    }

    /**
     * Whether the server writes the {@code SameSite} attribute of a cookie set through its own cookie
     * API. Undertow 2.3 does not: it keeps a servlet {@code Cookie} apart from the headers until the
     * response commits and writes {@code SameSite} only when set through its own cookie type, so the
     * policy's {@code SameSite=Lax} for session cookies cannot reach such a cookie ({@code Secure} and
     * {@code HttpOnly} do). The kit then checks that this is still so.
     */
    protected boolean writesSameSiteOfFrameworkCookies() {
        return true;
    }

    /**
     * The {@code /cookie/redirect/<form>} forms the server offers the application: all of them, unless
     * its API lacks some. Servlet 6.0 (Jetty 12 ee10, Undertow 2.3) has only {@code sendRedirect(String)}:
     * the forms with a status or a buffer flag came with Servlet 6.1.
     */
    protected List<String> redirectForms() {
        return List.of("plain", "keep-buffer", "301", "303");
    }

    /**
     * Starts the adapter's server with {@code gatehouse} in front of {@code app}, as {@code listen}
     * says; its read timeout for headers, where the server has one of its own, is
     * {@code GATEHOUSE_READ_TIMEOUT_SECONDS} from {@code gatehouse.config()}.
     */
    protected abstract Server start(Gatehouse gatehouse, App app, Listen listen) throws Exception;

    /** Events the conformance servers' CSP endpoint accepted. */
    protected final List<CspEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final CspEventSink sink = CspEventSink.consuming(events::addAll);
    private final List<Server> servers = new ArrayList<>();
    protected final App app = new App();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopServers() {
        for (Server s : servers) {
            s.close();
        }
        servers.clear();
    }

    private URI serve(Map<String, String> env) throws Exception {
        return serve(env, null);
    }

    private URI serve(Map<String, String> env, ContentSecurityPolicy csp) throws Exception {
        return serve(env, csp, Listen.DEFAULT);
    }

    private URI serve(Map<String, String> env, ContentSecurityPolicy csp, Listen listen) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("TEST", "1");
        Gatehouse g = Gatehouse.builder(GatehouseConfig.fromEnvironment(e), sink).contentSecurityPolicy(csp).build();
        Server s = start(g, app, listen);
        servers.add(s);
        return s.base();
    }

    private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(URI base, String method, String path, String contentType, String body,
                                      String... headers) throws Exception {
        String[] all = headers;
        if (contentType != null) {
            all = java.util.Arrays.copyOf(headers, headers.length + 2);
            all[headers.length] = "Content-Type";
            all[headers.length + 1] = contentType;
        }
        return exchange(http, base, method, path, body, all);
    }

    /**
     * Sends {@code method path} with {@code body} (null: none) and the {@code name, value} pairs of
     * {@code headers} through {@code http}, with a 10 s timeout; the answer as text. For other tests
     * of an adapter's server.
     */
    public static HttpResponse<String> exchange(HttpClient http, URI base, String method, String path, String body,
                                                String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final String REPORT = "{\"csp-report\": {\"document-uri\": \"https://a.example/\", \"violated-directive\": \"img-src\"}}";

    @Test
    void posthogAllowListTableWithClientsFromATrustedProxy() throws Exception {
        URI base = serve(Map.of("ALLOWED_IP_BLOCKS", "192.168.0.0/31,127.0.0.0/25,128.0.0.1",
                "IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1"));
        Map<String, Integer> table = Map.of("192.168.0.1", 200, "127.0.0.1", 200, "127.0.0.100", 200, "128.0.0.1", 200,
                "10.0.0.1", 403, "192.168.0.2", 403, "127.0.0.200", 403, "128.0.0.2", 403);
        for (Map.Entry<String, Integer> row : table.entrySet()) {
            HttpResponse<String> r = get(base, "/whoami", "X-Forwarded-For", row.getKey());
            assertThat(r.statusCode()).as(row.getKey()).isEqualTo(row.getValue());
            if (row.getValue() == 200) {
                assertThat(r.body()).isEqualTo(row.getKey() + " http");
            } else {
                assertThat(r.body()).isEqualTo(IpAllowList.DENIED_BODY);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        ct -> assertThat(ct.toLowerCase()).startsWith("text/plain").contains("charset=utf-8"));
            }
        }
    }

    @Test
    void spoofedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        URI base = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "10.0.0.1"));
        assertThat(get(base, "/whoami", "X-Forwarded-For", "192.168.0.1").body()).isEqualTo("127.0.0.1 http");
        URI guarded = serve(Map.of("ALLOWED_IP_BLOCKS", "192.168.0.0/31", "IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "10.0.0.1"));
        assertThat(get(guarded, "/app", "X-Forwarded-For", "192.168.0.1").statusCode()).isEqualTo(403);
    }

    @Test
    void trustedChainResolvesTheRightMostUntrustedHop() throws Exception {
        URI base = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.0/8, 10.0.0.0/8"));
        assertThat(get(base, "/whoami", "X-Forwarded-For", "6.6.6.6, 203.0.113.7, 10.1.1.1").body())
                .isEqualTo("203.0.113.7 http");
        assertThat(get(base, "/whoami", "X-Forwarded-For", "203.0.113.7, garbage, 10.1.1.1").statusCode())
                .as("unresolved client without an allow-list still reaches the app").isEqualTo(200);
    }

    @Test
    void forwardedHeaderWithBracketedIpv6() throws Exception {
        URI base = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1",
                "GATEHOUSE_CLIENT_IP_HEADERS", "Forwarded"));
        assertThat(get(base, "/whoami", "Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https").body())
                .isEqualTo("2001:db8:cafe::17 https");
    }

    @Test
    void exemptPathsPassTheAllowList() throws Exception {
        URI base = serve(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        assertThat(get(base, "/_health").statusCode()).isEqualTo(200);
        assertThat(get(base, "/_health").body()).isEqualTo("ok");
        assertThat(send(base, "POST", "/report/?token=phc_x", "application/csp-report", REPORT).statusCode()).isEqualTo(204);
        assertThat(get(base, "/app").statusCode()).isEqualTo(403);
        for (String sneaky : List.of("/_health/../app", "/_health/..;/app", "/report/..;/app", "/_health/.;/..;/app",
                "/report/%2e%2e/app", "/_health;x/../app")) {
            // 403 from Gatehouse, or 400 from a container that refuses ambiguous paths itself (Jetty 12).
            assertThat(get(base, sneaky).statusCode()).as(sneaky + ": an exempt prefix does not carry a denied client elsewhere")
                    .isIn(400, 403);
        }
        assertThat(events).hasSize(1);
    }

    @Test
    void deniedBeforeTheApplicationRuns() throws Exception {
        URI base = serve(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        for (int i = 0; i < 3; i++) {
            assertThat(get(base, "/app").statusCode()).isEqualTo(403);
        }
        assertThat(app.sideEffects.get()).isZero();
        URI open = serve(Map.of("ALLOWED_IP_BLOCKS", "127.0.0.1"));
        assertThat(get(open, "/app").body()).isEqualTo("app");
        assertThat(app.sideEffects.get()).isEqualTo(1);
    }

    @Test
    void everyCspResponseRow() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_CSP_MAX_REPORTS", "2", "GATEHOUSE_CSP_TOKENS", "phc_x,phc_y"));
        HttpResponse<String> options = send(base, "OPTIONS", "/report/", null, null, "Origin", "https://app.example:8443");
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.body()).isEqualTo("{\"status\": 1}");
        assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example:8443");
        assertThat(options.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
        assertRejected(get(base, "/report/?token=phc_x"), Rejection.INVALID_PAYLOAD);
        assertRejected(send(base, "POST", "/report/?token=phc_x", "application/json", REPORT), Rejection.INVALID_PAYLOAD);
        assertRejected(send(base, "POST", "/report/", "application/csp-report", REPORT), Rejection.MISSING_API_KEY);
        assertRejected(send(base, "POST", "/report/?token=phc_z", "application/csp-report", REPORT), Rejection.INVALID_API_KEY);
        assertRejected(send(base, "POST", "/report/?token=phc_x", "application/csp-report", "{not json"), Rejection.INVALID_FORMAT);
        assertRejected(send(base, "POST", "/report/?token=phc_x", "application/csp-report", "{\"a\": 1}"), Rejection.INVALID_PROPERTIES);
        assertRejected(send(base, "POST", "/report/?token=phc_x&sample_rate=nan", "application/csp-report", REPORT), Rejection.INVALID_PROPERTIES);
        String three = "[" + String.join(",", Collections.nCopies(3, "{\"type\":\"csp-violation\",\"body\":{}}")) + "]";
        assertRejected(send(base, "POST", "/report?token=phc_x", "application/reports+json", three), Rejection.TOO_LARGE);
        HttpResponse<String> ok = send(base, "POST", "/report?token=phc_y&v=3", "application/reports+json; charset=utf-8",
                "[{\"type\":\"csp-violation\",\"url\":\"https://a.example/\",\"body\":{\"effectiveDirective\":\"img-src\"}}]",
                "User-Agent", "conformance-agent", "Origin", "null");
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.body()).isEmpty();
        assertThat(ok.headers().firstValue("Content-Type")).isEmpty();
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.token()).isEqualTo("phc_y");
            assertThat(e.properties()).containsEntry("$csp_version", "3").containsEntry("$raw_user_agent", "conformance-agent")
                    .containsEntry("$csp_document_url", "https://a.example/");
        });
    }

    /** PostHog's answers to a refused report request: status and exact JSON body, written out here on purpose. */
    private enum Rejection {
        INVALID_PAYLOAD(400, "{\"type\":\"invalid_payload\",\"code\":\"invalid_payload\","
                + "\"detail\":\"Failed to submit CSP report\",\"attr\":null}"),
        INVALID_FORMAT(400, "{\"type\":\"validation_error\",\"code\":\"invalid_csp_payload\","
                + "\"detail\":\"Invalid CSP report format\",\"attr\":null}"),
        INVALID_PROPERTIES(400, "{\"type\":\"validation_error\",\"code\":\"invalid_csp_payload\","
                + "\"detail\":\"Invalid CSP report properties provided\",\"attr\":null}"),
        TOO_LARGE(413, "{\"type\":\"validation_error\",\"code\":\"csp_report_too_large\","
                + "\"detail\":\"CSP report too large\",\"attr\":null}"),
        MISSING_API_KEY(401, "{\"type\":\"authentication_error\",\"code\":\"missing_api_key\",\"detail\":\"API key not "
                + "provided. You can find your project API key in PostHog project settings.\",\"attr\":null}"),
        INVALID_API_KEY(401, "{\"type\":\"authentication_error\",\"code\":\"invalid_api_key\",\"detail\":\"Project API "
                + "key invalid. You can find your project API key in PostHog project settings.\",\"attr\":null}");

        final int status;
        final String body;

        Rejection(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private static void assertRejected(HttpResponse<String> r, Rejection expected) {
        assertThat(r.statusCode()).as(expected.name()).isEqualTo(expected.status);
        assertThat(r.body()).as(expected.name()).isEqualTo(expected.body);
        assertThat(r.headers().firstValue("Content-Type")).as(expected.name()).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
    }

    /** A body streamed without end gets 413 once the limit is passed, while the client is still sending. */
    @Test
    void oversizedStreamingBodyIsCutOffWithoutReadingItAll() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_CSP_MAX_BODY_BYTES", "1024"));
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /report/?token=phc_x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/csp-report\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("1000\r\n" + " ".repeat(4096) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            String head = null;
            InputStream in = s.getInputStream();
            // Send up to 64 MiB; the answer must come long before that.
            for (int i = 0; i < 16_384 && head == null; i++) {
                try {
                    out.write(chunk);
                    sent += 4096;
                } catch (java.io.IOException closed) {
                    break;
                }
                if (in.available() > 0) {
                    head = readHead(in);
                }
            }
            if (head == null) {
                head = readHead(in);
            }
            assertThat(head).startsWith("HTTP/1.1 413");
            assertThat(sent).isLessThan(32L << 20);
        }
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /report/?token=phc_x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/csp-report\r\nContent-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 413");
        }
        assertThat(events).isEmpty();
    }

    @Test
    void reportBodyInSeveralChunksIsGatheredWhole() throws Exception {
        URI base = serve(Map.of());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /report/?token=phc_x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/csp-report\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            int third = REPORT.length() / 3;
            for (String part : List.of(REPORT.substring(0, third), REPORT.substring(third, 2 * third),
                    REPORT.substring(2 * third))) {
                out.write((Integer.toHexString(part.length()) + "\r\n" + part + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(50); // separate reads on the server side
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 204");
        }
        assertThat(events).hasSize(1);
        assertThat(events.get(0).properties()).containsEntry("$csp_document_url", "https://a.example/")
                .containsEntry("$csp_violated_directive", "img-src");
    }

    /** Reads an HTTP response's status line and headers, up to the blank line. */
    public static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return sb.toString();
    }

    @Test
    void setCookieFromTheFrameworkIsRewritten() throws Exception {
        URI base = serve(Map.of("SECURE_COOKIES", "true", "DISABLE_SECURE_SSL_REDIRECT", "true"));
        HttpResponse<String> r = get(base, "/cookies");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> cookies = r.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(2);
        SetCookie session = cookies.stream().map(c -> SetCookie.parse(c).orElseThrow())
                .filter(c -> c.name().equals("sessionid")).findFirst().orElseThrow();
        assertThat(session.value()).isEqualTo("abc");
        assertThat(session.has("Secure")).isTrue();
        assertThat(session.has("HttpOnly")).isTrue();
        if (writesSameSiteOfFrameworkCookies()) {
            assertThat(session.attribute("SameSite")).hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("Lax"));
        } else {
            assertThat(session.attribute("SameSite")).as("the server drops SameSite; if it no longer does, say so").isEmpty();
        }
        assertThat(session.attribute("Path")).hasValue("/");
        SetCookie theme = cookies.stream().map(c -> SetCookie.parse(c).orElseThrow())
                .filter(c -> c.name().equals("theme")).findFirst().orElseThrow();
        assertThat(theme.has("Secure")).isTrue();
        assertThat(theme.has("HttpOnly")).isFalse();
    }

    @Test
    void plainHttpIsRedirectedToHttps() throws Exception {
        URI base = serve(Map.of("TEST", "0", "SECRET_KEY", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1"));
        HttpResponse<String> r = get(base, "/app?x=1");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + base.getPort() + "/app?x=1");
        assertThat(send(base, "POST", "/app", "text/plain", "x").statusCode()).isEqualTo(308);
        assertThat(get(base, "/_health").statusCode()).isEqualTo(200);
        assertThat(send(base, "POST", "/report/?token=phc_x", "application/csp-report", REPORT).statusCode()).isEqualTo(204);
        HttpResponse<String> viaProxy = get(base, "/whoami", "X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.9");
        assertThat(viaProxy.statusCode()).isEqualTo(200);
        assertThat(viaProxy.body()).isEqualTo("203.0.113.9 https");
        assertThat(app.sideEffects.get()).isZero();
    }

    @Test
    void cspHeadersOnResponsesAreSchemeAware() throws Exception {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder().directive("default-src", "'self'")
                .reportOnly(true).reportTo("/report/").token("phc_x").build();
        URI base = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1"), csp);
        HttpResponse<String> http = get(base, "/app");
        assertThat(http.headers().firstValue("Content-Security-Policy-Report-Only"))
                .hasValue("default-src 'self'; report-uri /report/?token=phc_x");
        assertThat(http.headers().firstValue("Reporting-Endpoints")).isEmpty();
        HttpResponse<String> https = get(base, "/app", "X-Forwarded-Proto", "https");
        assertThat(https.headers().firstValue("Content-Security-Policy-Report-Only"))
                .hasValue("default-src 'self'; report-uri /report/?token=phc_x; report-to posthog");
        assertThat(https.headers().firstValue("Reporting-Endpoints")).hasValue("posthog=\"/report/?token=phc_x\"");
    }

    @Test
    void unknownPathsAre404AndTheAppSeesNothingOfDeniedRequests() throws Exception {
        URI base = serve(Map.of());
        assertThat(get(base, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(base, "/app").statusCode()).isEqualTo(200);
    }

    // ---- Framing, timing and transport: the same answer on every adapter ----

    private static final String REPORT_HEAD = "POST /report/?token=phc_x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/csp-report\r\n";

    /** Sends {@code request} on a new connection; the answer must be 400 and the connection closed, long before the read timeout. */
    private void assertMalformed(URI base, String label, String request) throws Exception {
        assertMalformed(base, label, request, 400);
    }

    /** As {@link #assertMalformed(URI, String, String)}, the answer {@code status}, or none at all when it is 0. */
    private void assertMalformed(URI base, String label, String request, int status) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(5_000);
            long start = System.nanoTime();
            RawHttp.send(s, request);
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            if (status == 0) {
                assertThat(r).as(label + ": closed without an answer").isNull();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as(label).isLessThan(Duration.ofSeconds(3));
                return;
            }
            assertThat(r).as(label + ": no answer").isNotNull();
            assertThat(r.status()).as(label).isEqualTo(status);
            assertThat(RawHttp.closedByServer(s)).as(label + ": connection closed after the 400").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(label).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void malformedFramingIsAnswered400AtOnceAndClosed() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_READ_TIMEOUT_SECONDS", "30"));
        String get = "POST /app HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n";
        assertMalformed(base, "Content-Length: abc", get + "Content-Length: abc\r\n\r\nhello");
        assertMalformed(base, "Content-Length: -5", get + "Content-Length: -5\r\n\r\nhello");
        assertMalformed(base, "two Content-Lengths", get + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        if (refusesContentLengthWithTransferEncoding()) {
            assertMalformed(base, "Content-Length with chunked", get + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        } else {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                s.setSoTimeout(5_000);
                RawHttp.send(s, "GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(RawHttp.read(s.getInputStream(), false)).isNotNull();
                assertThat(RawHttp.closedByServer(s)).as("Content-Length with chunked: the connection is never reused").isTrue();
            }
        }
        assertMalformed(base, "header line without a colon", "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n");
        assertMalformed(base, "header too long", "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + "a".repeat(70_000) + "\r\n\r\n",
                headerTooLargeStatus());
        assertMalformed(base, "bad chunk size on a report", REPORT_HEAD + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + REPORT
                + "\r\n0\r\n\r\n", answersBadChunkSize() ? 400 : 0);
        assertThat(app.sideEffects.get()).as("no malformed request reached the application").isZero();
        assertThat(events).as("no malformed request became an event").isEmpty();
        assertThat(get(base, "/app").statusCode()).as("the server still answers").isEqualTo(200);
    }

    @Test
    void slowHeadersAreCutOffAtTheReadTimeout() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_READ_TIMEOUT_SECONDS", "1"));
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(8_000);
            RawHttp.send(s, "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            long start = System.nanoTime();
            assertThat(RawHttp.closedByServer(s)).as("closed, not held").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
        assertThat(app.sideEffects.get()).isZero();
    }

    @Test
    void stalledReportBodyGets408AndIsClosed() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_READ_TIMEOUT_SECONDS", "1"));
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(8_000);
            RawHttp.send(s, REPORT_HEAD + "Content-Length: " + REPORT.length() + "\r\n\r\n" + REPORT.substring(0, 10));
            long start = System.nanoTime();
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            assertThat(r).as("an answer").isNotNull();
            assertThat(r.status()).isEqualTo(408);
            assertThat(RawHttp.closedByServer(s)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
        assertThat(events).isEmpty();
    }

    @Test
    void reportBodyThatStopsHalfwayIsDroppedAndTheServerGoesOn() throws Exception {
        URI base = serve(Map.of());
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket(base.getHost(), base.getPort())) {
                RawHttp.send(s, REPORT_HEAD + "Content-Length: " + REPORT.length() + "\r\n\r\n" + REPORT.substring(0, 20));
            }
        }
        assertThat(send(base, "POST", "/report/?token=phc_x", "application/csp-report", REPORT).statusCode()).isEqualTo(204);
        assertThat(events).hasSize(1);
    }

    @Test
    void pipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        URI base = serve(Map.of());
        String report = REPORT_HEAD + "Content-Length: " + REPORT.length() + "\r\n\r\n" + REPORT;
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, report + report + "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(RawHttp.read(in, false).status()).isEqualTo(204);
            assertThat(RawHttp.read(in, false).status()).isEqualTo(204);
            assertThat(RawHttp.read(in, false).text()).isEqualTo("app");
            assertThat(RawHttp.read(in, false).text()).isEqualTo("ok");
        }
        assertThat(events).hasSize(2);
    }

    @Test
    void gatehousesAnswerWaitsForTheApplicationsAnswerToAnEarlierPipelinedRequest() throws Exception {
        URI base = serve(Map.of());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            // (Keeping the application's own answers in order among themselves is the application's part.)
            RawHttp.send(s, "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "OPTIONS /report/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            InputStream in = s.getInputStream();
            assertThat(RawHttp.read(in, false).text()).isEqualTo("slow");
            assertThat(RawHttp.read(in, false).text()).isEqualTo("{\"status\": 1}");
        }
    }

    @Test
    void slowHeadersAreCutOffAfterAnswersOfGatehousesOwnOnTheSameConnection() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_READ_TIMEOUT_SECONDS", "1", "ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(8_000);
            InputStream in = s.getInputStream();
            RawHttp.send(s, "OPTIONS /report/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(RawHttp.read(in, false).status()).isEqualTo(200);
            RawHttp.send(s, "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(RawHttp.read(in, false).status()).isEqualTo(403);
            RawHttp.send(s, "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            long start = System.nanoTime();
            assertThat(RawHttp.closedByServer(s)).as("closed, not held").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(6));
        }
    }

    @Test
    void keepAliveConnectionIsReusedAfterAReport() throws Exception {
        URI base = serve(Map.of());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            RawHttp.send(s, REPORT_HEAD + "Content-Length: " + REPORT.length() + "\r\n\r\n" + REPORT);
            assertThat(RawHttp.read(in, false).status()).isEqualTo(204);
            RawHttp.send(s, "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Reply r = RawHttp.read(in, false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("app");
        }
        assertThat(events).hasSize(1);
    }

    @Test
    void headIsAnsweredWithoutABodyAndTheConnectionStaysInStep() throws Exception {
        URI base = serve(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            RawHttp.send(s, "HEAD /app HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Reply denied = RawHttp.read(in, true);
            assertThat(denied.status()).isEqualTo(403);
            RawHttp.send(s, "GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(RawHttp.read(in, false).text()).as("the next response is not shifted by a stray body").isEqualTo("ok");
        }
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, "HEAD /report/?token=phc_x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Content-Type")).hasValue("application/json");
        }
        URI open = serve(Map.of());
        try (Socket s = new Socket(open.getHost(), open.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, "HEAD /app HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(RawHttp.read(s.getInputStream(), true).status()).isEqualTo(200);
            assertThat(RawHttp.read(s.getInputStream(), false).text()).isEqualTo("ok");
        }
    }

    @Test
    void expectContinueOnAReportBody() throws Exception {
        URI base = serve(Map.of());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            RawHttp.send(s, REPORT_HEAD + "Content-Length: " + REPORT.length() + "\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Reply interim = RawHttp.read(in, false);
            assertThat(interim.status()).as("100 before the body is sent").isEqualTo(100);
            RawHttp.send(s, REPORT);
            assertThat(RawHttp.read(in, false).status()).isEqualTo(204);
        }
        assertThat(events).hasSize(1);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, "POST /report/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/csp-report\r\n"
                    + "Content-Length: " + REPORT.length() + "\r\nExpect: 100-continue\r\n\r\n");
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            if (r.status() == 100) {
                // A container may acknowledge before any filter runs (Tomcat's default); the refusal follows.
                r = RawHttp.read(s.getInputStream(), false);
            }
            assertThat(r.status()).as("refused without the body").isEqualTo(401);
        }
    }

    @Test
    void deniedClientsReportIsStillAccepted() throws Exception {
        URI base = serve(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        assertThat(send(base, "POST", "/report/?token=phc_x", "application/csp-report", REPORT).statusCode()).isEqualTo(204);
        assertThat(get(base, "/app").statusCode()).isEqualTo(403);
        assertThat(events).hasSize(1);
    }

    @Test
    void cspHeadersOnTheApplicationsResponsesNotOnTheDenial() throws Exception {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder().directive("default-src", "'self'")
                .reportOnly(true).reportTo("/report/").token("phc_x").build();
        URI denied = serve(Map.of("ALLOWED_IP_BLOCKS", "10.0.0.0/8"), csp);
        HttpResponse<String> r = get(denied, "/app");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Security-Policy-Report-Only")).isEmpty();
        URI open = serve(Map.of(), csp);
        assertThat(get(open, "/app").headers().firstValue("Content-Security-Policy-Report-Only")).isPresent();
        assertThat(get(open, "/nope").headers().firstValue("Content-Security-Policy-Report-Only"))
                .as("the application's 404 too").isPresent();
    }

    @Test
    void httpsConnection() throws Exception {
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder().directive("default-src", "'self'")
                .reportOnly(true).reportTo("/report/").token("phc_x").build();
        URI base = serve(Map.of("SECURE_COOKIES", "true"), csp, new Listen("127.0.0.1", TestTls.get()));
        HttpClient tls = HttpClient.newBuilder().sslContext(TestTls.trustingClient())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> who = tls.send(HttpRequest.newBuilder(base.resolve("/whoami")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(who.statusCode()).as("no redirect: the connection is https").isEqualTo(200);
        assertThat(who.body()).isEqualTo("127.0.0.1 https");
        assertThat(who.headers().firstValue("Reporting-Endpoints")).as("report-to over https").isPresent();
        HttpResponse<String> report = tls.send(HttpRequest.newBuilder(base.resolve("/report/?token=phc_x"))
                .header("Content-Type", "application/csp-report").POST(HttpRequest.BodyPublishers.ofString(REPORT)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(report.statusCode()).isEqualTo(204);
        assertThat(events).hasSize(1);
        LogCapture logs = LogCapture.start();
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(5_000);
            RawHttp.send(s, "GET /app HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid=plain-secret-7f3a\r\n"
                    + "Authorization: Bearer plain-secret-7f3a\r\n\r\n");
            assertThat(RawHttp.closedByServer(s)).as("plain http on the TLS port is closed").isTrue();
            stopServers(); // whatever the server logs about that connection, it has logged once it has stopped
        } finally {
            logs.stop();
        }
        assertThat(logs.text()).as("request bytes never reach the logs").doesNotContain("plain-secret-7f3a")
                .doesNotContain("706c61696e2d7365637265742d37663361");
        assertThat(app.sideEffects.get()).isZero();
    }

    @Test
    void ipv6Peer() throws Exception {
        URI base = serve(Map.of("ALLOWED_IP_BLOCKS", "::1"), null, new Listen("::1", null));
        HttpResponse<String> r = get(base, "/whoami");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("::1 http");
        assertRequest(base, "[::1]:" + base.getPort(), "", "secure=false scheme=http name=[::1] port=" + base.getPort()
                + " url=http://[::1]:" + base.getPort() + "/request addr=::1 host=::1 remotePort=%d");
        URI v4only = serve(Map.of("ALLOWED_IP_BLOCKS", "127.0.0.1"), null, new Listen("::1", null));
        assertThat(get(v4only, "/app").statusCode()).isEqualTo(403);
    }

    // ---- Every way an application sets a cookie, and the request as it sees it ----

    private static final Map<String, String> SECURE = Map.of("SECURE_COOKIES", "true", "DISABLE_SECURE_SSL_REDIRECT", "true");

    /** GET {@code path} over a raw socket with {@code Host: host} and {@code headerLines} (each ending in CRLF). */
    private static RawHttp.Reply raw(URI base, String path, String host, String headerLines) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headerLines + "Connection: close\r\n\r\n");
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            assertThat(r).as("an answer to " + path).isNotNull();
            return r;
        }
    }

    private static RawHttp.Reply raw(URI base, String path) throws Exception {
        return raw(base, path, authority(base), "");
    }

    private static String authority(URI base) {
        return base.getRawAuthority();
    }

    /** Every {@code Set-Cookie} value, as sent. */
    private static List<String> setCookies(RawHttp.Reply r) {
        return r.headerLines().stream().filter(l -> l.regionMatches(true, 0, "Set-Cookie:", 0, 11))
                .map(l -> l.substring(11).strip()).toList();
    }

    /** The one cookie {@code name} among {@code setCookies}: the framework's own serialisation, read by its parts. */
    private static SetCookie cookie(List<String> setCookies, String name) {
        List<SetCookie> named = setCookies.stream().map(c -> SetCookie.parse(c).orElseThrow(() -> new AssertionError("unparsable " + c)))
                .filter(c -> c.name().equals(name)).toList();
        assertThat(named).as("Set-Cookie %s in %s", name, setCookies).hasSize(1);
        return named.get(0);
    }

    /**
     * The cookie {@code name} has {@code value} and exactly {@code attributes} ({@code Name=value} or a
     * flag; names compared without case, as browsers do, since frameworks spell them differently).
     */
    private static void assertFrameworkCookie(List<String> setCookies, String name, String value, String... attributes) {
        SetCookie c = cookie(setCookies, name);
        assertThat(c.value()).as(name).isEqualTo(value);
        assertThat(c.attributes().stream().map(a -> a.value() == null ? a.name().toLowerCase(java.util.Locale.ROOT)
                : a.name().toLowerCase(java.util.Locale.ROOT) + "=" + a.value()).toList())
                .as("attributes of %s in %s", name, setCookies)
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(attributes).map(a -> {
                    int eq = a.indexOf('=');
                    return eq < 0 ? a.toLowerCase(java.util.Locale.ROOT) : a.substring(0, eq).toLowerCase(java.util.Locale.ROOT) + a.substring(eq);
                }).toList());
    }

    @Test
    void setCookieHeadersGetThePolicyAtTheCall() throws Exception {
        URI base = serve(SECURE);
        RawHttp.Reply r = raw(base, "/cookie/header");
        assertThat(r.status()).isEqualTo(200);
        assertThat(setCookies(r)).containsExactly("s=1; Secure", "h=2; Path=/; Secure");
    }

    @Test
    void cookiesAfterTheFirstBodyWriteGetThePolicy() throws Exception {
        URI base = serve(SECURE);
        RawHttp.Reply r = raw(base, "/cookie/after-write");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("body more");
        assertFrameworkCookie(setCookies(r), "w", "1", "Secure");
        assertThat(setCookies(r)).contains("v=2; Secure").hasSize(2);
    }

    @Test
    void cookiesBeforeEveryRedirectFormGetThePolicy() throws Exception {
        URI base = serve(SECURE);
        Map<String, Integer> status = Map.of("plain", 302, "keep-buffer", 302, "301", 301, "303", 303);
        for (String form : redirectForms()) {
            RawHttp.Reply r = raw(base, "/cookie/redirect/" + form);
            assertThat(r.status()).as(form).isEqualTo(status.get(form));
            assertThat(r.header("Location")).as(form).hasValue(base + "/app");
            assertFrameworkCookie(setCookies(r), "r", "1", "Secure");
            assertThat(setCookies(r)).as(form).contains("q=2; Secure").hasSize(2);
        }
    }

    @Test
    void relativeRedirectsNameTheSchemeAndHostTheClientUsed() throws Exception {
        URI base = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1"));
        String https = "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.9\r\n";
        assertThat(raw(base, "/cookie/redirect/plain", "app.example", https).header("Location")).hasValue("https://app.example/app");
        assertThat(raw(base, "/cookie/redirect/relative", "app.example", https).header("Location"))
                .hasValue("https://app.example/cookie/redirect/app?x=1");
        assertThat(raw(base, "/cookie/redirect/plain", "app.example:8443", https).header("Location"))
                .hasValue("https://app.example:8443/app");
        assertThat(raw(base, "/cookie/redirect/relative", "app.example", "").header("Location"))
                .hasValue("http://app.example/cookie/redirect/app?x=1");
        assertThat(raw(base, "/cookie/redirect/plain").header("Location")).as("the connection's own").hasValue(base + "/app");
    }

    @Test
    void cookiesBeforeSendErrorGetThePolicy() throws Exception {
        URI base = serve(SECURE);
        RawHttp.Reply r = raw(base, "/cookie/error");
        assertThat(r.status()).isEqualTo(409);
        assertFrameworkCookie(setCookies(r), "e", "1", "Secure");
        assertThat(setCookies(r)).contains("f=2; Secure").hasSize(2);
    }

    @Test
    void asynchronousProcessingKeepsTheClientAndTheCookiePolicy() throws Exception {
        Map<String, String> env = new HashMap<>(SECURE);
        env.putAll(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1"));
        URI base = serve(env);
        for (String path : List.of("/async", "/async-args")) {
            RawHttp.Reply r = raw(base, path, "app.example", "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.9\r\n");
            assertThat(r.status()).as(path).isEqualTo(200);
            assertThat(r.text()).as(path).isEqualTo("203.0.113.9 https");
            assertFrameworkCookie(setCookies(r), "y", "1", "Secure");
            assertThat(setCookies(r)).as(path).contains("z=2; Secure").hasSize(2);
        }
    }

    @Test
    void theServersSessionCookieGetsThePolicy() throws Exception {
        URI base = serve(SECURE);
        RawHttp.Reply created = raw(base, "/session");
        assertThat(created.status()).isEqualTo(200);
        SetCookie session = cookie(setCookies(created), "JSESSIONID");
        assertThat(session.has("Secure")).as(session.toString()).isTrue();
        assertThat(session.attribute("Path")).hasValue("/");
        RawHttp.Reply changed = raw(base, "/session/change", authority(base), "Cookie: JSESSIONID=" + session.value() + "\r\n");
        assertThat(changed.status()).isEqualTo(200);
        SetCookie renewed = cookie(setCookies(changed), "JSESSIONID");
        assertThat(renewed.value()).isNotEqualTo(session.value());
        assertThat(renewed.has("Secure")).as(renewed.toString()).isTrue();
    }

    /** {@code /request}'s answer over a new connection, whose local port is {@code %d} in {@code expected}. */
    private static void assertRequest(URI base, String host, String headerLines, String expected) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            RawHttp.send(s, "GET /request HTTP/1.1\r\nHost: " + host + "\r\n" + headerLines + "Connection: close\r\n\r\n");
            RawHttp.Reply r = RawHttp.read(s.getInputStream(), false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).as(host + " " + headerLines).isEqualTo(String.format(expected, s.getLocalPort()));
        }
    }

    @Test
    void theForwardedRequestAsTheApplicationSeesIt() throws Exception {
        URI base = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.1"));
        int port = base.getPort();
        String viaProxy = "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n";
        assertRequest(base, "app.example", viaProxy, "secure=true scheme=https name=app.example port=443"
                + " url=https://app.example/request addr=203.0.113.9 host=203.0.113.9 remotePort=%d");
        assertRequest(base, "app.example:8443", viaProxy, "secure=true scheme=https name=app.example port=8443"
                + " url=https://app.example:8443/request addr=203.0.113.9 host=203.0.113.9 remotePort=%d");
        assertRequest(base, "app.example", "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: http\r\n",
                "secure=false scheme=http name=app.example port=80 url=http://app.example/request"
                + " addr=203.0.113.9 host=203.0.113.9 remotePort=%d");
        assertRequest(base, "127.0.0.1:" + port, "", "secure=false scheme=http name=127.0.0.1 port=" + port
                + " url=http://127.0.0.1:" + port + "/request addr=127.0.0.1 host=127.0.0.1 remotePort=%d");
        URI untrusted = serve(Map.of("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "10.0.0.1"));
        assertRequest(untrusted, "app.example", viaProxy, "secure=false scheme=http name=app.example port=80"
                + " url=http://app.example/request addr=127.0.0.1 host=127.0.0.1 remotePort=%d");
    }

    @Test
    void floodOfReportersLosesNothing() throws Exception {
        URI base = serve(Map.of("GATEHOUSE_READ_TIMEOUT_SECONDS", "60"));
        int connections = floodSize();
        int accepted = floodWithBoundedHeap(getClass().getSimpleName(), base.getPort(), connections);
        assertThat(accepted).isEqualTo(connections);
        assertThat(events).hasSize(connections);
        assertThat(events.stream().map(e -> e.properties().get("$csp_document_url")).distinct().count())
                .as("each report written once").isEqualTo(connections);
    }

    /**
     * How many connections the flood opens: 2,000, or as many as this JVM's descriptor limit allows
     * (the clients run in a process of their own), and never fewer than 500.
     */
    static int floodSize() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
            return 2000;
        }
        long room = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 128;
        assertThat(room).as("file descriptors for a flood of at least 500 connections: raise `ulimit -n` (the JVM"
                + " raises its soft limit to the hard one; limit now %d)", unix.getMaxFileDescriptorCount()).isGreaterThanOrEqualTo(500);
        return (int) Math.min(2000, room);
    }

    /**
     * Floods {@code port} from a {@link FloodClient} process with {@code connections} reports at
     * once, checks that the heap (after GC) grew by less than 256 MiB with every connection open,
     * prints the figures, and returns how many reports were answered 204.
     */
    public static int floodWithBoundedHeap(String label, int port, int connections) throws Exception {
        long before = usedHeapAfterGc();
        Process client = FloodClient.start(port, connections);
        try {
            int accepted = FloodClient.accepted(client);
            long after = usedHeapAfterGc();
            System.out.printf("%s flood: %d connections, %d answered 204, heap after GC %d MiB before, %d MiB with all open%n",
                    label, connections, accepted, before >> 20, after >> 20);
            assertThat(after - before).as("heap growth with %d open connections", connections).isLessThan(256L << 20);
            return accepted;
        } finally {
            FloodClient.finish(client);
        }
    }

    /** Used heap bytes after a few full collections: for tests that bound memory under load. */
    public static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Every log record of the JVM's {@code java.util.logging} root while started, as text. */
    static final class LogCapture extends Handler {
        private final StringBuffer text = new StringBuffer();
        private final java.util.logging.Level rootLevel = Logger.getLogger("").getLevel();

        static LogCapture start() {
            LogCapture c = new LogCapture();
            c.setLevel(java.util.logging.Level.ALL);
            Logger.getLogger("").setLevel(java.util.logging.Level.ALL);
            Logger.getLogger("").addHandler(c);
            return c;
        }

        void stop() {
            Logger.getLogger("").removeHandler(this);
            Logger.getLogger("").setLevel(rootLevel);
        }

        String text() {
            return text.toString();
        }

        @Override
        public void publish(LogRecord r) {
            text.append(r.getLoggerName()).append(' ').append(r.getMessage());
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    text.append(' ').append(p);
                }
            }
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                text.append(' ').append(t);
            }
            text.append('\n');
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
