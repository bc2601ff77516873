package io.gatehouse.proxy;

import io.gatehouse.internal.Text;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.ip.MutableIpAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client's address from the socket peer and the forwarded headers ({@code X-Forwarded-For},
 * RFC 7239 {@code Forwarded}, {@code X-Real-IP}, or the ones configured).
 *
 * <ul>
 *   <li>Not behind a proxy: the peer. Forwarded headers are ignored.</li>
 *   <li>Behind trusted proxies: the chain is the header's entries, left to right, then the peer. It
 *       is walked from the right, skipping every trusted hop; the first untrusted hop is the client
 *       ("right-most untrusted": a client that prepends entries cannot choose its address). If every
 *       hop is trusted, the left-most entry is the client. Only the right-most
 *       {@code maxForwardedHops} entries are examined; if they are all trusted and more remain, the
 *       result is unresolved.</li>
 *   <li>Trusting all proxies: the left-most valid entry among the examined ones (spoofable unless
 *       the edge proxy overwrites the header), else the peer.</li>
 *   <li>A hop that is not an IP literal ({@code unknown}, {@code _obfuscated}, garbage) where the
 *       client should be makes the result {@link ClientIp.Unresolved}: fail closed.</li>
 *   <li>A peer without an IP address (a Unix domain socket, passed as a null peer) is a trusted proxy
 *       when {@link Builder#trustUnixSocketProxies(boolean)} is on ({@code unix:} in
 *       {@code TRUSTED_PROXIES}): its forwarded headers are walked as above, and a chain that leaves
 *       the peer as the client is unresolved. Otherwise such a request is unresolved, also under
 *       trust-all, which covers peers with an address.</li>
 * </ul>
 *
 * <p>Untrusted request data never throws. Immutable and thread-safe; the walk over
 * {@code X-Forwarded-For} and {@code X-Real-IP} allocates nothing but the result.
 */
public final class ClientIpResolver {
    /** The default bound on examined forwarded hops. */
    public static final int DEFAULT_MAX_FORWARDED_HOPS = 32;
    /** The largest accepted hop bound. */
    public static final int MAX_MAX_FORWARDED_HOPS = 1024;

    private static final System.Logger LOG = System.getLogger(ClientIpResolver.class.getName());

    // Walk results. A location packs the header value's index (7 bits) and the [start, end) of the
    // address text (24 bits each); a result >= 0 is "resolved at this location".
    static final long PEER = -1L;
    private static final int MAX_VALUES = 1 << 7;
    private static final int MAX_LENGTH = 1 << 24;
    private static final int BAD_HOP = 1;
    private static final int HIDDEN_HOP = 2;
    private static final int TOO_MANY_HOPS = 3;
    private static final int MALFORMED = 4;
    private static final int TOO_LONG = 5;
    private static final int NO_FOR = 6;

    private final boolean behindProxy;
    private final boolean trustAll;
    private final CidrSet trusted;
    private final boolean trustUnix;
    private final List<ForwardedHeader> headers;
    private final ForwardedHeader[] headerOrder;
    private final int maxHops;
    private final boolean usesForwardedHeaders;
    private final List<String> warnings;

    private ClientIpResolver(Builder b) {
        this.behindProxy = b.behindProxy;
        this.trustAll = b.trustAllProxies;
        this.trusted = b.trustedProxies;
        this.trustUnix = b.trustUnixSocketProxies;
        this.headers = List.copyOf(b.headers);
        this.headerOrder = this.headers.toArray(new ForwardedHeader[0]);
        this.maxHops = b.maxForwardedHops;
        this.usesForwardedHeaders = behindProxy && (trustAll || !trusted.isEmpty() || trustUnix);
        List<String> w = new ArrayList<>();
        if (behindProxy && trustAll) {
            w.add("TRUST_ALL_PROXIES is on: the client address is the left-most " + headers.get(0).headerName()
                    + " entry, which any client can forge unless the edge proxy overwrites the header");
        } else if (behindProxy && trusted.isEmpty() && !trustUnix) {
            w.add("IS_BEHIND_PROXY is on but neither TRUSTED_PROXIES nor TRUST_ALL_PROXIES is set: forwarded"
                    + " headers are ignored and every client appears as the proxy's address");
        }
        this.warnings = List.copyOf(w);
    }

    /** A builder; defaults: not behind a proxy, no trusted proxies, {@code X-Forwarded-For}, 32 hops. */
    public static Builder builder() {
        return new Builder();
    }

