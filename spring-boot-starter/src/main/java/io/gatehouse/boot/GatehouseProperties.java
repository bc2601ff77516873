package io.gatehouse.boot;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Gatehouse's settings under {@code gatehouse.*}, one per row of the README's configuration table,
 * with Boot's relaxed binding: {@code gatehouse.allowed-ip-blocks} in {@code application.properties},
 * {@code --gatehouse.allowed-ip-blocks=...} on the command line, or {@code GATEHOUSE_ALLOWED_IP_BLOCKS}
 * in the environment (so every {@code GATEHOUSE_*} variable of the README is its property). PostHog's
 * own names ({@code ALLOWED_IP_BLOCKS}, {@code IS_BEHIND_PROXY}, ...) are read too, where the
 * {@code gatehouse.*} property is not set; {@code DEBUG} is not (it is Boot's debug report). The
 * configuration Gatehouse runs with is {@code Gatehouse#config()}.
 */
@ConfigurationProperties(prefix = "gatehouse")
public class GatehouseProperties {
    /** Every property at its default; Spring Boot binds the configured values. */
    public GatehouseProperties() {
    }

    /** Whether to register the Gatehouse filter. */
    private boolean enabled = true;

    /**
     * Development mode: no secret key needed, weak keys only warn, secure cookies off by default.
     * PostHog's DEBUG, which the starter does not read (under Boot, DEBUG switches on Boot's debug report).
     */
    private boolean debug = false;

    /** Test mode: as debug for secret keys and cookies (PostHog's TEST). */
    private boolean test = false;

    /**
     * IPs and CIDR blocks, IPv4 and IPv6, allowed to reach every path but the exempt ones (403 for others);
     * empty: no restriction (PostHog's ALLOWED_IP_BLOCKS). A rule matches its own family only: to admit
     * everyone, list 0.0.0.0/0 and ::/0.
     */
    private List<String> allowedIpBlocks = new ArrayList<>();

    /**
     * Whether the application is behind a reverse proxy: forwarded headers and X-Forwarded-Proto from trusted
     * proxies count (PostHog's IS_BEHIND_PROXY). Then Boot's own forwarded-header handling is switched off.
     */
    private boolean behindProxy = false;

    /**
     * Proxy IPs or CIDR blocks whose forwarded headers count, and unix: for a proxy on a Unix domain socket
     * (PostHog's TRUSTED_PROXIES).
     */
    private List<String> trustedProxies = new ArrayList<>();

    /**
     * Whether to trust every hop: the left-most forwarded entry is the client, spoofable unless the edge proxy
     * overwrites the header (PostHog's TRUST_ALL_PROXIES).
     */
    private boolean trustAllProxies = false;

    /**
     * Whether to add Secure to every cookie and redirect plain http to https; unset: on unless debug or test
     * (PostHog's SECURE_COOKIES).
     */
    private Boolean secureCookies;

    /** Whether to keep secure cookies but not redirect http to https (PostHog's DISABLE_SECURE_SSL_REDIRECT). */
    private boolean disableSecureSslRedirect = false;

    /**
     * The application's secret, required outside debug and test unless require-secret-key is false;
     * placeholders and weak keys are fatal in production (PostHog's SECRET_KEY). Never logged.
     */
    private String secretKey;

    /** Older secret keys still accepted during rotation, each checked like secret-key (PostHog's SECRET_KEY_FALLBACKS). */
    private List<String> secretKeyFallbacks = new ArrayList<>();

    /**
     * Whether secret-key must be set outside debug and test; false for an application that has no secret
     * (a key that is set is still validated).
     */
    private boolean requireSecretKey = true;

    /**
     * First path segments the allow-list lets through; unset: the CSP path's first segment (report) and
     * _health. The single value posthog is PostHog's own list plus the report segment.
     */
    private List<String> exemptPaths;

    /** Headers naming the client, in order of preference: X-Forwarded-For, Forwarded, X-Real-IP. */
    private List<String> clientIpHeaders = new ArrayList<>(List.of("X-Forwarded-For"));

    /** Right-most forwarded entries examined (1-1024); all trusted and more left: the client is unresolved. */
    private int maxForwardedHops = 32;

    /**
     * Seconds a request (headers and body) may take to arrive: report bodies past it get 408, and Tomcat's
     * connection timeout is set to it unless server.tomcat.connection-timeout is.
     */
    private int readTimeoutSeconds = 10;

    /** The CSP report endpoint and where its events go. */
    private final Csp csp = new Csp();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isDebug() {
        return debug;
    }

    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    public boolean isTest() {
        return test;
    }

    public void setTest(boolean test) {
        this.test = test;
    }

    public List<String> getAllowedIpBlocks() {
        return allowedIpBlocks;
    }

    public void setAllowedIpBlocks(List<String> allowedIpBlocks) {
        this.allowedIpBlocks = allowedIpBlocks;
    }

    public boolean isBehindProxy() {
        return behindProxy;
    }

    public void setBehindProxy(boolean behindProxy) {
        this.behindProxy = behindProxy;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }

    public void setTrustedProxies(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies;
    }

    public boolean isTrustAllProxies() {
        return trustAllProxies;
    }

    public void setTrustAllProxies(boolean trustAllProxies) {
        this.trustAllProxies = trustAllProxies;
    }

    public Boolean getSecureCookies() {
        return secureCookies;
    }

    public void setSecureCookies(Boolean secureCookies) {
        this.secureCookies = secureCookies;
    }

    public boolean isDisableSecureSslRedirect() {
        return disableSecureSslRedirect;
    }

    public void setDisableSecureSslRedirect(boolean disableSecureSslRedirect) {
        this.disableSecureSslRedirect = disableSecureSslRedirect;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public List<String> getSecretKeyFallbacks() {
        return secretKeyFallbacks;
    }

    public void setSecretKeyFallbacks(List<String> secretKeyFallbacks) {
        this.secretKeyFallbacks = secretKeyFallbacks;
    }

    public boolean isRequireSecretKey() {
        return requireSecretKey;
    }

    public void setRequireSecretKey(boolean requireSecretKey) {
        this.requireSecretKey = requireSecretKey;
    }

    public List<String> getExemptPaths() {
        return exemptPaths;
    }

    public void setExemptPaths(List<String> exemptPaths) {
        this.exemptPaths = exemptPaths;
    }

    public List<String> getClientIpHeaders() {
        return clientIpHeaders;
    }

    public void setClientIpHeaders(List<String> clientIpHeaders) {
        this.clientIpHeaders = clientIpHeaders;
    }

    public int getMaxForwardedHops() {
        return maxForwardedHops;
    }

    public void setMaxForwardedHops(int maxForwardedHops) {
        this.maxForwardedHops = maxForwardedHops;
    }

    public int getReadTimeoutSeconds() {
        return readTimeoutSeconds;
    }

    public void setReadTimeoutSeconds(int readTimeoutSeconds) {
        this.readTimeoutSeconds = readTimeoutSeconds;
    }

    public Csp getCsp() {
        return csp;
    }

    /** {@code gatehouse.csp.*}: the report endpoint and its sink. */
    public static class Csp {
        /** The CSP endpoint's properties at their defaults. */
        public Csp() {
        }

        /** The CSP report endpoint, served with and without a trailing slash. */
        private String path = "/report";

        /** Largest report body in bytes, enforced while reading (413 beyond). */
        private int maxBodyBytes = 1048576;

        /** Most reports in one body (413 beyond). */
        private int maxReports = 100;

        /** Project tokens the endpoint accepts (401 invalid_api_key otherwise); empty: any non-empty token. */
        private List<String> tokens = new ArrayList<>();

        /** Whether to drop (and count) reports about browser-extension URLs. */
        private boolean dropExtensionReports = true;

        /**
         * Forward accepted events to {posthog-host}/batch/ (PostHog's POSTHOG_HOST); unset: events-file or
         * standard output. Ignored when the application defines a CspEventSink bean.
         */
        private String posthogHost;

        /**
         * Append accepted events, one JSON object per line, to this file; unset: standard output. Ignored when
         * posthog-host is set or the application defines a CspEventSink bean.
         */
        private String eventsFile;

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public int getMaxBodyBytes() {
            return maxBodyBytes;
        }

        public void setMaxBodyBytes(int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
        }

        public int getMaxReports() {
            return maxReports;
        }

        public void setMaxReports(int maxReports) {
            this.maxReports = maxReports;
        }

        public List<String> getTokens() {
            return tokens;
        }

        public void setTokens(List<String> tokens) {
            this.tokens = tokens;
        }

        public boolean isDropExtensionReports() {
            return dropExtensionReports;
        }

        public void setDropExtensionReports(boolean dropExtensionReports) {
            this.dropExtensionReports = dropExtensionReports;
        }

        public String getPosthogHost() {
            return posthogHost;
        }

        public void setPosthogHost(String posthogHost) {
            this.posthogHost = posthogHost;
        }

        public String getEventsFile() {
            return eventsFile;
        }

        public void setEventsFile(String eventsFile) {
            this.eventsFile = eventsFile;
        }
    }
}
