package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.RequestView;
import io.gatehouse.internal.Text;
import io.gatehouse.ip.Cidr;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import io.gatehouse.proxy.ForwardedHeader;
import io.gatehouse.proxy.HeaderLookup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class GatehouseConfigTest {
    static final String KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("SECRET_KEY", KEY);
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvFileSource(resources = "str-to-bool.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void strToBool(String value, boolean expected) {
        assertThat(Settings.strToBool(value == null ? "" : value)).isEqualTo(expected);
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env("IS_BEHIND_PROXY", value == null ? "" : value,
                "TRUSTED_PROXIES", "10.0.0.0/8"));
        assertThat(c.behindProxy()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SECURE_COOKIES={0} DEBUG={1} TEST={2}")
    @CsvFileSource(resources = "secure-cookies.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void secureCookiesDefaults(String secure, boolean debug, boolean test, boolean expected, boolean redirect) {
        Map<String, String> e = env("DEBUG", String.valueOf(debug), "TEST", String.valueOf(test));
        if (!"UNSET".equals(secure)) {
            e.put("SECURE_COOKIES", secure == null ? "" : secure);
        }
        GatehouseConfig c = GatehouseConfig.fromEnvironment(e);
        assertThat(c.secureCookies()).isEqualTo(expected);
        assertThat(c.sslRedirect()).isEqualTo(redirect);
        e.put("DISABLE_SECURE_SSL_REDIRECT", "true");
        assertThat(GatehouseConfig.fromEnvironment(e).sslRedirect()).isFalse();
    }

    @Test
    void defaults() {
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env());
        assertThat(c.allowedIpBlocks().isEmpty()).isTrue();
        assertThat(c.behindProxy()).isFalse();
        assertThat(c.secureCookies()).isTrue();
        assertThat(c.clientIpHeaders()).containsExactly(ForwardedHeader.X_FORWARDED_FOR);
        assertThat(c.maxForwardedHops()).isEqualTo(32);
        assertThat(c.cspPath()).isEqualTo("/report");
        assertThat(c.cspMaxBodyBytes()).isEqualTo(1_048_576);
        assertThat(c.cspMaxReports()).isEqualTo(100);
        assertThat(c.cspTokens()).isEmpty();
        assertThat(c.cspDropExtensionReports()).isTrue();
        assertThat(c.readTimeoutSeconds()).isEqualTo(10);
        assertThat(c.exemptPaths()).containsExactlyInAnyOrder("report", "_health");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void readsEverySetting() {
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env(
                "DEBUG", "yes", "TEST", "0",
                "ALLOWED_IP_BLOCKS", "192.168.0.0/31, 127.0.0.0/25,128.0.0.1,",
                "IS_BEHIND_PROXY", "on", "TRUSTED_PROXIES", "10.0.0.1, 172.16.0.0/12",
                "TRUST_ALL_PROXIES", "false", "SECURE_COOKIES", "true", "DISABLE_SECURE_SSL_REDIRECT", "1",
                "SECRET_KEY_FALLBACKS", "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b,",
                "GATEHOUSE_EXEMPT_PATHS", "/_health/, public", "GATEHOUSE_CLIENT_IP_HEADERS", "forwarded, X-Forwarded-For",
                "GATEHOUSE_MAX_FORWARDED_HOPS", "5", "GATEHOUSE_CSP_PATH", "/csp/", "GATEHOUSE_CSP_MAX_BODY_BYTES", "2048",
                "GATEHOUSE_CSP_MAX_REPORTS", "7", "GATEHOUSE_CSP_TOKENS", "phc_a, phc_b",
                "GATEHOUSE_CSP_DROP_EXTENSION_REPORTS", "off", "GATEHOUSE_READ_TIMEOUT_SECONDS", "3"));
        assertThat(c.debug()).isTrue();
        assertThat(c.test()).isFalse();
        assertThat(c.allowedIpBlocks().blocks()).containsExactly(Cidr.parse("192.168.0.0/31"),
                Cidr.parse("127.0.0.0/25"), Cidr.parse("128.0.0.1/32"));
        assertThat(c.behindProxy()).isTrue();
        assertThat(c.trustedProxies().contains("172.20.1.1")).isTrue();
        assertThat(c.trustAllProxies()).isFalse();
        assertThat(c.secureCookies()).isTrue();
        assertThat(c.sslRedirect()).isFalse();
        assertThat(c.secretKeyFallbacks()).hasSize(1);
        assertThat(c.exemptPaths()).containsExactlyInAnyOrder("_health", "public");
        assertThat(c.clientIpHeaders()).containsExactly(ForwardedHeader.FORWARDED, ForwardedHeader.X_FORWARDED_FOR);
        assertThat(c.maxForwardedHops()).isEqualTo(5);
        assertThat(c.cspPath()).isEqualTo("/csp");
        assertThat(c.cspMaxBodyBytes()).isEqualTo(2048);
        assertThat(c.cspMaxReports()).isEqualTo(7);
        assertThat(c.cspTokens()).contains(java.util.Set.of("phc_a", "phc_b"));
        assertThat(c.cspDropExtensionReports()).isFalse();
        assertThat(c.readTimeoutSeconds()).isEqualTo(3);
        assertThat(c.ipAllowList().isEnabled()).isTrue();
        assertThat(c.clientIpResolver().usesForwardedHeaders()).isTrue();
    }

    @Test
    void everyProblemIsReportedAtOnceWithEntryAndIndex() {
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env(
                "SECRET_KEY", null,
                "ALLOWED_IP_BLOCKS", "10.0.0.0/8, 010.0.0.1,,10.0.0.0/33, example.com",
                "TRUSTED_PROXIES", "10.0.0.1, fe80::1%eth0",
                "GATEHOUSE_MAX_FORWARDED_HOPS", "0",
                "GATEHOUSE_CSP_PATH", "report",
                "GATEHOUSE_CSP_MAX_BODY_BYTES", "1MB",
                "GATEHOUSE_CSP_MAX_REPORTS", "-1",
                "GATEHOUSE_CLIENT_IP_HEADERS", "X-Client-IP",
                "GATEHOUSE_EXEMPT_PATHS", "a/b",
                "GATEHOUSE_CSP_DROP_EXTENSION_REPORTS", "maybe",
                "GATEHOUSE_READ_TIMEOUT_SECONDS", "forever")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).containsExactly(
                            "ALLOWED_IP_BLOCKS entry 2 \"010.0.0.1\": leading zero in an IPv4 part (ambiguous: other parsers read it as octal) at index 0",
                            "ALLOWED_IP_BLOCKS entry 4 \"10.0.0.0/33\": prefix 33 exceeds 32 at index 9",
                            "ALLOWED_IP_BLOCKS entry 5 \"example.com\": unexpected character at index 0",
                            "TRUSTED_PROXIES entry 2 \"fe80::1%eth0\": zone id (%...) is not allowed here at index 7",
                            "GATEHOUSE_EXEMPT_PATHS entry 1 \"a/b\": expected one path segment, such as _health",
                            "GATEHOUSE_CLIENT_IP_HEADERS entry 1 \"X-Client-IP\": unknown client-IP header \"X-Client-IP\" (expected X-Forwarded-For, Forwarded or X-Real-IP)",
                            "GATEHOUSE_MAX_FORWARDED_HOPS \"0\": expected a whole number from 1 to 1024",
                            "GATEHOUSE_CSP_PATH \"report\": expected an absolute path such as /report, without query, spaces or percent-escapes",
                            "GATEHOUSE_CSP_MAX_BODY_BYTES \"1MB\": expected a whole number from 1 to 268435456",
                            "GATEHOUSE_CSP_MAX_REPORTS \"-1\": expected a whole number from 1 to 100000",
                            "GATEHOUSE_CSP_DROP_EXTENSION_REPORTS \"maybe\": expected true or false (also yes/no, on/off, 1/0)",
                            "GATEHOUSE_READ_TIMEOUT_SECONDS \"forever\": expected a whole number from 1 to 3600",
                            MISSING_KEY);
                    assertThat(e.getMessage()).startsWith("invalid Gatehouse configuration (13 problems):\n  - ALLOWED_IP_BLOCKS entry 2");
                });
    }

    @Test
    void hostBitsAndSpoofableTrustAreWarnings() {
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env("ALLOWED_IP_BLOCKS", "10.0.0.1/8",
                "IS_BEHIND_PROXY", "1", "TRUST_ALL_PROXIES", "1"));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).isEqualTo(
                "ALLOWED_IP_BLOCKS entry 1 \"10.0.0.1/8\" has host bits set; using 10.0.0.0/8"));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("TRUST_ALL_PROXIES").contains("forge"));
        GatehouseConfig noTrust = GatehouseConfig.fromEnvironment(env("IS_BEHIND_PROXY", "1"));
        assertThat(noTrust.warnings()).anySatisfy(w -> assertThat(w).contains("neither TRUSTED_PROXIES nor TRUST_ALL_PROXIES"));
    }

    /** SPEC 1 and 3: {@code unix:} in TRUSTED_PROXIES trusts a proxy on a Unix domain socket (a null peer). */
    @Test
    void trustedProxiesListUnixForAUnixSocketProxy() {
        HeaderLookup xff = HeaderLookup.of(Map.of("X-Forwarded-For", List.of("6.6.6.6, 1.1.1.1, 10.0.0.2"),
                "X-Forwarded-Proto", List.of("https")));
        for (String list : List.of("10.0.0.0/8, unix:", "unix:,10.0.0.0/8,", " UNIX: ,10.0.0.0/8, unix:")) {
            GatehouseConfig c = GatehouseConfig.fromEnvironment(env("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", list));
            assertThat(c.trustUnixSocketProxies()).as(list).isTrue();
            assertThat(c.trustedProxies().blocks()).containsExactly(Cidr.parse("10.0.0.0/8"));
            assertThat(c.clientIpResolver().trustsUnixSocketProxies()).isTrue();
            assertThat(c.clientIpResolver().resolve(null, xff)).isEqualTo(ClientIp.of(IpAddress.parse("1.1.1.1")));
            assertThat(c.clientIpResolver().isHttps(null, xff, false)).isTrue();
            assertThat(c.toString()).contains("trustUnixSocketProxies=true");
        }
        GatehouseConfig unixOnly = GatehouseConfig.fromEnvironment(env("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "unix:"));
        assertThat(unixOnly.trustedProxies().isEmpty()).isTrue();
        assertThat(unixOnly.warnings()).isEmpty();
        assertThat(unixOnly.clientIpResolver().resolve(null, xff)).isEqualTo(ClientIp.of(IpAddress.parse("10.0.0.2")));
        GatehouseConfig ipOnly = GatehouseConfig.fromEnvironment(env("IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "10.0.0.0/8"));
        assertThat(ipOnly.trustUnixSocketProxies()).isFalse();
        assertThat(ipOnly.clientIpResolver().resolve(null, xff)).isInstanceOf(ClientIp.Unresolved.class);
        assertThat(GatehouseConfig.fromEnvironment(env()).trustUnixSocketProxies()).isFalse();

        GatehouseConfig built = GatehouseConfig.builder().test(true).behindProxy(true).trustUnixSocketProxies(true).build();
        assertThat(built.trustUnixSocketProxies()).isTrue();
        assertThat(built.clientIpResolver().resolve(null, xff)).isEqualTo(ClientIp.of(IpAddress.parse("10.0.0.2")));
        // The string form is the whole of TRUSTED_PROXIES: it sets (or clears) unix: too.
        assertThat(GatehouseConfig.builder().test(true).trustUnixSocketProxies(true).trustedProxies("10.0.0.1").build()
                .trustUnixSocketProxies()).isFalse();
        assertThat(GatehouseConfig.builder().test(true).trustedProxies("unix:").build().trustUnixSocketProxies()).isTrue();
        assertThat(GatehouseConfig.builder().test(true).trustedProxies("unix:").trustedProxies(List.of(Cidr.parse("10.0.0.1")))
                .build().trustUnixSocketProxies()).isTrue();
    }

    @Test
    void malformedUnixEntriesAreNamed() {
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env(
                "TRUSTED_PROXIES", "10.0.0.1, unix:foo,unix, unix:/run/nginx.sock,unixx:,unix:",
                "ALLOWED_IP_BLOCKS", "10.0.0.0/8, unix:")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "ALLOWED_IP_BLOCKS entry 2 \"unix:\": unix: names a proxy on a Unix domain socket and belongs in"
                                + " TRUSTED_PROXIES; clients are allowed by IP address at index 0",
                        "TRUSTED_PROXIES entry 2 \"unix:foo\": a proxy on a Unix domain socket is the entry unix: alone"
                                + " (socket paths are not told apart) at index 5",
                        "TRUSTED_PROXIES entry 3 \"unix\": a proxy on a Unix domain socket is the entry unix: alone"
                                + " (socket paths are not told apart) at index 4",
                        "TRUSTED_PROXIES entry 4 \"unix:/run/nginx.sock\": a proxy on a Unix domain socket is the entry"
                                + " unix: alone (socket paths are not told apart) at index 5",
                        "TRUSTED_PROXIES entry 5 \"unixx:\": a proxy on a Unix domain socket is the entry unix: alone"
                                + " (socket paths are not told apart) at index 4"));
    }

    private static final IpAddress DENIED = IpAddress.parse("203.0.113.9");
    private static final List<String> POSTHOG_ROUTES = List.of("/s/admin", "/e/x", "/decide/x", "/static/a", "/i/v0/e/",
            "/batch/", "/capture/", "/flags/", "/engage/", "/track/", "/messaging-preferences/x");

    /** The status the assembled pipeline answers a request from {@code peer} for {@code path} (over TLS: no redirect). */
    private static int status(GatehouseConfig c, IpAddress peer, String path) {
        Outcome o = Gatehouse.builder(c, CspEventSink.consuming(events -> { })).build()
                .decide(RequestView.of("GET", path, null, "example.com", peer, true, HeaderLookup.none()));
        return o instanceof Outcome.Answer a ? a.response().status() : 200;
    }

    /** SPEC 4: by default only the report path's first segment and _health are exempt; PostHog's routes are not. */
    @Test
    void defaultExemptPathsAreTheReportSegmentAndHealth() {
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env("ALLOWED_IP_BLOCKS", "10.0.0.0/8"));
        assertThat(c.exemptPaths()).containsExactlyInAnyOrder("report", "_health");
        for (String path : POSTHOG_ROUTES) {
            assertThat(status(c, DENIED, path)).as(path).isEqualTo(403);
            assertThat(c.ipAllowList().allows(ClientIp.of(DENIED), path)).as(path).isFalse();
            assertThat(status(c, IpAddress.parse("10.1.1.1"), path)).as(path).isEqualTo(200);
        }
        assertThat(status(c, DENIED, "/report/")).as("the endpoint answers, not the allow-list").isNotEqualTo(403);
        assertThat(status(c, DENIED, "/_health")).isEqualTo(200);
        assertThat(status(c, DENIED, "/admin")).isEqualTo(403);
        // The report segment follows GATEHOUSE_CSP_PATH.
        GatehouseConfig csp = GatehouseConfig.fromEnvironment(env("ALLOWED_IP_BLOCKS", "10.0.0.0/8", "GATEHOUSE_CSP_PATH", "/csp/"));
        assertThat(csp.exemptPaths()).containsExactlyInAnyOrder("csp", "_health");
        assertThat(status(csp, DENIED, "/csp/")).as("the endpoint answers, not the allow-list").isNotEqualTo(403);
        assertThat(status(csp, DENIED, "/report/")).isEqualTo(403);
        assertThat(GatehouseConfig.builder().test(true).cspPath("/violations").build().exemptPaths())
                .containsExactlyInAnyOrder("violations", "_health");
    }

    /** SPEC 4: GATEHOUSE_EXEMPT_PATHS=posthog is PostHog's list plus the report segment. */
    @Test
    void posthogPresetExemptsPostHogsRoutes() {
        for (String value : List.of("posthog", " PostHog ", "POSTHOG")) {
            GatehouseConfig c = GatehouseConfig.fromEnvironment(env("ALLOWED_IP_BLOCKS", "10.0.0.0/8",
                    "GATEHOUSE_EXEMPT_PATHS", value));
            assertThat(c.exemptPaths()).as(value).containsExactlyInAnyOrder("e", "i", "s", "batch", "capture", "decide",
                    "flags", "engage", "track", "static", "_health", "messaging-preferences", "report");
            for (String path : POSTHOG_ROUTES) {
                assertThat(status(c, DENIED, path)).as(path).isEqualTo(200);
            }
            assertThat(status(c, DENIED, "/report/")).as("the endpoint answers, not the allow-list").isNotEqualTo(403);
            assertThat(status(c, DENIED, "/admin")).isEqualTo(403);
            assertThat(status(c, DENIED, "/posthog/")).isEqualTo(403);
            assertThat(c.warnings()).isEmpty();
        }
        GatehouseConfig csp = GatehouseConfig.fromEnvironment(env("GATEHOUSE_EXEMPT_PATHS", "posthog", "GATEHOUSE_CSP_PATH", "/csp"));
        assertThat(csp.exemptPaths()).contains("csp", "e", "_health").doesNotContain("report");
        // The builder's preset, whichever order the CSP path is set in.
        assertThat(GatehouseConfig.builder().test(true).postHogExemptPaths().cspPath("/csp").build().exemptPaths())
                .isEqualTo(csp.exemptPaths());
        assertThat(GatehouseConfig.builder().test(true).exemptPaths("posthog").build().exemptPaths())
                .contains("report", "static");
    }

    /** Any other value is a list of first segments that replaces the defaults, the word posthog among them. */
    @Test
    void otherExemptPathValuesReplaceTheDefaults() {
        GatehouseConfig list = GatehouseConfig.fromEnvironment(env("GATEHOUSE_EXEMPT_PATHS", "posthog, public"));
        assertThat(list.exemptPaths()).containsExactlyInAnyOrder("posthog", "public");
        assertThat(list.warnings()).containsExactly("GATEHOUSE_EXEMPT_PATHS entry 1 \"posthog\" is the path segment"
                + " /posthog/: the preset posthog applies only when it is the whole value");
        GatehouseConfig slash = GatehouseConfig.fromEnvironment(env("GATEHOUSE_EXEMPT_PATHS", "/posthog"));
        assertThat(slash.exemptPaths()).containsExactly("posthog");
        assertThat(slash.warnings()).isEmpty();
        assertThat(GatehouseConfig.fromEnvironment(env("GATEHOUSE_EXEMPT_PATHS", "")).exemptPaths()).isEmpty();
        assertThat(GatehouseConfig.builder().test(true).exemptPaths(java.util.Set.of("posthog")).build().exemptPaths())
                .containsExactly("posthog");
        // The last call wins: a list after the preset replaces it, and the preset after a list too.
        assertThat(GatehouseConfig.builder().test(true).postHogExemptPaths().exemptPaths("_health").build().exemptPaths())
                .containsExactly("_health");
        assertThat(GatehouseConfig.builder().test(true).exemptPaths("_health").postHogExemptPaths().build().exemptPaths())
                .contains("e", "report");
    }

    /** A CSP path under a shared first segment would exempt that whole subtree: said at start-up. */
    @Test
    void deepCspPathExemptingASubtreeIsAWarning() {
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env("ALLOWED_IP_BLOCKS", "10.0.0.0/8",
                "GATEHOUSE_CSP_PATH", "/api/csp-report"));
        assertThat(c.exemptPaths()).containsExactlyInAnyOrder("api", "_health");
        assertThat(c.warnings()).containsExactly("GATEHOUSE_CSP_PATH \"/api/csp-report\" is exempt from ALLOWED_IP_BLOCKS"
                + " by its first segment, so every path under /api/ is; set GATEHOUSE_EXEMPT_PATHS to choose the exempt"
                + " segments yourself");
        assertThat(GatehouseConfig.fromEnvironment(env("ALLOWED_IP_BLOCKS", "10.0.0.0/8", "GATEHOUSE_CSP_PATH",
                "/api/csp-report", "GATEHOUSE_EXEMPT_PATHS", "_health")).warnings()).isEmpty();
        assertThat(GatehouseConfig.fromEnvironment(env("GATEHOUSE_CSP_PATH", "/api/csp-report")).warnings()).isEmpty();
    }

    @Test
    void posthogTrustAllFalseIsFalse() {
        GatehouseConfig c = GatehouseConfig.fromEnvironment(env("IS_BEHIND_PROXY", "1", "TRUST_ALL_PROXIES", "false",
                "TRUSTED_PROXIES", "10.0.0.1"));
        assertThat(c.trustAllProxies()).isFalse();
    }

    @Test
    void secretsNeverAppearInMessagesOrToString() {
        String weak = "hunter2-is-my-password";
        String fallbackWeak = "tiny-fallback-secret";
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env("SECRET_KEY", weak, "SECRET_KEY_FALLBACKS",
                KEY + "," + fallbackWeak + ",changeme")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.getMessage()).doesNotContain(weak, fallbackWeak, KEY, "hunter2", "changeme")
                            .contains("SECRET_KEY (22 characters) is weak: shorter than 32 characters")
                            .contains("SECRET_KEY_FALLBACKS entry 2 (20 characters) is weak")
                            .contains("SECRET_KEY_FALLBACKS entry 3 (8 characters) is a well-known placeholder");
                });
        GatehouseConfig dev = GatehouseConfig.fromEnvironment(env("DEBUG", "1", "SECRET_KEY", weak,
                "SECRET_KEY_FALLBACKS", KEY));
        assertThat(dev.toString()).doesNotContain(weak, KEY).contains("secretKey=[redacted, 22 chars]");
        assertThat(String.join("\n", dev.warnings())).doesNotContain(weak).contains("SECRET_KEY (22 characters) is weak");
        assertThat(dev.secretKey()).contains(weak);
    }

    static final String MISSING_KEY = "SECRET_KEY is not set: it is required outside DEBUG and TEST mode; generate one"
            + " with: openssl rand -hex 32, or set GATEHOUSE_REQUIRE_SECRET_KEY=false if the application has no secret";

    /** SPEC 1 and 6: an application that has no secret starts in production without SECRET_KEY. */
    @ParameterizedTest(name = "GATEHOUSE_REQUIRE_SECRET_KEY={0} -> {1}")
    @CsvFileSource(resources = "strict-bool.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void requireSecretKeyIsAStrictBoolean(String value, String meaning) {
        Map<String, String> e = env("SECRET_KEY", null, "GATEHOUSE_REQUIRE_SECRET_KEY", value == null ? "" : value);
        switch (meaning) {
            case "false" -> {
                GatehouseConfig c = GatehouseConfig.fromEnvironment(e);
                assertThat(c.requireSecretKey()).isFalse();
                assertThat(c.secretKey()).isEmpty();
                assertThat(c.warnings()).isEmpty();
                assertThat(c.toString()).contains("requireSecretKey=false");
            }
            case "true" -> assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(e))
                    .isInstanceOfSatisfying(ConfigException.class, x -> assertThat(x.problems()).containsExactly(MISSING_KEY));
            case "ERROR" -> assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(e))
                    .isInstanceOfSatisfying(ConfigException.class, x -> assertThat(x.problems()).containsExactly(
                            "GATEHOUSE_REQUIRE_SECRET_KEY " + Text.quote(value == null ? "" : value)
                                    + ": expected true or false (also yes/no, on/off, 1/0)",
                            MISSING_KEY));
            default -> throw new IllegalArgumentException(meaning);
        }
    }

    /** A key that is set is validated as always, whether or not one is required. */
    @Test
    void aKeyThatIsSetIsStillValidatedWhenNotRequired() {
        assertThat(GatehouseConfig.fromEnvironment(env()).requireSecretKey()).isTrue();
        assertThat(GatehouseConfig.builder().test(true).build().requireSecretKey()).isTrue();
        GatehouseConfig ok = GatehouseConfig.fromEnvironment(env("GATEHOUSE_REQUIRE_SECRET_KEY", "false"));
        assertThat(ok.secretKey()).contains(KEY);
        for (String bad : List.of("changeme", "<randomly generated secret key>", "hunter2-is-my-password", " ")) {
            assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env("GATEHOUSE_REQUIRE_SECRET_KEY", "false", "SECRET_KEY", bad)))
                    .as(bad).isInstanceOfSatisfying(ConfigException.class, x -> assertThat(x.problems()).singleElement()
                            .asString().startsWith("SECRET_KEY (").doesNotContain("GATEHOUSE_REQUIRE_SECRET_KEY"));
        }
        assertThatThrownBy(() -> GatehouseConfig.fromEnvironment(env("SECRET_KEY", null, "GATEHOUSE_REQUIRE_SECRET_KEY", "0",
                "SECRET_KEY_FALLBACKS", "changeme")))
                .isInstanceOfSatisfying(ConfigException.class, x -> assertThat(x.problems()).singleElement().asString()
                        .startsWith("SECRET_KEY_FALLBACKS entry 1 (8 characters) is a well-known placeholder"));
        // Empty is not set.
        assertThat(GatehouseConfig.fromEnvironment(env("SECRET_KEY", "", "GATEHOUSE_REQUIRE_SECRET_KEY", "no")).secretKey()).isEmpty();
        // The builder option.
        assertThat(GatehouseConfig.builder().requireSecretKey(false).build().requireSecretKey()).isFalse();
        assertThatThrownBy(() -> GatehouseConfig.builder().requireSecretKey(false).requireSecretKey(true).build())
                .isInstanceOfSatisfying(ConfigException.class, x -> assertThat(x.problems()).containsExactly(MISSING_KEY));
        assertThatThrownBy(() -> GatehouseConfig.builder().requireSecretKey(false).secretKey("secret").build())
                .isInstanceOfSatisfying(ConfigException.class, x -> assertThat(x.problems()).singleElement().asString()
                        .contains("well-known placeholder"));
        // Development needs no key either way.
        assertThat(GatehouseConfig.fromEnvironment(Map.of("DEBUG", "1", "GATEHOUSE_REQUIRE_SECRET_KEY", "1")).secretKey()).isEmpty();
    }

    @Test
    void developmentNeedsNoKey() {
        assertThat(GatehouseConfig.fromEnvironment(Map.of("TEST", "1")).secretKey()).isEmpty();
        assertThat(GatehouseConfig.fromEnvironment(Map.of("DEBUG", "true")).secureCookies()).isFalse();
    }

    @Test
    void builderHasTheSameOptions() {
        GatehouseConfig c = GatehouseConfig.builder().test(true)
                .allowedIpBlocks(List.of(Cidr.parse("10.0.0.0/8")))
                .behindProxy(true).trustedProxies("10.0.0.1").clientIpHeaders(List.of(ForwardedHeader.X_REAL_IP))
                .cspTokens(java.util.Set.of("phc_x")).cspPath("/csp-report").build();
        assertThat(c.ipAllowList().isEnabled()).isTrue();
        assertThat(c.clientIpHeaders()).containsExactly(ForwardedHeader.X_REAL_IP);
        assertThatThrownBy(() -> GatehouseConfig.builder().test(true).maxForwardedHops(0).cspMaxReports(0).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2));
    }
}