    /** Start-up warnings about this configuration (also logged once, at {@link Builder#build()}). */
    public List<String> warnings() {
        return warnings;
    }

    /** {@code unix:} in {@code TRUSTED_PROXIES}: a peer without an IP address (a Unix socket) is a trusted proxy. */
    public boolean trustsUnixSocketProxies() {
        return trustUnix;
    }

    /** Whether forwarded headers are read at all (behind a proxy, with trusted proxies, {@code unix:} or trust-all). */
    public boolean usesForwardedHeaders() {
        return usesForwardedHeaders;
    }

    /**
     * Resolves the client of a request.
     *
     * @param peer the socket peer's address, or null when the transport has none (a Unix socket)
     * @param headers the request headers
     */
    public ClientIp resolve(@Nullable IpAddress peer, HeaderLookup headers) {
        MutableIpAddress client = new MutableIpAddress();
        if (resolve(peer, headers, client)) {
            return new ClientIp.Resolved(peer != null && client.sameAs(peer) ? peer : client.toIpAddress());
        }
        return unresolved(peer, headers);
    }

    /**
     * Resolves the client into {@code client}, allocating nothing (beyond what {@code headers}
     * allocates): the hot-path form of {@link #resolve(IpAddress, HeaderLookup)}.
     *
     * @return true when resolved; false when unresolved (fail closed), and {@code client} is then empty
     */
    @SuppressWarnings("NullAway") // values is non-null exactly when one is null, which NullAway cannot follow
    public boolean resolve(@Nullable IpAddress peer, HeaderLookup headers, MutableIpAddress client) {
        if (!isTrustedPeer(peer)) {
            return peer(peer, client);
        }
        for (int i = 0; i < headerOrder.length; i++) {
            // One header line (the common case) is read through only(): no list.
            String one = headers.only(headerOrder[i].headerName());
            List<String> values = one != null ? null : headers.values(headerOrder[i].headerName());
            if (one != null ? hasContent(one) : hasContent(values)) {
                long r = walk(values, one, headerOrder[i], trustAll ? null : client);
                if (r == PEER) {
                    return peer(peer, client);
                }
                if (r >= 0) {
                    return (r & IN_OUT) != 0
                            || client.parse(one != null ? one : values.get(valueIndex(values, r)), start(r), end(r));
                }
                client.clear();
                return false;
            }
        }
        return peer(peer, client);
    }

    /**
     * Whether forwarded headers from this peer count: behind a proxy, an IP peer that is trusted (any
     * under trust-all), or a peer without an address when {@code unix:} is listed.
     */
    private boolean isTrustedPeer(@Nullable IpAddress peer) {
        if (peer == null) {
            return behindProxy && trustUnix;
        }
        return usesForwardedHeaders && (trustAll || trusted.contains(peer));
    }

    /** The peer is the client: resolved to its address, or unresolved when it has none (a Unix socket). */
    private static boolean peer(@Nullable IpAddress peer, MutableIpAddress client) {
        if (peer == null) {
            client.clear();
            return false;
        }
        client.set(peer);
        return true;
    }

    /** Why {@code resolve} fails for this request (the walk again: only for the rare unresolved case). */
    private ClientIp.Unresolved unresolved(@Nullable IpAddress peer, HeaderLookup headers) {
        if (peer == null && !isTrustedPeer(null)) {
            return new ClientIp.Unresolved(ClientIp.Cause.NO_PEER_ADDRESS,
                    "the connection has no peer IP address (a Unix domain socket)"
                    + (behindProxy ? " and TRUSTED_PROXIES does not list unix:" : " and IS_BEHIND_PROXY is off"));
        }
        for (ForwardedHeader h : headerOrder) {
            List<String> values = headers.values(h.headerName());
            if (hasContent(values)) {
                long r = walk(values, h, null);
                if (r == PEER && peer == null) {
                    break;
                }
                return r < 0 && r != PEER ? new ClientIp.Unresolved(cause(r), reason(r, values, h))
                        : new ClientIp.Unresolved("internal: located hop does not parse");
            }
        }
        if (peer == null) {
            StringBuilder names = new StringBuilder();
            for (ForwardedHeader h : headerOrder) {
                names.append(names.length() == 0 ? "" : " or ").append(h.headerName());
            }
            return new ClientIp.Unresolved(ClientIp.Cause.NO_PEER_ADDRESS,
                    "the proxy on a Unix domain socket sent no usable " + names + " entry, and the socket has no IP address");
        }
        return new ClientIp.Unresolved("unresolved");
    }

