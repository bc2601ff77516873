package io.gatehouse.benchmarks;

import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressTrie;
import inet.ipaddr.IPAddressString;
import io.gatehouse.config.Gatehouse;
import io.gatehouse.config.GatehouseConfig;
import io.gatehouse.config.Outcome;
import io.gatehouse.csp.header.ContentSecurityPolicy;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import io.gatehouse.netty.NettyAdapterViews;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilter;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.RemoteCIDRValve;
import org.apache.catalina.valves.RemoteIpValve;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.http.MimeHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The whole per-request decision as the Netty adapter makes it: its request view over a Netty
 * request with a 5-hop {@code X-Forwarded-For} (the client, then four proxies inside the trusted
 * blocks 10/8, 172.16/12, 192.168/16) and {@code X-Forwarded-Proto: https}, from a trusted peer;
 * {@code Gatehouse.decide} (client walk, framing, a 10,000-block allow-list, the https redirect
 * check, the CSP path check); then {@code Gatehouse.decorate} on a response carrying two
 * {@code Set-Cookie}s (each gets {@code Secure}) and no CSP header (the policy and
 * {@code Reporting-Endpoints} are added). Every operation first refills the response headers (the
 * application's response), in every method alike; {@link #responseOnly} measures that part alone.
 *
 * <p>The peers compose the same steps from what a user would pick instead: split the header,
 * {@code InetAddress.getByName} each hop (IP literals only, checked: no DNS), check hops and the
 * client against Netty's {@code IpSubnetFilter} or the IPAddress library's trie, compare
 * {@code X-Forwarded-Proto}, and rewrite cookies as {@code String}s. The Tomcat peer is what a
 * Tomcat user configures instead: {@code RemoteIpValve} (CIDR {@code internalProxies}) then
 * {@code RemoteCIDRValve} (the 10,000 blocks as {@code allow}), invoked as Tomcat's own tests invoke
 * them, on a Catalina {@code Request} over a coyote request holding the same headers, with a last
 * valve that records what the application would see; its response side is the same {@code String}
 * rewrite of the same Netty headers. Setup checks that every implementation finds the same client
 * and writes the same headers for each of the 256 requests (256 different clients, all allowed),
 * and that Gatehouse and the valves both refuse a client outside the blocks.
 */
public class RequestDecisionBenchmark extends JmhSettings {
    private static final int REQUESTS = 256;
    private static final int BLOCKS = 10_000;
    private static final String[] PROXIES = {"10.1.2.3", "172.16.5.4", "192.168.7.8", "10.200.3.4"};
    private static final String COOKIE_1 = "sessionid=8f2c1d0e6b7a4c3e9d5f; Path=/; HttpOnly; SameSite=Lax";
    private static final String COOKIE_2 = "posthog_csrftoken=Zq3XbM0w7Yk2LrT9; Path=/; SameSite=Lax";

    private HttpRequest[] requests;
    private int next;
    private final HttpHeaders response = new DefaultHttpHeaders();
    private final IpAddress peer = IpAddress.parse("10.0.0.1");
    private InetAddress peerInet;

    private Gatehouse gatehouse;
    private final NettyAdapterViews adapter = new NettyAdapterViews();
    private final MutableIpAddress scratch = new MutableIpAddress();

    private IpSubnetFilter nettyTrusted;
    private IpSubnetFilter nettyAllowed;
    private IPv4AddressTrie trieTrusted;
    private IPv4AddressTrie trieAllowed;
    private String cspName;
    private String cspPolicy;
    private String reportingEndpoints;

    private Request[] tomcatRequests;
    private final RemoteIpValve remoteIpValve = new RemoteIpValve();
    private final RemoteCIDRValve remoteCidrValve = new RemoteCIDRValve();
    private final Application application = new Application();
    private Response tomcatResponse;

    /**
     * The valve after {@code RemoteCIDRValve}: what the application sees while the valves' changes
     * hold ({@code RemoteIpValve} restores the request when the chain returns), and the https check.
     */
    static final class Application extends ValveBase {
        /** The client when the request reached here over https; otherwise {@code null}. */
        String client;
        /** {@code "403"} unless the request reached here; then the redirect, or {@code null}. */
        String refusal;

        @Override
        public void invoke(Request request, Response response) {
            if (request.isSecure()) {
                client = request.getRemoteAddr();
                refusal = null;
            } else {
                client = null;
                refusal = ("GET".equals(request.getMethod()) ? "301" : "308") + " https://" + request.getHeader("Host")
                        + request.getRequestURI();
            }
        }
    }

    /** Netty's filter decision without a channel (its {@code accept} does not use the context). */
    static final class Filter extends IpSubnetFilter {
        Filter(List<IpSubnetFilterRule> rules) {
            super(false, rules);
        }

        boolean allows(InetAddress a) {
            return accept(null, new InetSocketAddress(a, 0));
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException, ServletException {
        SplittableRandom rnd = new SplittableRandom(20261202L);
        List<Cidr> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            // Public space only (1.0.0.0 up to 223.255.255.255), never a trusted proxy's.
            int a;
            do {
                a = rnd.nextInt();
            } while ((a >>> 24) == 0 || (a >>> 24) == 10 || (a >>> 24) == 172 || (a >>> 24) == 192 || (a >>> 24) >= 224);
            blocks.add(Cidr.of(IpAddress.ofIpv4(a), 16 + rnd.nextInt(9)));
        }
        StringJoiner allow = new StringJoiner(",");
        blocks.forEach(b -> allow.add(b.toString()));
        GatehouseConfig config = GatehouseConfig.fromEnvironment(Map.of("IS_BEHIND_PROXY", "1",
                "TRUSTED_PROXIES", "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16", "ALLOWED_IP_BLOCKS", allow.toString(),
                "SECURE_COOKIES", "1", "GATEHOUSE_REQUIRE_SECRET_KEY", "false"));
        ContentSecurityPolicy csp = ContentSecurityPolicy.builder()
                .directive("default-src", "'self'").directive("script-src", "'self'", "https://*.posthog.com")
                .directive("img-src", "'self'", "data:", "https:")
                .reportTo("https://app.example.com/report/").token("phc_benchmark").version("1").build();
        gatehouse = Gatehouse.builder(config, CspEventSink.consuming(events -> { })).contentSecurityPolicy(csp).build();
        ContentSecurityPolicy.Headers h = csp.headers(true);
        cspName = h.policyHeaderName();
        cspPolicy = h.policy();
        reportingEndpoints = h.reportingEndpoints();

        requests = new HttpRequest[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            Cidr b = blocks.get(rnd.nextInt(BLOCKS));
            int host = 32 - b.prefixLength();
            IpAddress client = IpAddress.ofIpv4(b.network().ipv4Bits() | (rnd.nextInt() & ((1 << host) - 1)));
            StringBuilder xff = new StringBuilder(client.toString());
            for (String p : PROXIES) {
                xff.append(", ").append(p);
            }
            HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/projects/1/insights");
            r.headers().add(HttpHeaderNames.HOST, "app.example.com")
                    .add(HttpHeaderNames.USER_AGENT, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")
                    .add(HttpHeaderNames.ACCEPT, "application/json")
                    .add(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate, br")
                    .add(HttpHeaderNames.COOKIE, "sessionid=8f2c1d0e6b7a4c3e9d5f; posthog_csrftoken=Zq3XbM0w7Yk2LrT9")
                    .add("X-Forwarded-For", xff.toString())
                    .add("X-Forwarded-Proto", "https");
            requests[i] = r;
        }

        peerInet = InetAddress.getByName(peer.toString());
        List<IpSubnetFilterRule> trusted = List.of(
                new IpSubnetFilterRule("10.0.0.0", 8, IpFilterRuleType.ACCEPT),
                new IpSubnetFilterRule("172.16.0.0", 12, IpFilterRuleType.ACCEPT),
                new IpSubnetFilterRule("192.168.0.0", 16, IpFilterRuleType.ACCEPT));
        nettyTrusted = new Filter(trusted);
        List<IpSubnetFilterRule> allowed = new ArrayList<>();
        trieTrusted = new IPv4AddressTrie();
        trieAllowed = new IPv4AddressTrie();
        for (String t : List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")) {
            trieTrusted.add(new IPAddressString(t).getAddress().toIPv4());
        }
        for (Cidr b : blocks) {
            allowed.add(new IpSubnetFilterRule(b.network().toString(), b.prefixLength(), IpFilterRuleType.ACCEPT));
            trieAllowed.add(new IPAddressString(b.toString()).getAddress().toIPv4());
        }
        nettyAllowed = new Filter(allowed);

        // Tomcat: the valves as server.xml would configure them, one connector's requests.
        remoteIpValve.setInternalProxies("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16");
        remoteCidrValve.setAllow(allow.toString());
        remoteIpValve.setNext(remoteCidrValve);
        remoteCidrValve.setNext(application);
        Connector connector = new Connector();
        tomcatResponse = new Response(new org.apache.coyote.Response());
        tomcatRequests = new Request[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            tomcatRequests[i] = tomcatRequest(connector, requests[i]);
        }

        // A fast wrong answer cannot win: the same client and the same response headers, every request.
        for (int i = 0; i < REQUESTS; i++) {
            String xff = requests[i].headers().get("X-Forwarded-For");
            String expected = xff.substring(0, xff.indexOf(','));
            for (String hop : xff.split(",")) {
                if (IpAddress.tryParse(hop.trim()).isEmpty()) {
                    throw new IllegalStateException("not an IP literal (InetAddress would use DNS): " + hop);
                }
            }
            next = i;
            Object ours = gatehouse();
            String oursHeaders = response.toString().toLowerCase(java.util.Locale.ROOT); // names keep the case they were set with
            next = i;
            Object viaNetty = peerNettyIpSubnetFilter();
            String nettyHeaders = response.toString().toLowerCase(java.util.Locale.ROOT);
            next = i;
            Object viaTrie = peerIpAddressTrie();
            String trieHeaders = response.toString().toLowerCase(java.util.Locale.ROOT);
            next = i;
            Object viaValves = peerTomcatValves();
            String valveHeaders = response.toString().toLowerCase(java.util.Locale.ROOT);
            if (!(ours instanceof Outcome.Proceed p) || !p.https() || !p.clientAddress().equals(expected)
                    || !(viaNetty instanceof InetAddress n) || !n.getHostAddress().equals(expected)
                    || !(viaTrie instanceof InetAddress t) || !t.getHostAddress().equals(expected)
                    || !expected.equals(viaValves)) {
                throw new IllegalStateException("clients differ for " + xff + ": " + ours + ", " + viaNetty + ", " + viaTrie
                        + ", " + viaValves);
            }
            if (!oursHeaders.equals(nettyHeaders) || !oursHeaders.equals(trieHeaders) || !oursHeaders.equals(valveHeaders)
                    || !response.getAll(HttpHeaderNames.SET_COOKIE).get(0).contains("; Secure")) {
                throw new IllegalStateException("headers differ:\n" + oursHeaders + "\n" + nettyHeaders + "\n" + trieHeaders
                        + "\n" + valveHeaders);
            }
            // The valve restores the request when the chain returns, so the next operation sees it as sent.
            if (!xff.equals(tomcatRequests[i].getHeader("X-Forwarded-For")) || tomcatRequests[i].isSecure()
                    || !"10.0.0.1".equals(tomcatRequests[i].getRemoteAddr())) {
                throw new IllegalStateException("RemoteIpValve did not restore the request: " + xff);
            }
        }

        // The same refusal: a client in none of the blocks.
        IpAddress outside;
        do {
            outside = IpAddress.ofIpv4((11 + rnd.nextInt(150)) << 24 | rnd.nextInt(1 << 24)); // 11-160: public, untrusted
        } while (trieAllowed.elementContains(new IPAddressString(outside.toString()).getAddress().toIPv4()));
        HttpRequest refused = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, requests[0].uri(),
                requests[0].headers().copy());
        refused.headers().set("X-Forwarded-For", outside + ", " + String.join(", ", PROXIES));
        Response refusedResponse = new Response(new org.apache.coyote.Response());
        application.refusal = "403";
        remoteIpValve.invoke(tomcatRequest(connector, refused), refusedResponse);
        if (gatehouse.decide(adapter.request(refused, peer, false), scratch) instanceof Outcome.Proceed
                || !"403".equals(application.refusal) || refusedResponse.getStatus() != 403) {
            throw new IllegalStateException("a client outside the blocks passed: " + outside);
        }
        next = 0;
    }

    /** The Catalina request a Tomcat connector would hand the valves for this Netty request. */
    private Request tomcatRequest(Connector connector, HttpRequest from) {
        org.apache.coyote.Request coyote = new org.apache.coyote.Request();
        coyote.setMethod(from.method().name());
        coyote.requestURI().setString(from.uri());
        coyote.decodedURI().setString(from.uri());
        coyote.protocol().setString("HTTP/1.1");
        coyote.scheme().setString("http");
        coyote.serverName().setString("app.example.com");
        coyote.setServerPort(8080);
        coyote.remoteAddr().setString(peer.toString());
        coyote.peerAddr().setString(peer.toString());
        MimeHeaders headers = coyote.getMimeHeaders();
        for (Map.Entry<String, String> h : from.headers()) {
            headers.addValue(h.getKey()).setString(h.getValue());
        }
        return new Request(connector, coyote);
    }

    private HttpRequest next() {
        return requests[nextIndex()];
    }

    private int nextIndex() {
        int i = next;
        next = (next + 1) & (REQUESTS - 1);
        return i;
    }

    /** The application's response, as it hands it over: two cookies, a content type. */
    private void fillResponse() {
        response.clear();
        response.add(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.add(HttpHeaderNames.SET_COOKIE, COOKIE_1);
        response.add(HttpHeaderNames.SET_COOKIE, COOKIE_2);
    }

    /** The part every method shares: picking the request and refilling the response. */
    @Benchmark
    public Object responseOnly() {
        HttpRequest r = next();
        fillResponse();
        return r;
    }

    /** Gatehouse through the Netty adapter's view: decide, then decorate. */
    @Benchmark
    public Object gatehouse() {
        Outcome o = gatehouse.decide(adapter.request(next(), peer, false), scratch);
        fillResponse();
        if (o instanceof Outcome.Proceed p) {
            gatehouse.decorate(p, adapter.response(response));
        }
        return o;
    }

    /** The decision alone (no response), to attribute allocations. */
    @Benchmark
    public Object gatehouseDecideOnly() {
        return gatehouse.decide(adapter.request(next(), peer, false), scratch);
    }

    /** Hop and client membership checks of one peer composition. */
    interface Blocks {
        boolean trusted(InetAddress a);

        boolean allowed(InetAddress a);
    }

    private final Blocks netty = new Blocks() {
        @Override public boolean trusted(InetAddress a) { return ((Filter) nettyTrusted).allows(a); }
        @Override public boolean allowed(InetAddress a) { return ((Filter) nettyAllowed).allows(a); }
    };

    private final Blocks trie = new Blocks() {
        @Override public boolean trusted(InetAddress a) { return trieTrusted.elementContains(new IPv4Address((Inet4Address) a)); }
        @Override public boolean allowed(InetAddress a) { return trieAllowed.elementContains(new IPv4Address((Inet4Address) a)); }
    };

    /** Split-and-parse with {@code InetAddress}, Netty's {@code IpSubnetFilter}, {@code String} cookies. */
    @Benchmark
    public Object peerNettyIpSubnetFilter() throws UnknownHostException {
        return composed(netty);
    }

    /** Split-and-parse with {@code InetAddress}, the IPAddress library's trie, {@code String} cookies. */
    @Benchmark
    public Object peerIpAddressTrie() throws UnknownHostException {
        return composed(trie);
    }

    /**
     * Tomcat's {@code RemoteIpValve} (CIDR {@code internalProxies}, defaults otherwise) and
     * {@code RemoteCIDRValve} (the 10,000 blocks), then the same {@code String} cookies and CSP headers.
     */
    @Benchmark
    public Object peerTomcatValves() throws IOException, ServletException {
        Request r = tomcatRequests[nextIndex()];
        application.refusal = "403";
        remoteIpValve.invoke(r, tomcatResponse);
        if (application.refusal != null) {
            return application.refusal;
        }
        fillResponse();
        decorateAsStrings();
        return application.client;
    }

    /** The steps as an application would write them with these libraries. */
    private Object composed(Blocks blocks) throws UnknownHostException {
        HttpRequest r = next();
        HttpHeaders h = r.headers();
        InetAddress client = peerInet;
        boolean fromProxy = blocks.trusted(peerInet);
        if (fromProxy) {
            String xff = h.get("X-Forwarded-For");
            if (xff != null) {
                String[] hops = xff.split(",");
                for (int i = hops.length - 1; i >= 0; i--) {
                    String hop = hops[i].trim();
                    if (hop.isEmpty()) {
                        continue;
                    }
                    client = InetAddress.getByName(hop);
                    if (!blocks.trusted(client)) {
                        break;
                    }
                }
            }
        }
        boolean https = fromProxy && "https".equalsIgnoreCase(h.get("X-Forwarded-Proto"));
        if (!blocks.allowed(client)) {
            return "403";
        }
        if (!https && !r.method().equals(HttpMethod.GET)) {
            return "308 https://" + h.get(HttpHeaderNames.HOST) + r.uri();
        } else if (!https) {
            return "301 https://" + h.get(HttpHeaderNames.HOST) + r.uri();
        }
        fillResponse();
        decorateAsStrings();
        return client;
    }

    /** The response side of the peers: {@code Secure} added to each cookie, the CSP headers set. */
    private void decorateAsStrings() {
        List<String> cookies = response.getAll(HttpHeaderNames.SET_COOKIE);
        if (!cookies.isEmpty()) {
            response.remove(HttpHeaderNames.SET_COOKIE);
            for (String c : cookies) {
                response.add(HttpHeaderNames.SET_COOKIE, secure(c));
            }
        }
        if (!response.contains(cspName)) {
            response.set(cspName, cspPolicy);
        }
        if (!response.contains("Reporting-Endpoints")) {
            response.set("Reporting-Endpoints", reportingEndpoints);
        }
    }

    /** The obvious {@code String} rewrite: add {@code Secure} unless an attribute says it already. */
    private static String secure(String setCookie) {
        for (String attribute : setCookie.split(";")) {
            if (attribute.trim().equalsIgnoreCase("Secure")) {
                return setCookie;
            }
        }
        return setCookie + "; Secure";
    }
}
