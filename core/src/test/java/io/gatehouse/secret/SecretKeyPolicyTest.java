package io.gatehouse.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.secret.SecretKeyPolicy.Finding;
import io.gatehouse.secret.SecretKeyPolicy.Severity;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class SecretKeyPolicyTest {

    @ParameterizedTest(name = "[{index}] {1} / {2}")
    @CsvFileSource(resources = "keys.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void judgesKeys(String key, String production, String development) {
        assertVerdict(SecretKeyPolicy.check(key, List.of(), false), production, key);
        assertVerdict(SecretKeyPolicy.check(key, List.of(), true), development, key);
        // The same rules apply to each fallback, named by position.
        List<Finding> asFallback = SecretKeyPolicy.check(SecretKeys.generate(), List.of(SecretKeys.generate(), key), false);
        if (production.equals("OK")) {
            assertThat(asFallback).isEmpty();
        } else {
            assertThat(asFallback).singleElement().satisfies(f ->
                    assertThat(f.message()).startsWith("SECRET_KEY_FALLBACKS entry 2 (" + key.length() + " characters)"));
        }
    }

    private static void assertVerdict(List<Finding> findings, String expected, String key) {
        if (expected.equals("OK")) {
            assertThat(findings).isEmpty();
            return;
        }
        Severity severity = Severity.valueOf(expected.substring(0, expected.indexOf(':')));
        String fragment = expected.substring(expected.indexOf(':') + 1);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(severity);
            assertThat(f.message()).contains(fragment).startsWith("SECRET_KEY (" + key.length() + " characters)");
            assertNoSecretIn(f.message(), key);
        });
    }

    /** The message names the setting, length and rule; no part of the key of 6+ characters appears. */
    static void assertNoSecretIn(String message, String key) {
        String k = key.strip().replace("\"", "").replace("'", "");
        if (k.equalsIgnoreCase(SecretKeyPolicy.POSTHOG_PLACEHOLDER)) {
            return; // the public placeholder is named on purpose
        }
        // The message's own vocabulary (the setting's name, the rule's named prefix) is not the key.
        String rest = message.replace("SECRET_KEY_FALLBACKS", "").replace("SECRET_KEY", "").replace("django-insecure-", "").replace("Django", "");
        for (int i = 0; i + 6 <= k.length(); i++) {
            assertThat(rest).doesNotContainIgnoringCase(k.substring(i, i + 6));
        }
    }

    @Test
    void missingKeyIsFatalOnlyInProduction() {
        assertThat(SecretKeyPolicy.check(null, List.of(), false)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("SECRET_KEY is not set"));
        assertThat(SecretKeyPolicy.check("", List.of(), false)).hasSize(1);
        assertThat(SecretKeyPolicy.check(null, List.of(), true)).isEmpty();
    }

    /** SPEC 6: an application that has no secret may say so; a key that is set is judged as always. */
    @Test
    void aKeyNeedNotBeRequired() {
        assertThat(SecretKeyPolicy.check(null, List.of(), false, true)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.FATAL);
            assertThat(f.message()).isEqualTo("SECRET_KEY is not set: it is required outside DEBUG and TEST mode;"
                    + " generate one with: openssl rand -hex 32, or set GATEHOUSE_REQUIRE_SECRET_KEY=false if the"
                    + " application has no secret");
        });
        assertThat(SecretKeyPolicy.check(null, List.of(), false)).isEqualTo(SecretKeyPolicy.check(null, List.of(), false, true));
        assertThat(SecretKeyPolicy.check(null, List.of(), false, false)).isEmpty();
        assertThat(SecretKeyPolicy.check("", List.of(), false, false)).isEmpty();
        assertThat(SecretKeyPolicy.check("changeme", List.of(), false, false)).singleElement()
                .satisfies(f -> assertThat(f.severity()).isEqualTo(Severity.FATAL));
        assertThat(SecretKeyPolicy.check(null, List.of("short"), false, false)).singleElement()
                .satisfies(f -> assertThat(f.message()).startsWith("SECRET_KEY_FALLBACKS entry 1 (5 characters) is weak"));
        assertThat(SecretKeyPolicy.check(SecretKeys.generate(), List.of(), false, false)).isEmpty();
    }

    @Test
    void generatedKeysHaveOpensslShapeAndPass() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String k = SecretKeys.generate();
            assertThat(k).matches("[0-9a-f]{64}");
            assertThat(SecretKeyPolicy.check(k, List.of(), false)).isEmpty();
            seen.add(k);
        }
        assertThat(seen).hasSize(200);
    }

    @RepeatedTest(20)
    void randomHelmAndDjangoShapedKeysPass() {
        java.security.SecureRandom r = new java.security.SecureRandom();
        String alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        String django = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)";
        StringBuilder helm = new StringBuilder();
        StringBuilder dj = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            if (i < 40) {
                helm.append(alnum.charAt(r.nextInt(alnum.length())));
            }
            dj.append(django.charAt(r.nextInt(django.length())));
        }
        assertThat(SecretKeyPolicy.check(helm.toString(), List.of(), false)).isEmpty();
        assertThat(SecretKeyPolicy.check(dj.toString(), List.of(), false)).isEmpty();
        byte[] b16 = new byte[16];
        r.nextBytes(b16);
        assertThat(SecretKeyPolicy.check(java.util.HexFormat.of().formatHex(b16), List.of(), false))
                .as("openssl rand -hex 16").isEmpty();
    }

    @Test
    void realRandomKeysAreNotRefused() {
        // 20,000 keys shaped like `openssl rand -hex 16`, the shortest real key the docs accept:
        // the entropy estimate varies from key to key, and no real key may fall under the bar
        // (at the old bar of 100 bits, about one in a thousand did). Seeded: the same keys each run.
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261123);
        double lowest = Double.MAX_VALUE;
        for (int i = 0; i < 20_000; i++) {
            byte[] b16 = new byte[16];
            r.nextBytes(b16);
            String key = java.util.HexFormat.of().formatHex(b16);
            assertThat(SecretKeyPolicy.check(key, List.of(), false)).as(key).isEmpty();
            lowest = Math.min(lowest, SecretKeyPolicy.estimatedEntropyBits(key));
        }
        assertThat(lowest).as("lowest estimate, for the margin").isGreaterThan(SecretKeyPolicy.MIN_ENTROPY_BITS + 5);
    }

    @Test
    void constantTimeEquals() {
        assertThat(SecretKeys.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(SecretKeys.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(SecretKeys.constantTimeEquals("abc", "abcd")).isFalse();
        assertThat(SecretKeys.constantTimeEquals(null, "a")).isFalse();
        assertThat(SecretKeys.constantTimeEquals(null, null)).isTrue();
    }
}
