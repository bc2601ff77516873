package io.gatehouse.csp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CspSamplerTest {

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource(delimiter = '|', value = {
        "https://example.com/page|2023-01-01T12:00:00Z|91487545",
        "https://example.com/page|2023-01-01T12:00:59.999Z|91487545",
        "https://example.com/😀|2024-06-15T08:30:00Z|3261691987",
        "https://example.com/page|2024-06-15T08:30:12.345Z|3410882564"})
    void posthogHashVectors(String url, String instant, long hash) {
        long millis = Instant.parse(instant).toEpochMilli();
        assertThat(CspSampler.posthogHash(url, millis)).isEqualTo(hash);
        assertThat(CspSampler.posthogHash(url, millis)).isEqualTo(StringSampler.hash(StringSampler.key(url, millis)));
    }

    @Test
    void specDecisionVectors() {
        long t = Instant.parse("2023-01-01T12:00:00Z").toEpochMilli();
        assertThat(CspSampler.posthog().keep("https://example.com/page", t, 0.9)).isTrue();
        assertThat(CspSampler.posthog().keep("https://example.com/page", t, 0.5)).isFalse();
        // 91487545 % 10000 = 7545: kept from rint(rate * 10000) = 7546 upwards.
        assertThat(CspSampler.posthog().keep("https://example.com/page", t, 0.7546)).isTrue();
        assertThat(CspSampler.posthog().keep("https://example.com/page", t, 0.7545)).isFalse();
        // Half-even rounding: 0.75455 * 10000 = 7545.5 rounds to 7546 (even).
        assertThat(Math.rint(0.75455 * 10_000)).isEqualTo(7546.0);
    }

    @Test
    void keyTextAndNullUrl() {
        long t = Instant.parse("2024-06-15T08:30:12.345Z").toEpochMilli();
        assertThat(CspSampler.key("https://a/", t)).isEqualTo("https://a/-2024-06-15T08:30:00");
        assertThat(CspSampler.key(null, t)).isEqualTo("None-2024-06-15T08:30:00");
        assertThat(CspSampler.posthogHash(null, t)).isEqualTo(StringSampler.hash("None-2024-06-15T08:30:00"));
        assertThat(CspSampler.key("x", Instant.parse("0999-12-31T23:59:59Z").toEpochMilli())).isEqualTo("x-0999-12-31T23:59:00");
        assertThat(CspSampler.key("x", Instant.parse("2000-02-29T00:00:00Z").toEpochMilli())).isEqualTo("x-2000-02-29T00:00:00");
        assertThat(CspSampler.key("x", -1)).isEqualTo("x-1969-12-31T23:59:00");
    }

    /**
     * PostHog's hash barely mixes: each minute moves the hash by 31^3 (= -209 mod 10000), so a URL
     * keeps its decision for most minutes of a ten-minute span and jumps only when the tens digit
     * changes. The mixed sampler flips about as often as independent coin tosses would, within a span
     * and across spans, and keeps the asked-for share.
     */
    @Test
    void mixedSamplerIsUniformAcrossMinutesWherePostHogsIsNot() {
        long start = Instant.parse("2024-06-15T08:00:00Z").toEpochMilli();
        int urls = 300;
        int minutes = 60;
        double rate = 0.5;
        long[] flipsWithinSpan = new long[2];
        long[] flips = new long[2];
        long[] kept = new long[2];
        CspSampler[] samplers = {CspSampler.posthog(), CspSampler.mixed()};
        for (int s = 0; s < 2; s++) {
            for (int u = 0; u < urls; u++) {
                String url = "https://example.com/docs/page-" + u;
                boolean prev = false;
                for (int m = 0; m < minutes; m++) {
                    boolean k = samplers[s].keep(url, start + m * 60_000L, rate);
                    kept[s] += k ? 1 : 0;
                    if (m > 0 && k != prev) {
                        flips[s]++;
                        if (m % 10 != 0) {
                            flipsWithinSpan[s]++;
                        }
                    }
                    prev = k;
                }
            }
        }
        double transitions = urls * (minutes - 1.0);
        double withinSpanTransitions = urls * (minutes - minutes / 10.0);
        double posthogWithin = flipsWithinSpan[0] / withinSpanTransitions;
        double mixedWithin = flipsWithinSpan[1] / withinSpanTransitions;
        double posthogAll = flips[0] / transitions;
        double mixedAll = flips[1] / transitions;
        double mixedKeptShare = kept[1] / (double) (urls * minutes);
        System.out.printf("decision flips between consecutive minutes at rate 0.5 (independent decisions: 0.5):"
                + " within ten-minute spans posthog %.4f, mixed %.4f; overall posthog %.4f, mixed %.4f;"
                + " mixed kept share %.4f%n", posthogWithin, mixedWithin, posthogAll, mixedAll, mixedKeptShare);
        assertThat(posthogWithin).isLessThan(0.06);
        assertThat(posthogAll).isLessThan(0.2);
        assertThat(mixedWithin).isBetween(0.46, 0.54);
        assertThat(mixedAll).isBetween(0.47, 0.53);
        assertThat(mixedKeptShare).isBetween(0.48, 0.52);
        // And across URLs within one minute, the mixed sampler keeps close to the rate at other rates too.
        for (double r : new double[] {0.01, 0.1, 0.9}) {
            int k = 0;
            for (int u = 0; u < 20_000; u++) {
                k += CspSampler.mixed().keep("https://example.com/p/" + u, start, r) ? 1 : 0;
            }
            assertThat(k / 20_000.0).as("rate %s", r).isCloseTo(r, org.assertj.core.data.Offset.offset(0.012));
        }
    }

    /**
     * The URL hash of a surrogate pair, a lone surrogate or a CJK char at every offset near the end,
     * in strings of many lengths, of every CharSequence kind, against the code-point hash of the text.
     */
    @Test
    void urlHashIsTheCodePointHashAtEveryBlockAndCopyEdge() {
        String[] specials = {"\ud83d\ude00", "\ud83d", "\ude00", "\u4f8b", "\uffff", "\ud800\udbff\udc00", "\udc00\ud800"};
        int checked = 0;
        for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 255, 256, 257, 263, 511, 512, 513}) {
            for (String special : specials) {
                for (int at = Math.max(0, length - 20); at <= length; at++) {
                    for (int other : new int[] {0, 1, 2, 8, 9, 247, 248, 249, 255, 256}) {
                        if (other >= at) {
                            continue;
                        }
                        StringBuilder sb = new StringBuilder();
                        for (int k = 0; sb.length() < length; k++) {
                            sb.append((char) ('a' + k % 26));
                        }
                        sb.insert(at, special).insert(other, special);
                        String url = sb.toString();
                        long expected = StringSampler.hash(url);
                        assertThat(Integer.toUnsignedLong(Samplers.urlHash32(url))).as(url).isEqualTo(expected);
                        assertThat(Integer.toUnsignedLong(Samplers.urlHash32(new StringBuilder(url)))).as(url).isEqualTo(expected);
                        assertThat(Integer.toUnsignedLong(Samplers.urlHash32(java.nio.CharBuffer.wrap(url)))).as(url).isEqualTo(expected);
                        long millis = Instant.parse("2024-06-15T08:30:12Z").toEpochMilli();
                        assertThat(Samplers.hash64(url, millis)).as(url).isEqualTo(StringSampler.hash64(StringSampler.key(url, millis)));
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(5_000);
    }
}
