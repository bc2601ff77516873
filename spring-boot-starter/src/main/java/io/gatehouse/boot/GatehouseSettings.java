package io.gatehouse.boot;

import io.gatehouse.config.ConfigException;
import io.gatehouse.config.GatehouseConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

/**
 * Reads Gatehouse's configuration from a Boot {@link Environment}: each setting from its
 * {@code gatehouse.*} property when that is set anywhere (any property source, relaxed names), else
 * from PostHog's variable name ({@code ALLOWED_IP_BLOCKS}, ...) in any property source, else its
 * default. {@code DEBUG} is not read: under Boot it is Boot's debug report; development mode is
 * {@code gatehouse.debug}. Every problem is gathered into one {@link ConfigException}, each naming
 * the property or variable the value came from and where it was set; no value of a secret appears.
 */
final class GatehouseSettings {
    private static final Log LOG = LogFactory.getLog(GatehouseSettings.class);
    private static final Set<String> TRUE = Set.of("y", "yes", "t", "true", "on", "1");

    /** A setting: PostHog's (or Gatehouse's) variable, its property, and its value on the bound properties. */
    record Option(String variable, String property, boolean readVariable, Function<GatehouseProperties, @Nullable Object> value) {
    }

    /** Every setting of the README's table, in its order, and the two sink settings. */
    static final List<Option> OPTIONS = List.of(
            new Option("DEBUG", "gatehouse.debug", false, GatehouseProperties::isDebug),
            new Option("TEST", "gatehouse.test", true, GatehouseProperties::isTest),
            new Option("ALLOWED_IP_BLOCKS", "gatehouse.allowed-ip-blocks", true, GatehouseProperties::getAllowedIpBlocks),
            new Option("IS_BEHIND_PROXY", "gatehouse.behind-proxy", true, GatehouseProperties::isBehindProxy),
            new Option("TRUSTED_PROXIES", "gatehouse.trusted-proxies", true, GatehouseProperties::getTrustedProxies),
            new Option("TRUST_ALL_PROXIES", "gatehouse.trust-all-proxies", true, GatehouseProperties::isTrustAllProxies),
            new Option("SECURE_COOKIES", "gatehouse.secure-cookies", true, GatehouseProperties::getSecureCookies),
            new Option("DISABLE_SECURE_SSL_REDIRECT", "gatehouse.disable-secure-ssl-redirect", true,
                    GatehouseProperties::isDisableSecureSslRedirect),
            new Option("SECRET_KEY", "gatehouse.secret-key", true, GatehouseProperties::getSecretKey),
            new Option("SECRET_KEY_FALLBACKS", "gatehouse.secret-key-fallbacks", true, GatehouseProperties::getSecretKeyFallbacks),
            new Option("GATEHOUSE_REQUIRE_SECRET_KEY", "gatehouse.require-secret-key", true,
                    GatehouseProperties::isRequireSecretKey),
            new Option("GATEHOUSE_EXEMPT_PATHS", "gatehouse.exempt-paths", true, GatehouseProperties::getExemptPaths),
            new Option("GATEHOUSE_CLIENT_IP_HEADERS", "gatehouse.client-ip-headers", true, GatehouseProperties::getClientIpHeaders),
            new Option("GATEHOUSE_MAX_FORWARDED_HOPS", "gatehouse.max-forwarded-hops", true, GatehouseProperties::getMaxForwardedHops),
            new Option("GATEHOUSE_CSP_PATH", "gatehouse.csp.path", true, p -> p.getCsp().getPath()),
            new Option("GATEHOUSE_CSP_MAX_BODY_BYTES", "gatehouse.csp.max-body-bytes", true, p -> p.getCsp().getMaxBodyBytes()),
            new Option("GATEHOUSE_CSP_MAX_REPORTS", "gatehouse.csp.max-reports", true, p -> p.getCsp().getMaxReports()),
            new Option("GATEHOUSE_CSP_TOKENS", "gatehouse.csp.tokens", true, p -> p.getCsp().getTokens()),
            new Option("GATEHOUSE_CSP_DROP_EXTENSION_REPORTS", "gatehouse.csp.drop-extension-reports", true,
                    p -> p.getCsp().isDropExtensionReports()),
            new Option("GATEHOUSE_READ_TIMEOUT_SECONDS", "gatehouse.read-timeout-seconds", true,
                    GatehouseProperties::getReadTimeoutSeconds));

    /** {@code gatehouse.csp.posthog-host}, else {@code POSTHOG_HOST}. */
    static final Option POSTHOG_HOST = new Option("POSTHOG_HOST", "gatehouse.csp.posthog-host", true,
            p -> p.getCsp().getPosthogHost());
    /** {@code gatehouse.csp.events-file} (also {@code GATEHOUSE_CSP_EVENTS_FILE}, by relaxed binding). */
    static final Option EVENTS_FILE = new Option("GATEHOUSE_CSP_EVENTS_FILE", "gatehouse.csp.events-file", true,
            p -> p.getCsp().getEventsFile());

    private GatehouseSettings() {
    }

