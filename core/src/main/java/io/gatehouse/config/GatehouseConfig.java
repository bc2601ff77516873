package io.gatehouse.config;

import io.gatehouse.access.IpAllowList;
import io.gatehouse.internal.Text;
import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.CidrSet;
import io.gatehouse.proxy.ClientIpResolver;
import io.gatehouse.proxy.ForwardedHeader;
import io.gatehouse.secret.SecretKeyPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Gatehouse's validated configuration: PostHog's environment variables, with PostHog's names and
 * meanings ({@code ALLOWED_IP_BLOCKS}, {@code IS_BEHIND_PROXY}, {@code TRUSTED_PROXIES},
 * {@code TRUST_ALL_PROXIES}, {@code SECURE_COOKIES}, {@code DISABLE_SECURE_SSL_REDIRECT},
 * {@code SECRET_KEY}, {@code SECRET_KEY_FALLBACKS}, {@code DEBUG}, {@code TEST}), and the
 * {@code GATEHOUSE_} ones, read by {@link #fromEnvironment(Map)} or set on {@link #builder()}, which
 * has one option per variable. Every problem is gathered and thrown at once as a
 * {@link ConfigException}; secret values never appear in a message or in {@link #toString()}.
 * Immutable and thread-safe.
 */
public final class GatehouseConfig {
    /** The {@code GATEHOUSE_EXEMPT_PATHS} value that selects PostHog's exempt list (any case). */
    public static final String POSTHOG_PRESET = "posthog";
    /** Default {@code GATEHOUSE_CSP_PATH}. */
    public static final String DEFAULT_CSP_PATH = "/report";
    /** Default {@code GATEHOUSE_CSP_MAX_BODY_BYTES}: 1 MiB. */
    public static final int DEFAULT_CSP_MAX_BODY_BYTES = 1 << 20;
    /** Default {@code GATEHOUSE_CSP_MAX_REPORTS}. */
    public static final int DEFAULT_CSP_MAX_REPORTS = 100;
    /** Default {@code GATEHOUSE_READ_TIMEOUT_SECONDS}. */
    public static final int DEFAULT_READ_TIMEOUT_SECONDS = 10;

    private final boolean debug;
    private final boolean test;
    private final CidrSet allowedIpBlocks;
    private final boolean behindProxy;
    private final CidrSet trustedProxies;
    private final boolean trustUnixSocketProxies;
    private final boolean trustAllProxies;
    private final boolean secureCookies;
    private final boolean disableSecureSslRedirect;
    private final @Nullable String secretKey;
    private final boolean requireSecretKey;
    private final List<String> secretKeyFallbacks;
    private final Set<String> exemptPaths;
    private final List<ForwardedHeader> clientIpHeaders;
    private final int maxForwardedHops;
    private final String cspPath;
    private final int cspMaxBodyBytes;
    private final int cspMaxReports;
    private final @Nullable Set<String> cspTokens;
    private final boolean cspDropExtensionReports;
    private final int readTimeoutSeconds;
    private final List<String> warnings;

    private GatehouseConfig(Builder b, List<String> warnings) {
        this.debug = b.debug;
        this.test = b.test;
        this.allowedIpBlocks = CidrSet.of(b.allowedIpBlocks);
        this.behindProxy = b.behindProxy;
        this.trustedProxies = CidrSet.of(b.trustedProxies);
        this.trustUnixSocketProxies = b.trustUnixSocketProxies;
        this.trustAllProxies = b.trustAllProxies;
        this.secureCookies = b.secureCookies != null ? b.secureCookies : !b.debug && !b.test;
        this.disableSecureSslRedirect = b.disableSecureSslRedirect;
        this.secretKey = b.secretKey;
        this.requireSecretKey = b.requireSecretKey;
        this.secretKeyFallbacks = List.copyOf(b.secretKeyFallbacks);
        this.exemptPaths = Set.copyOf(b.resolvedExemptPaths());
        this.clientIpHeaders = List.copyOf(b.clientIpHeaders);
        this.maxForwardedHops = b.maxForwardedHops;
        this.cspPath = b.cspPath;
        this.cspMaxBodyBytes = b.cspMaxBodyBytes;
        this.cspMaxReports = b.cspMaxReports;
        this.cspTokens = b.cspTokens == null ? null : Set.copyOf(b.cspTokens);
        this.cspDropExtensionReports = b.cspDropExtensionReports;
        this.readTimeoutSeconds = b.readTimeoutSeconds;
        this.warnings = List.copyOf(warnings);
    }

    /** Reads {@link System#getenv()}. */
    public static GatehouseConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads PostHog's variables (listed on this class) and the {@code GATEHOUSE_} ones from
     * {@code env}; a variable that is not set takes its default.
     *
     * @throws ConfigException listing every problem
     */
    public static GatehouseConfig fromEnvironment(Map<String, String> env) {
        Builder b = builder();
        String v;
        if ((v = env.get("DEBUG")) != null) {
            b.debug(Settings.strToBool(v));
        }
        if ((v = env.get("TEST")) != null) {
            b.test(Settings.strToBool(v));
        }
        if ((v = env.get("ALLOWED_IP_BLOCKS")) != null) {
            b.allowedIpBlocks(v);
        }
        if ((v = env.get("IS_BEHIND_PROXY")) != null) {
            b.behindProxy(Settings.strToBool(v));
        }
        if ((v = env.get("TRUSTED_PROXIES")) != null) {
            b.trustedProxies(v);
        }
        if ((v = env.get("TRUST_ALL_PROXIES")) != null) {
            b.trustAllProxies(Settings.strToBool(v));
        }
        if ((v = env.get("SECURE_COOKIES")) != null) {
            // Set but empty means on (PostHog); otherwise str_to_bool.
            b.secureCookies(v.isBlank() || Settings.strToBool(v));
        }
        if ((v = env.get("DISABLE_SECURE_SSL_REDIRECT")) != null) {
            b.disableSecureSslRedirect(Settings.strToBool(v));
        }
        if ((v = env.get("SECRET_KEY")) != null) {
            b.secretKey(v);
        }
        if ((v = env.get("SECRET_KEY_FALLBACKS")) != null) {
            b.secretKeyFallbacks(v);
        }
        if ((v = env.get("GATEHOUSE_REQUIRE_SECRET_KEY")) != null) {
            Boolean require = Settings.strictBool("GATEHOUSE_REQUIRE_SECRET_KEY", v, b.problems);
            if (require != null) {
                b.requireSecretKey(require);
            }
        }
        if ((v = env.get("GATEHOUSE_EXEMPT_PATHS")) != null) {
            b.exemptPaths(v);
        }
        if ((v = env.get("GATEHOUSE_CLIENT_IP_HEADERS")) != null) {
            b.clientIpHeaders(v);
        }
        if ((v = env.get("GATEHOUSE_MAX_FORWARDED_HOPS")) != null) {
            b.setInt("GATEHOUSE_MAX_FORWARDED_HOPS", v, 1, ClientIpResolver.MAX_MAX_FORWARDED_HOPS, b::maxForwardedHops);
        }
        if ((v = env.get("GATEHOUSE_CSP_PATH")) != null) {
            b.cspPath(v);
        }
        if ((v = env.get("GATEHOUSE_CSP_MAX_BODY_BYTES")) != null) {
            b.setInt("GATEHOUSE_CSP_MAX_BODY_BYTES", v, 1, Builder.MAX_BODY_LIMIT, b::cspMaxBodyBytes);
        }
        if ((v = env.get("GATEHOUSE_CSP_MAX_REPORTS")) != null) {
            b.setInt("GATEHOUSE_CSP_MAX_REPORTS", v, 1, Builder.MAX_REPORTS_LIMIT, b::cspMaxReports);
        }
        if ((v = env.get("GATEHOUSE_CSP_TOKENS")) != null) {
            b.cspTokens(v);
        }
        if ((v = env.get("GATEHOUSE_CSP_DROP_EXTENSION_REPORTS")) != null) {
            Boolean drop = Settings.strictBool("GATEHOUSE_CSP_DROP_EXTENSION_REPORTS", v, b.problems);
            if (drop != null) {
                b.cspDropExtensionReports(drop);
            }
        }
        if ((v = env.get("GATEHOUSE_READ_TIMEOUT_SECONDS")) != null) {
            b.setInt("GATEHOUSE_READ_TIMEOUT_SECONDS", v, 1, Builder.MAX_READ_TIMEOUT, b::readTimeoutSeconds);
        }
        return b.build();
    }

    /** A builder with every default of the README's table. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code DEBUG}. */
    public boolean debug() {
        return debug;
    }

    /** {@code TEST}. */
    public boolean test() {
        return test;
    }

    /** {@code DEBUG} or {@code TEST}: development rules for secrets and cookies. */
    public boolean development() {
        return debug || test;
    }

    /** {@code ALLOWED_IP_BLOCKS}; empty means no restriction. */
    public CidrSet allowedIpBlocks() {
        return allowedIpBlocks;
    }

    /** {@code IS_BEHIND_PROXY}. */
    public boolean behindProxy() {
        return behindProxy;
    }

    /** {@code TRUSTED_PROXIES}: its addresses and blocks ({@code unix:} is {@link #trustUnixSocketProxies()}). */
    public CidrSet trustedProxies() {
        return trustedProxies;
    }

    /**
     * {@code unix:} in {@code TRUSTED_PROXIES}: a peer without an IP address (a proxy on a Unix domain
     * socket) is a trusted proxy.
     */
    public boolean trustUnixSocketProxies() {
        return trustUnixSocketProxies;
    }

    /** {@code TRUST_ALL_PROXIES}. */
    public boolean trustAllProxies() {
        return trustAllProxies;
    }

    /** {@code SECURE_COOKIES}, resolved: when unset, {@code !DEBUG && !TEST}. */
    public boolean secureCookies() {
        return secureCookies;
    }

    /** {@code DISABLE_SECURE_SSL_REDIRECT}. */
    public boolean disableSecureSslRedirect() {
        return disableSecureSslRedirect;
    }

    /** Whether plain-http requests are redirected to https: secure cookies on and the redirect not disabled. */
    public boolean sslRedirect() {
        return secureCookies && !disableSecureSslRedirect;
    }

    /** {@code SECRET_KEY}, when set. The one accessor that reveals it. */
    public Optional<String> secretKey() {
        return Optional.ofNullable(secretKey);
    }

    /**
     * {@code GATEHOUSE_REQUIRE_SECRET_KEY}: whether {@code SECRET_KEY} must be set outside
     * {@code DEBUG}/{@code TEST} (false for an application that has no secret).
     */
    public boolean requireSecretKey() {
        return requireSecretKey;
    }

    /** {@code SECRET_KEY_FALLBACKS}: older keys still accepted during rotation. */
    public List<String> secretKeyFallbacks() {
        return secretKeyFallbacks;
    }

    /** {@code GATEHOUSE_EXEMPT_PATHS}: first path segments the allow-list lets through. */
    public Set<String> exemptPaths() {
        return exemptPaths;
    }

    /** {@code GATEHOUSE_CLIENT_IP_HEADERS}, in order of preference. */
    public List<ForwardedHeader> clientIpHeaders() {
        return clientIpHeaders;
    }

    /** {@code GATEHOUSE_MAX_FORWARDED_HOPS}. */
    public int maxForwardedHops() {
        return maxForwardedHops;
    }

    /** {@code GATEHOUSE_CSP_PATH}, without a trailing slash; served with and without it. */
    public String cspPath() {
        return cspPath;
    }

    /** {@code GATEHOUSE_CSP_MAX_BODY_BYTES}. */
    public int cspMaxBodyBytes() {
        return cspMaxBodyBytes;
    }

    /** {@code GATEHOUSE_CSP_MAX_REPORTS}. */
    public int cspMaxReports() {
        return cspMaxReports;
    }

    /** {@code GATEHOUSE_CSP_TOKENS}: the accepted tokens; empty when any non-empty token is accepted. */
    public Optional<Set<String>> cspTokens() {
        return Optional.ofNullable(cspTokens);
    }

    /** {@code GATEHOUSE_CSP_DROP_EXTENSION_REPORTS}. */
    public boolean cspDropExtensionReports() {
        return cspDropExtensionReports;
    }

    /** {@code GATEHOUSE_READ_TIMEOUT_SECONDS}. */
    public int readTimeoutSeconds() {
        return readTimeoutSeconds;
    }

    /** Start-up warnings (host bits set, spoofable proxy trust, development secrets, ...). */
    public List<String> warnings() {
        return warnings;
    }

    /** The client-IP resolver this configuration describes. */
    public ClientIpResolver clientIpResolver() {
        return ClientIpResolver.builder()
                .behindProxy(behindProxy)
                .trustedProxies(trustedProxies)
                .trustUnixSocketProxies(trustUnixSocketProxies)
                .trustAllProxies(trustAllProxies)
                .headers(clientIpHeaders)
                .maxForwardedHops(maxForwardedHops)
                .logWarnings(false)
                .build();
    }

    /** The allow-list this configuration describes. */
    public IpAllowList ipAllowList() {
        return IpAllowList.of(allowedIpBlocks, exemptPaths);
    }

    /** Every setting, with secrets shown only as their length. */
    @Override
    public String toString() {
        return "GatehouseConfig{debug=" + debug + ", test=" + test
                + ", allowedIpBlocks=" + allowedIpBlocks.blocks()
                + ", behindProxy=" + behindProxy + ", trustedProxies=" + trustedProxies.blocks()
                + ", trustUnixSocketProxies=" + trustUnixSocketProxies
                + ", trustAllProxies=" + trustAllProxies + ", secureCookies=" + secureCookies
                + ", disableSecureSslRedirect=" + disableSecureSslRedirect
                + ", secretKey=" + redacted(secretKey) + ", requireSecretKey=" + requireSecretKey
                + ", secretKeyFallbacks=" + secretKeyFallbacks.stream().map(GatehouseConfig::redacted).toList()
                + ", exemptPaths=" + new java.util.TreeSet<>(exemptPaths) + ", clientIpHeaders=" + clientIpHeaders
                + ", maxForwardedHops=" + maxForwardedHops + ", cspPath=" + cspPath
                + ", cspMaxBodyBytes=" + cspMaxBodyBytes + ", cspMaxReports=" + cspMaxReports
                + ", cspTokens=" + (cspTokens == null ? "any" : cspTokens.size() + " tokens")
                + ", cspDropExtensionReports=" + cspDropExtensionReports
                + ", readTimeoutSeconds=" + readTimeoutSeconds + "}";
    }

    private static String redacted(@Nullable String secret) {
        return secret == null ? "unset" : "[redacted, " + secret.length() + " chars]";
    }

    /** Builds a {@link GatehouseConfig}; each option matches one environment variable. */
    public static final class Builder {
        static final int MAX_BODY_LIMIT = 256 << 20;
        static final int MAX_REPORTS_LIMIT = 100_000;
        static final int MAX_READ_TIMEOUT = 3600;

        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private boolean debug;
        private boolean test;
        private List<Cidr> allowedIpBlocks = List.of();
        private boolean behindProxy;
        private List<Cidr> trustedProxies = List.of();
        private boolean trustUnixSocketProxies;
        private boolean trustAllProxies;
        private @Nullable Boolean secureCookies;
        private boolean disableSecureSslRedirect;
        private @Nullable String secretKey;
        private boolean requireSecretKey = true;
        private List<String> secretKeyFallbacks = List.of();
        /** Set by a list; null for a list derived from the CSP path at build time (the default, or the preset). */
        private @Nullable Set<String> exemptPaths;
        private boolean postHogExemptPaths;
        private List<ForwardedHeader> clientIpHeaders = List.of(ForwardedHeader.X_FORWARDED_FOR);
        private int maxForwardedHops = ClientIpResolver.DEFAULT_MAX_FORWARDED_HOPS;
        private String cspPath = DEFAULT_CSP_PATH;
        private int cspMaxBodyBytes = DEFAULT_CSP_MAX_BODY_BYTES;
        private int cspMaxReports = DEFAULT_CSP_MAX_REPORTS;
        private @Nullable Set<String> cspTokens;
        private boolean cspDropExtensionReports = true;
        private int readTimeoutSeconds = DEFAULT_READ_TIMEOUT_SECONDS;

        private Builder() {
        }

        /** {@code DEBUG} (default false). */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /** {@code TEST} (default false). */
        public Builder test(boolean test) {
            this.test = test;
            return this;
        }

        /** {@code ALLOWED_IP_BLOCKS} as a comma list of IPs and CIDR blocks; blank entries are ignored. */
        public Builder allowedIpBlocks(String commaList) {
            this.allowedIpBlocks = Settings.cidrs("ALLOWED_IP_BLOCKS", commaList, problems, warnings);
            return this;
        }

        /** {@code ALLOWED_IP_BLOCKS} (default empty: no restriction). */
        public Builder allowedIpBlocks(Collection<Cidr> blocks) {
            this.allowedIpBlocks = List.copyOf(blocks);
            return this;
        }

        /** {@code IS_BEHIND_PROXY} (default false). */
        public Builder behindProxy(boolean behindProxy) {
            this.behindProxy = behindProxy;
            return this;
        }

        /**
         * {@code TRUSTED_PROXIES} as a comma list of IPs, CIDR blocks and {@code unix:} (a proxy on a
         * Unix domain socket): the whole setting, so it also sets {@link #trustUnixSocketProxies}.
         */
        public Builder trustedProxies(String commaList) {
            Settings.Proxies p = Settings.proxies("TRUSTED_PROXIES", commaList, problems, warnings);
            this.trustedProxies = p.blocks();
            this.trustUnixSocketProxies = p.unix();
            return this;
        }

        /** {@code TRUSTED_PROXIES}' addresses and blocks (default empty); leaves {@code unix:} as it is. */
        public Builder trustedProxies(Collection<Cidr> proxies) {
            this.trustedProxies = List.copyOf(proxies);
            return this;
        }

        /**
         * {@code unix:} in {@code TRUSTED_PROXIES} (default false): a peer without an IP address (a proxy
         * on a Unix domain socket; adapters pass a null peer) is a trusted proxy, so its forwarded
         * headers and {@code X-Forwarded-Proto} count. Off, such a request's client is unresolved.
         */
        public Builder trustUnixSocketProxies(boolean trust) {
            this.trustUnixSocketProxies = trust;
            return this;
        }

        /** {@code TRUST_ALL_PROXIES} (default false). */
        public Builder trustAllProxies(boolean trustAllProxies) {
            this.trustAllProxies = trustAllProxies;
            return this;
        }

        /** {@code SECURE_COOKIES}; null (the default) means {@code !DEBUG && !TEST}. */
        public Builder secureCookies(@Nullable Boolean secureCookies) {
            this.secureCookies = secureCookies;
            return this;
        }

        /** {@code DISABLE_SECURE_SSL_REDIRECT} (default false). */
        public Builder disableSecureSslRedirect(boolean disable) {
            this.disableSecureSslRedirect = disable;
            return this;
        }

        /** {@code SECRET_KEY}; required outside {@code DEBUG}/{@code TEST} unless {@link #requireSecretKey} is off. */
        public Builder secretKey(@Nullable String secretKey) {
            this.secretKey = secretKey == null || secretKey.isEmpty() ? null : secretKey;
            return this;
        }

        /**
         * {@code GATEHOUSE_REQUIRE_SECRET_KEY} (default true): whether {@code SECRET_KEY} must be set
         * outside {@code DEBUG}/{@code TEST}. False for an application that has no secret; a key that is
         * set is validated either way.
         */
        public Builder requireSecretKey(boolean require) {
            this.requireSecretKey = require;
            return this;
        }

        /** {@code SECRET_KEY_FALLBACKS} as a comma list. */
        public Builder secretKeyFallbacks(String commaList) {
            this.secretKeyFallbacks = Settings.entries(commaList).stream().map(Settings.Entry::text).toList();
            return this;
        }

        /** {@code SECRET_KEY_FALLBACKS} (default empty). */
        public Builder secretKeyFallbacks(List<String> fallbacks) {
            this.secretKeyFallbacks = List.copyOf(fallbacks);
            return this;
        }

        /**
         * {@code GATEHOUSE_EXEMPT_PATHS}: the word {@code posthog} (any case, the whole value) is
         * {@link #postHogExemptPaths()}; any other value is a comma list of first path segments that
         * replaces the default list ({@code /posthog} is the segment {@code posthog}).
         */
        public Builder exemptPaths(String commaList) {
            if (commaList != null && commaList.strip().equalsIgnoreCase(POSTHOG_PRESET)) {
                return postHogExemptPaths();
            }
            for (Settings.Entry e : Settings.entries(commaList)) {
                if (e.text().equalsIgnoreCase(POSTHOG_PRESET)) {
                    warnings.add("GATEHOUSE_EXEMPT_PATHS entry " + e.position() + " " + Text.quote(e.text())
                            + " is the path segment /" + e.text() + "/: the preset posthog applies only when it is"
                            + " the whole value");
                }
            }
            List<String> segs = Settings.each("GATEHOUSE_EXEMPT_PATHS", commaList, Builder::segment, problems);
            this.exemptPaths = new LinkedHashSet<>(segs);
            this.postHogExemptPaths = false;
            return this;
        }

        /**
         * {@code GATEHOUSE_EXEMPT_PATHS=posthog}: PostHog's list ({@link IpAllowList#POSTHOG_EXEMPT_PATHS}:
         * its ingest, flags and static routes and {@code _health}) plus the first segment of
         * {@link #cspPath}. For PostHog itself; in another application these are its own routes.
         */
        public Builder postHogExemptPaths() {
            this.exemptPaths = null;
            this.postHogExemptPaths = true;
            return this;
        }

        /**
         * {@code GATEHOUSE_EXEMPT_PATHS} as first path segments, which replace the default list (the
         * first segment of {@link #cspPath}, {@code report} by default, and {@code _health}).
         */
        public Builder exemptPaths(Set<String> firstSegments) {
            List<String> segs = new ArrayList<>();
            for (String s : firstSegments) {
                try {
                    segs.add(segment(s));
                } catch (IllegalArgumentException e) {
                    problems.add("GATEHOUSE_EXEMPT_PATHS entry " + Text.quote(s) + ": " + e.getMessage());
                }
            }
            this.exemptPaths = new LinkedHashSet<>(segs);
            this.postHogExemptPaths = false;
            return this;
        }

        /** The exempt segments: as listed, or derived from the CSP path (default list or PostHog preset). */
        Set<String> resolvedExemptPaths() {
            if (exemptPaths != null) {
                return exemptPaths;
            }
            Set<String> out = new LinkedHashSet<>(postHogExemptPaths ? IpAllowList.POSTHOG_EXEMPT_PATHS : Set.of("_health"));
            out.add(reportSegment());
            return out;
        }

        /** The CSP report path's first segment: {@code report} for {@code /report}. */
        private String reportSegment() {
            int slash = cspPath.indexOf('/', 1);
            return cspPath.substring(1, slash < 0 ? cspPath.length() : slash);
        }

        private static String segment(String s) {
            String t = s.strip();
            int from = 0;
            int to = t.length();
            while (from < to && t.charAt(from) == '/') {
                from++;
            }
            while (to > from && t.charAt(to - 1) == '/') {
                to--;
            }
            String seg = t.substring(from, to);
            if (seg.isEmpty() || seg.indexOf('/') >= 0 || seg.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw new IllegalArgumentException("expected one path segment, such as _health");
            }
            return seg;
        }

        /** {@code GATEHOUSE_CLIENT_IP_HEADERS} as a comma list of header names, in order of preference. */
        public Builder clientIpHeaders(String commaList) {
            List<ForwardedHeader> h = Settings.each("GATEHOUSE_CLIENT_IP_HEADERS", commaList,
                    ForwardedHeader::fromHeaderName, problems);
            if (h.isEmpty() && Settings.entries(commaList).isEmpty()) {
                problems.add("GATEHOUSE_CLIENT_IP_HEADERS is empty: name at least one of X-Forwarded-For, Forwarded, X-Real-IP");
            }
            if (!h.isEmpty()) {
                this.clientIpHeaders = List.copyOf(new LinkedHashSet<>(h));
            }
            return this;
        }

        /** {@code GATEHOUSE_CLIENT_IP_HEADERS} (default {@code X-Forwarded-For}). */
        public Builder clientIpHeaders(List<ForwardedHeader> headers) {
            if (headers.isEmpty()) {
                problems.add("GATEHOUSE_CLIENT_IP_HEADERS is empty: name at least one of X-Forwarded-For, Forwarded, X-Real-IP");
            } else {
                this.clientIpHeaders = List.copyOf(new LinkedHashSet<>(headers));
            }
            return this;
        }

        /** {@code GATEHOUSE_MAX_FORWARDED_HOPS}, 1-1024 (default 32). */
        public Builder maxForwardedHops(int hops) {
            if (checkRange("GATEHOUSE_MAX_FORWARDED_HOPS", hops, 1, ClientIpResolver.MAX_MAX_FORWARDED_HOPS)) {
                this.maxForwardedHops = hops;
            }
            return this;
        }

        /** {@code GATEHOUSE_CSP_PATH} (default {@code /report}): an absolute path, served with and without a trailing slash. */
        public Builder cspPath(String path) {
            String p = path == null ? "" : path.strip();
            while (p.length() > 1 && p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.startsWith("/") || p.length() < 2 || p.contains("?") || p.contains("#") || p.contains("//")
                    || p.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '\\' || c == '%')) {
                problems.add("GATEHOUSE_CSP_PATH " + Text.quote(path)
                        + ": expected an absolute path such as /report, without query, spaces or percent-escapes");
            } else {
                this.cspPath = p;
            }
            return this;
        }

        /** {@code GATEHOUSE_CSP_MAX_BODY_BYTES}, 1 to 256 MiB (default 1 MiB). */
        public Builder cspMaxBodyBytes(int bytes) {
            if (checkRange("GATEHOUSE_CSP_MAX_BODY_BYTES", bytes, 1, MAX_BODY_LIMIT)) {
                this.cspMaxBodyBytes = bytes;
            }
            return this;
        }

        /** {@code GATEHOUSE_CSP_MAX_REPORTS}, 1-100000 (default 100). */
        public Builder cspMaxReports(int reports) {
            if (checkRange("GATEHOUSE_CSP_MAX_REPORTS", reports, 1, MAX_REPORTS_LIMIT)) {
                this.cspMaxReports = reports;
            }
            return this;
        }

        /** {@code GATEHOUSE_CSP_TOKENS} as a comma list; blank means unset (any non-empty token). */
        public Builder cspTokens(String commaList) {
            List<String> t = Settings.entries(commaList).stream().map(Settings.Entry::text).toList();
            this.cspTokens = t.isEmpty() ? null : new LinkedHashSet<>(t);
            return this;
        }

        /** {@code GATEHOUSE_CSP_TOKENS}; null or empty (the default) accepts any non-empty token. */
        public Builder cspTokens(@Nullable Set<String> tokens) {
            this.cspTokens = tokens == null || tokens.isEmpty() ? null : new LinkedHashSet<>(tokens);
            return this;
        }

        /** {@code GATEHOUSE_CSP_DROP_EXTENSION_REPORTS} (default true). */
        public Builder cspDropExtensionReports(boolean drop) {
            this.cspDropExtensionReports = drop;
            return this;
        }

        /** {@code GATEHOUSE_READ_TIMEOUT_SECONDS}, 1-3600 (default 10). */
        public Builder readTimeoutSeconds(int seconds) {
            if (checkRange("GATEHOUSE_READ_TIMEOUT_SECONDS", seconds, 1, MAX_READ_TIMEOUT)) {
                this.readTimeoutSeconds = seconds;
            }
            return this;
        }

        void setInt(String name, String value, int min, int max, java.util.function.IntConsumer setter) {
            Long n = Settings.integer(name, value, min, max, problems);
            if (n != null) {
                setter.accept(n.intValue());
            }
        }

        private boolean checkRange(String name, long value, long min, long max) {
            if (value < min || value > max) {
                problems.add(name + " " + value + ": expected a whole number from " + min + " to " + max);
                return false;
            }
            return true;
        }

        /**
         * Validates everything and builds.
         *
         * @throws ConfigException listing every problem at once
         */
        public GatehouseConfig build() {
            List<String> all = new ArrayList<>(problems);
            List<String> warn = new ArrayList<>(warnings);
            boolean development = debug || test;
            List<SecretKeyPolicy.Finding> findings =
                    SecretKeyPolicy.check(secretKey, secretKeyFallbacks, development, requireSecretKey);
            for (SecretKeyPolicy.Finding f : findings) {
                (f.severity() == SecretKeyPolicy.Severity.FATAL ? all : warn).add(f.message());
            }
            if (exemptPaths == null && !allowedIpBlocks.isEmpty() && cspPath.indexOf('/', 1) > 0) {
                warn.add("GATEHOUSE_CSP_PATH " + Text.quote(cspPath) + " is exempt from ALLOWED_IP_BLOCKS by its first"
                        + " segment, so every path under /" + reportSegment() + "/ is; set GATEHOUSE_EXEMPT_PATHS to"
                        + " choose the exempt segments yourself");
            }
            if (trustAllProxies && !trustedProxies.isEmpty()) {
                warn.add("TRUST_ALL_PROXIES is on, so the addresses in TRUSTED_PROXIES are not consulted");
            }
            if (!all.isEmpty()) {
                throw new ConfigException(all);
            }
            GatehouseConfig config = new GatehouseConfig(this, List.of());
            warn.addAll(config.clientIpResolver().warnings());
            return new GatehouseConfig(this, warn);
        }
    }
}
