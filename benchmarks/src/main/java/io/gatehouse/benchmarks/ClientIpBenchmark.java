package io.gatehouse.benchmarks;

import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import io.gatehouse.proxy.ClientIpResolver;
import io.gatehouse.proxy.HeaderLookup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The client from an {@code X-Forwarded-For} of 1, 5 or 16 hops behind CIDR-trusted proxies:
 * Gatehouse's allocation-free walk vs two split-and-parse implementations that check each hop
 * against the same trusted set: one parsing with Gatehouse's own fast parser (the strictest peer),
 * one with {@code InetAddress.getByName} as applications commonly do (every hop here is an IP
 * literal, checked in setup, so it never touches DNS).
 */
public class ClientIpBenchmark extends JmhSettings {
    @Param({"1", "5", "16"})
    public int hops;

    private ClientIpResolver resolver;
    private CidrSet trusted;
    private IpAddress peer;
    private HeaderLookup headers;
    private String xff;
    private final MutableIpAddress client = new MutableIpAddress();

    @Setup(Level.Trial)
    public void setUp() {
        trusted = CidrSet.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"),
                Cidr.parse("fd00::/8"));
        resolver = ClientIpResolver.builder().behindProxy(true).trustedProxies(trusted).logWarnings(false).build();
        peer = IpAddress.parse("10.0.0.1");
        // The client, then hops - 1 trusted proxies: "203.0.113.7, 10.1.2.3, 172.16.5.4, ..."
        StringBuilder sb = new StringBuilder("203.0.113.7");
        String[] proxies = {"10.1.2.3", "172.16.5.4", "192.168.7.8", "10.200.3.4"};
        for (int i = 1; i < hops; i++) {
            sb.append(", ").append(proxies[i % proxies.length]);
        }
        xff = sb.toString();
        List<String> values = List.of(xff);
        headers = name -> name.equals("X-Forwarded-For") ? values : List.of();
        MutableIpAddress check = new MutableIpAddress();
        if (!resolver.resolve(peer, headers, check) || !check.toIpAddress().toString().equals("203.0.113.7")
                || !splitAndParse().equals(IpAddress.parse("203.0.113.7"))
                || !splitAndInetAddressChecked().equals(IpAddress.parse("203.0.113.7"))) {
            throw new IllegalStateException("implementations disagree on " + xff);
        }
    }

    private IpAddress splitAndInetAddressChecked() {
        for (String hop : xff.split(",")) {
            if (IpAddress.tryParse(hop.trim()).isEmpty()) {
                throw new IllegalStateException("not an IP literal (InetAddress would use DNS): " + hop);
            }
        }
        try {
            return splitAndInetAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public long gatehouse() {
        return resolver.resolve(peer, headers, client) ? client.low() : -1;
    }

    @Benchmark
    public long splitAndParseBaseline() {
        return splitAndParse().low();
    }

    @Benchmark
    public long splitAndInetAddressBaseline() throws UnknownHostException {
        return splitAndInetAddress().low();
    }

    /** How a split-and-parse implementation turns one trimmed hop into an address (null: not one). */
    @FunctionalInterface
    interface HopParser {
        IpAddress parse(String hop) throws UnknownHostException;
    }

    /** The obvious implementation: split, trim, parse each hop with {@code parser}, walk from the right. */
    private IpAddress splitAndWalk(HopParser parser) throws UnknownHostException {
        if (!trusted.contains(peer)) {
            return peer;
        }
        String[] parts = headers.values("X-Forwarded-For").get(0).split(",");
        IpAddress last = peer;
        for (int i = parts.length - 1; i >= 0; i--) {
            String hop = parts[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            IpAddress a = parser.parse(hop);
            if (a == null) {
                return null;
            }
            if (!trusted.contains(a)) {
                return a;
            }
            last = a;
        }
        return last;
    }

    /** With Gatehouse's own parser (after stripping an IPv4 port): the strictest peer. */
    private IpAddress splitAndParse() {
        try {
            return splitAndWalk(hop -> {
                int colon = hop.indexOf(':');
                String h = colon >= 0 && hop.indexOf(':', colon + 1) < 0 ? hop.substring(0, colon) : hop;
                return IpAddress.tryParse(h).orElse(null);
            });
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With {@code InetAddress.getByName}, as applications commonly do (IP literals only: no DNS). */
    private IpAddress splitAndInetAddress() throws UnknownHostException {
        return splitAndWalk(hop -> IpAddress.ofBytes(InetAddress.getByName(hop).getAddress()));
    }
}