    /**
     * Whether the request reached the client over https. Behind a proxy, from a trusted peer (a
     * trusted IP, any IP under trust-all, a Unix socket with {@code unix:}), the proxy's
     * {@code X-Forwarded-Proto} decides when it has a value, whatever the connection to the proxy
     * was: https when its right-most value is {@code https} (ASCII case-insensitive, optional
     * whitespace around it), plain http for any other value, as Tomcat's {@code RemoteIpValve}
     * decides (a TLS hop from the proxy does not make a client's plain-http request secure). The
     * right-most value across every header line and comma list decides, since it is the one the
     * trusted peer wrote: a value a client sent further left never switches the scheme. Empty list
     * elements are skipped. When {@code X-Forwarded-Proto} is absent and {@code Forwarded} is a
     * configured header, the right-most element's {@code proto} decides likewise. With no such
     * value, or from any other peer, the connection itself decides. Allocates nothing.
     */
    @SuppressWarnings("NullAway") // values is non-null exactly when one is null, which NullAway cannot follow
    public boolean isHttps(@Nullable IpAddress peer, HeaderLookup headers, boolean connectionSecure) {
        if (!isTrustedPeer(peer)) {
            return connectionSecure;
        }
        String one = headers.only("X-Forwarded-Proto");
        List<String> values = one != null ? null : headers.values("X-Forwarded-Proto");
        if (one == null && values.isEmpty() && this.headers.contains(ForwardedHeader.FORWARDED)) {
            int proto = forwardedProto(headers.values("Forwarded"));
            return proto < 0 ? connectionSecure : proto == 1;
        }
        for (int v = (one != null ? 1 : values.size()) - 1; v >= 0; v--) {
            String s = one != null ? one : values.get(v);
            int pos = s == null ? 0 : s.length();
            while (pos > 0) {
                int comma = s.lastIndexOf(',', pos - 1);
                int start = Text.trimOwsStart(s, comma + 1, pos);
                int end = Text.trimOwsEnd(s, start, pos);
                if (start < end) {
                    return isHttpsToken(s, start, end);
                }
                pos = Math.max(comma, 0);
            }
        }
        return connectionSecure;
    }

    /**
     * {@code Forwarded: proto=} of the right-most element (the one the trusted peer wrote): 1 when
     * it is {@code https}, 0 for any other value, -1 when that element has no {@code proto} or the
     * header does not parse (it says nothing about the scheme).
     */
    private static int forwardedProto(List<String> values) {
        for (int v = values.size() - 1; v >= 0; v--) {
            String s = values.get(v);
            if (s == null || !hasContent(List.of(s))) {
                continue;
            }
            ForwardedParser p = new ForwardedParser(s);
            long proto = -1;
            for (long e; (e = p.next()) != ForwardedParser.END; ) {
                if (e == ForwardedParser.ERROR) {
                    return -1;
                }
                proto = p.proto();
            }
            if (proto < 0) {
                return -1;
            }
            return isHttpsToken(s, (int) (proto >>> 24), (int) (proto & 0xffffff)) ? 1 : 0;
        }
        return -1;
    }