    /**
     * The configuration {@code environment} and its bound {@code properties} describe.
     *
     * @throws ConfigException listing every problem, Boot's forwarded-header settings included
     */
    static GatehouseConfig config(Environment environment, GatehouseProperties properties) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        for (Option o : OPTIONS) {
            Source s = read(environment, properties, o);
            if (s != null) {
                values.put(o.variable(), s.value());
                names.put(o.variable(), s.described());
            } else {
                names.put(o.variable(), o.property() + (o.readVariable() ? " (or " + o.variable() + ")" : ""));
            }
        }
        warnAboutDebug(environment);
        List<String> problems = new ArrayList<>();
        GatehouseConfig config = null;
        try {
            config = GatehouseConfig.fromEnvironment(values);
        } catch (ConfigException e) {
            for (String p : e.problems()) {
                problems.add(renamed(p, names));
            }
        }
        boolean behindProxy = config != null ? config.behindProxy() : truthy(values.get("IS_BEHIND_PROXY"));
        problems.addAll(forwardedHeaderConflicts(environment, behindProxy));
        if (config == null || !problems.isEmpty()) { // config is null only when it threw, with problems
            throw new ConfigException(problems);
        }
        return config;
    }

    /** A value and where it came from. */
    record Source(String value, String described) {
    }

    /** The value of {@code o}: its property when set anywhere, else its variable, else null. */
    static @Nullable Source read(Environment environment, GatehouseProperties properties, Option o) {
        String origin = propertyOrigin(environment, o.property());
        String variable = o.readVariable() ? environment.getProperty(o.variable()) : null;
        if (origin != null) {
            Object v = o.value().apply(properties);
            String value = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                    : v == null ? null : String.valueOf(v);
            if (variable != null && !variable.strip().equalsIgnoreCase(value == null ? "" : value.strip())) {
                LOG.warn(o.property() + " and " + o.variable() + " are both set; " + o.property() + " wins");
            }
            return value == null ? null : new Source(value, o.property() + " (" + origin + ")");
        }
        if (variable != null) {
            return new Source(variable, o.variable() + " (" + variableOrigin(environment, o.variable()) + ")");
        }
        return null;
    }

    /** Where {@code property} is set (its first, winning source), or null when it is set nowhere. */
    static @Nullable String propertyOrigin(Environment environment, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty p = source.getConfigurationProperty(name);
            if (p == null && source.containsDescendantOf(name) == ConfigurationPropertyState.PRESENT) {
                p = source.getConfigurationProperty(name.append("[0]"));
                if (p == null) {
                    return "set in " + source.getUnderlyingSource();
                }
            }
            if (p != null) {
                Origin origin = p.getOrigin();
                return origin != null ? "set in " + origin : "set in " + source.getUnderlyingSource();
            }
        }
        return null;
    }

    private static String variableOrigin(Environment environment, String variable) {
        if (environment instanceof ConfigurableEnvironment c) {
            for (PropertySource<?> source : c.getPropertySources()) {
                if (source.containsProperty(variable)) {
                    Origin origin = OriginLookup.getOrigin(source, variable);
                    return "set in " + (origin != null ? origin : source.getName());
                }
            }
        }
        return "set in the environment";
    }

    /** {@code problem} with its leading variable name replaced by what the user set, and where. */
    private static String renamed(String problem, Map<String, String> names) {
        return names.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .filter(v -> problem.startsWith(v) && problem.length() > v.length()
                        && (problem.charAt(v.length()) == ' ' || problem.charAt(v.length()) == ':'))
                .findFirst()
                .map(v -> names.get(v) + problem.substring(v.length()))
                .orElse(problem);
    }

    private static void warnAboutDebug(Environment environment) {
        if (truthy(environment.getProperty("DEBUG")) && propertyOrigin(environment, "gatehouse.debug") == null) {
            LOG.warn("DEBUG is set, but under Spring Boot it turns on Boot's debug report, not Gatehouse's development"
                    + " mode; set gatehouse.debug=true (or GATEHOUSE_DEBUG=true) for that");
        }
    }

    /** PostHog's {@code str_to_bool}. */
    static boolean truthy(@Nullable String value) {
        return value != null && TRUE.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    /** Whether Gatehouse resolves forwarded headers: {@code gatehouse.behind-proxy}, else {@code IS_BEHIND_PROXY}. */
    static boolean behindProxy(Environment environment) {
        if (propertyOrigin(environment, "gatehouse.behind-proxy") != null) {
            return Binder.get(environment).bind("gatehouse.behind-proxy", Bindable.of(String.class))
                    .map(GatehouseSettings::truthy).orElse(false);
        }
        return truthy(environment.getProperty("IS_BEHIND_PROXY"));
    }

    /**
     * Boot's own forwarded-header handling that would work against Gatehouse's: when Gatehouse resolves
     * forwarded headers (behind a proxy), {@code server.forward-headers-strategy=native} (Tomcat's
     * {@code RemoteIpValve}, which rewrites the peer before any filter runs) or {@code framework}
     * (Spring's {@code ForwardedHeaderFilter}, which trusts every peer), or the valve's own headers.
     */
    static List<String> forwardedHeaderConflicts(Environment environment, boolean behindProxy) {
        List<String> out = new ArrayList<>();
        if (!behindProxy) {
            return out;
        }
        Binder binder = Binder.get(environment);
        String strategy = binder.bind("server.forward-headers-strategy", Bindable.of(String.class)).orElse("");
        String s = strategy.strip().toLowerCase(Locale.ROOT);
        if (s.equals("native") || s.equals("framework")) {
            out.add("server.forward-headers-strategy=" + s + " (" + propertyOrigin(environment, "server.forward-headers-strategy")
                    + ") resolves forwarded headers a second time, with trust rules other than Gatehouse's"
                    + " (gatehouse.behind-proxy is on): remove it, or set it to none");
        }
        for (String valve : List.of("server.tomcat.remoteip.remote-ip-header", "server.tomcat.remoteip.protocol-header")) {
            String origin = propertyOrigin(environment, valve);
            if (origin != null) {
                out.add(valve + " (" + origin + ") turns on Tomcat's RemoteIpValve, which rewrites the client before"
                        + " Gatehouse sees it (gatehouse.behind-proxy is on): remove it");
            }
        }
        return out;
    }
}