    /** {@code s[start, end)} is {@code https} in any ASCII case (no Unicode case folding: not {@code httpſ}). */
    private static boolean isHttpsToken(String s, int start, int end) {
        if (end - start != 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            char c = s.charAt(start + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != "https".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasContent(List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (hasContent(values.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasContent(String v) {
        if (v != null) {
            for (int j = 0; j < v.length(); j++) {
                if (!Text.isOws(v.charAt(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    // step() answers: a location (>= 0, CONT clear) ends the walk with that client; CONT | location
    // goes on left with a new left-most candidate; KEEP goes on with the candidate unchanged; LIMIT
    // means the hop bound was reached; any other negative value is a final "unresolved".
    private static final long CONT = 1L << 62;
    private static final long KEEP = CONT | ((1L << 55) - 1);
    private static final long LIMIT = Long.MIN_VALUE + 2;
    // Marks a location whose address the walk has already put in its holder (no second parse).
    private static final long IN_OUT = 1L << 60;

    /**
     * Walks the chain from the right; see the class comment. With a holder ({@code out}, never under
     * trust-all), a plain IPv4 hop is read right to left in the same pass that finds it, and a result
     * marked {@link #IN_OUT} is already in {@code out}; other hops take the general path.
     */
    long walk(List<String> values, ForwardedHeader kind, @Nullable MutableIpAddress out) {
        return walk(values, null, kind, out);
    }

    /** As {@link #walk(List, ForwardedHeader, MutableIpAddress)} over {@code values}, or over the one value {@code one} when values is null. */
    private long walk(@Nullable List<String> values, @Nullable String one, ForwardedHeader kind, @Nullable MutableIpAddress out) {
        int size = values == null ? 1 : values.size();
        int first = Math.max(0, size - MAX_VALUES);
        for (int v = first; v < size; v++) {
            String s = values == null ? one : values.get(v);
            if (s != null && s.length() >= MAX_LENGTH) {
                return unresolved(TOO_LONG, 0);
            }
        }
        if (kind == ForwardedHeader.FORWARDED) {
            return walkForwarded(values == null ? List.of(one) : values, first);
        }
        long leftmost = PEER;
        int examined = 0;
        for (int v = size - 1; v >= first; v--) {
            String s = values == null ? one : values.get(v);
            if (s == null) {
                continue;
            }
            int pos = s.length();
            while (pos > 0) {
                if (out != null) {
                    // The fast path: "..., a.b.c.d" with optional whitespace, read leftwards at once.
                    int end = Text.trimOwsEnd(s, 0, pos);
                    int start = end > 0 && isDigit(s.charAt(end - 1)) ? out.parseIpv4Before(s, 0, end) : -1;
                    int before = start < 0 ? -1 : Text.trimOwsEnd(s, 0, start);
                    if (start >= 0 && (before == 0 || s.charAt(before - 1) == ',')) {
                        if (examined++ == maxHops) {
                            return atLimit(leftmost);
                        }
                        long at = IN_OUT | loc(v - first, start, end);
                        if (!trusted.contains(out)) {
                            return at;
                        }
                        leftmost = at;
                        pos = Math.max(0, before - 1);
                        continue;
                    }
                }
                int comma = s.lastIndexOf(',', pos - 1);
                int start = Text.trimOwsStart(s, comma + 1, pos);
                int end = Text.trimOwsEnd(s, start, pos);
                pos = comma < 0 ? 0 : comma;
                if (start == end) {
                    continue;
                }
                long r = examined++ == maxHops ? LIMIT : step(s, v - first, start, end);
                if (r >= 0 && (r & CONT) != 0) {
                    leftmost = r == KEEP ? leftmost : r & ~CONT;
                    continue;
                }
                return r == LIMIT ? atLimit(leftmost) : r;
            }
        }
        return leftmost;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private long atLimit(long leftmost) {
        // The bound limits the walk: under trust-all the window's left-most valid entry answers;
        // otherwise every examined hop was trusted and more remain.
        return trustAll ? leftmost : unresolved(TOO_MANY_HOPS, 0);
    }

    /** One hop of the walk at {@code s[start, end)} (header value {@code v}); see the codes above. */
    private long step(CharSequence s, int v, int start, int end) {
        long addr = hostBounds(s, start, end);
        int m = CidrSet.INVALID;
        int as = 0;
        int ae = 0;
        if (addr >= 0) {
            as = (int) (addr >>> 24);
            ae = (int) (addr & 0xffffff);
            m = trusted.match(s, as, ae);
        }
        if (m == CidrSet.INVALID) {
            return trustAll ? KEEP : unresolved(isHidden(s, start, end) ? HIDDEN_HOP : BAD_HOP, loc(v, start, end));
        }
        return trustAll || m == CidrSet.MATCH ? CONT | loc(v, as, ae) : loc(v, as, ae);
    }

    private long walkForwarded(List<String> values, int first) {
        // Quoted strings may hold commas, so elements are found left to right, then walked from the
        // right. Only the right-most maxHops + 1 elements can matter: a ring buffer keeps those.
        int cap = maxHops + 1;
        long[] hops = new long[Math.min(cap, 16)];
        long n = 0;
        for (int v = first; v < values.size(); v++) {
            String s = values.get(v);
            if (s == null) {
                continue;
            }
            ForwardedParser p = new ForwardedParser(s);
            for (long e = p.next(); e != ForwardedParser.END; e = p.next()) {
                if (e == ForwardedParser.ERROR) {
                    int at = Math.min(p.errorIndex(), s.length() - 1);
                    return unresolved(MALFORMED, loc(v - first, at, at + 1));
                }
                if (n == hops.length && hops.length < cap) {
                    hops = java.util.Arrays.copyOf(hops, (int) Math.min(cap, hops.length * 2L));
                }
                // A hop packs the value index and the for= value's [start, end), or marks "no for=".
                long hop = e == ForwardedParser.NO_FOR ? -1 - (v - first)
                        : loc(v - first, (int) (e >>> 24), (int) (e & 0xffffff));
                hops[(int) (n++ % hops.length)] = hop;
            }
        }
        long leftmost = PEER;
        int examined = 0;
        for (long i = n - 1; i >= Math.max(0, n - hops.length); i--) {
            long h = hops[(int) (i % hops.length)];
            long r;
            if (examined++ == maxHops) {
                r = LIMIT;
            } else if (h < 0) {
                r = trustAll ? KEEP : unresolved(NO_FOR, 0);
            } else {
                int v = (int) (h >>> 48);
                r = step(values.get(first + v), v, start(h), end(h));
            }
            if (r >= 0 && (r & CONT) != 0) {
                leftmost = r == KEEP ? leftmost : r & ~CONT;
                continue;
            }
            return r == LIMIT ? atLimit(leftmost) : r;
        }
        return leftmost;
    }

    /**
     * The address part of a hop: {@code [v6]}, {@code [v6]:port}, {@code v4:port}, or the whole
     * entry. Returns {@code start << 24 | end}, or -1 when the port or brackets are malformed.
     */
    static long hostBounds(CharSequence s, int start, int end) {
        if (s.charAt(start) == '[') {
            int close = -1;
            for (int i = start + 1; i < end; i++) {
                if (s.charAt(i) == ']') {
                    close = i;
                    break;
                }
            }
            if (close < 0 || !portOk(s, close + 1, end)) {
                return -1;
            }
            return ((long) (start + 1) << 24) | close;
        }
        int colon = -1;
        int colons = 0;
        for (int i = start; i < end; i++) {
            if (s.charAt(i) == ':') {
                colons++;
                colon = i;
            }
        }
        if (colons == 1) {
            if (!portOk(s, colon, end)) {
                return -1;
            }
            return ((long) start << 24) | colon;
        }
        return ((long) start << 24) | end;
    }

    /** Nothing, or {@code :} and 1-5 digits (RFC 7239 also allows an obfuscated {@code _port}). */
    private static boolean portOk(CharSequence s, int from, int end) {
        if (from == end) {
            return true;
        }
        if (s.charAt(from) != ':' || end - from < 2) {
            return false;
        }
        if (s.charAt(from + 1) == '_') {
            return true;
        }
        if (end - from > 6) {
            return false;
        }
        for (int i = from + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 7239 section 6: {@code unknown} and obfuscated {@code _identifiers} hide the client. */
    private static boolean isHidden(CharSequence s, int start, int end) {
        if (s.charAt(start) == '_') {
            return true;
        }
        if (end - start != 7) {
            return false;
        }
        for (int i = 0; i < 7; i++) {
            if (Character.toLowerCase(s.charAt(start + i)) != "unknown".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static long loc(int v, int start, int end) {
        return ((long) v << 48) | ((long) start << 24) | end;
    }

    private static long unresolved(int kind, long loc) {
        return Long.MIN_VALUE | ((long) kind << 55) | loc;
    }

    private static int valueIndex(List<String> values, long r) {
        return Math.max(0, values.size() - MAX_VALUES) + (int) ((r >>> 48) & 0x7f);
    }

    private static int start(long r) {
        return (int) ((r >>> 24) & 0xffffff);
    }

    private static int end(long r) {
        return (int) (r & 0xffffff);
    }

    private static ClientIp.Cause cause(long r) {
        return switch ((int) ((r >>> 55) & 0xff)) {
            case BAD_HOP -> ClientIp.Cause.NOT_AN_IP;
            case HIDDEN_HOP -> ClientIp.Cause.HIDDEN;
            case TOO_MANY_HOPS -> ClientIp.Cause.TOO_MANY_HOPS;
            case MALFORMED -> ClientIp.Cause.MALFORMED_HEADER;
            case TOO_LONG -> ClientIp.Cause.HEADER_TOO_LONG;
            case NO_FOR -> ClientIp.Cause.NO_FOR;
            default -> ClientIp.Cause.OTHER;
        };
    }

    private String reason(long r, List<String> values, ForwardedHeader kind) {
        int k = (int) ((r >>> 55) & 0xff);
        String name = kind.headerName();
        String hop = k == TOO_MANY_HOPS || k == TOO_LONG || k == NO_FOR
                ? ""
                : Text.quote(values.get(valueIndex(values, r)).substring(start(r), end(r)));
        return switch (k) {
            case BAD_HOP -> name + " hop " + hop + " where the client should be is not an IP address";
            case HIDDEN_HOP -> name + " hop " + hop + " where the client should be hides the client's address";
            case TOO_MANY_HOPS -> "more than " + maxHops + " trusted hops in " + name
                    + " (GATEHOUSE_MAX_FORWARDED_HOPS)";
            case MALFORMED -> name + " header is malformed at " + hop;
            case TOO_LONG -> name + " header is longer than " + (MAX_LENGTH - 1) + " characters";
            case NO_FOR -> name + " element without for= where the client should be";
            default -> "unresolved";
        };
    }

    @Override
    public String toString() {
        return "ClientIpResolver{behindProxy=" + behindProxy + ", trustAllProxies=" + trustAll
                + ", trustedProxies=" + trusted.blocks() + ", trustUnixSocketProxies=" + trustUnix + ", headers=" + headers + ", maxForwardedHops=" + maxHops + "}";
    }

    /** Builds a {@link ClientIpResolver}. */
    public static final class Builder {
        private boolean behindProxy;
        private boolean trustAllProxies;
        private CidrSet trustedProxies = CidrSet.empty();
        private boolean trustUnixSocketProxies;
        private List<ForwardedHeader> headers = List.of(ForwardedHeader.X_FORWARDED_FOR);
        private int maxForwardedHops = DEFAULT_MAX_FORWARDED_HOPS;
        private boolean log = true;

        private Builder() {
        }

        /** {@code IS_BEHIND_PROXY}: honour forwarded headers and {@code X-Forwarded-Proto}. */
        public Builder behindProxy(boolean behindProxy) {
            this.behindProxy = behindProxy;
            return this;
        }

        /** {@code TRUSTED_PROXIES}: the proxies (addresses or blocks) whose forwarded headers count. */
        public Builder trustedProxies(CidrSet trustedProxies) {
            this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
            return this;
        }

        /**
         * {@code unix:} in {@code TRUSTED_PROXIES} (default false): a peer without an IP address (a
         * proxy connected over a Unix domain socket; adapters pass a null peer) is a trusted proxy, so
         * its forwarded headers and {@code X-Forwarded-Proto} count. Off, such a request is unresolved.
         */
        public Builder trustUnixSocketProxies(boolean trust) {
            this.trustUnixSocketProxies = trust;
            return this;
        }

        /** {@code TRUST_ALL_PROXIES}: trust every hop (spoofable unless the edge overwrites the header). */
        public Builder trustAllProxies(boolean trustAllProxies) {
            this.trustAllProxies = trustAllProxies;
            return this;
        }

        /**
         * {@code GATEHOUSE_CLIENT_IP_HEADERS}: the headers to read, in order of preference; the first
         * one present in a request is used.
         */
        public Builder headers(List<ForwardedHeader> headers) {
            if (headers.isEmpty()) {
                throw new IllegalArgumentException("at least one client-IP header is needed");
            }
            this.headers = List.copyOf(headers);
            return this;
        }

        /** {@code GATEHOUSE_MAX_FORWARDED_HOPS}: how many right-most entries are examined, 1-1024. */
        public Builder maxForwardedHops(int maxForwardedHops) {
            if (maxForwardedHops < 1 || maxForwardedHops > MAX_MAX_FORWARDED_HOPS) {
                throw new IllegalArgumentException("maxForwardedHops must be 1-" + MAX_MAX_FORWARDED_HOPS
                        + ", not " + maxForwardedHops);
            }
            this.maxForwardedHops = maxForwardedHops;
            return this;
        }

        /** Whether {@link #build()} logs the start-up warnings (default true). */
        public Builder logWarnings(boolean log) {
            this.log = log;
            return this;
        }

        /** The resolver; logs its warnings once. */
        public ClientIpResolver build() {
            ClientIpResolver r = new ClientIpResolver(this);
            if (log) {
                r.warnings.forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
            }
            return r;
        }
    }
}
