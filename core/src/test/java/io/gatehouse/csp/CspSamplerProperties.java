package io.gatehouse.csp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;

/** The allocation-free sampler against the String-building one, on random Unicode URLs and instants. */
class CspSamplerProperties {

    @Property(tries = 2000)
    void sameHashKeyAndDecision(@ForAll("urls") String url,
                                @ForAll @LongRange(min = -30_000_000_000_000L, max = 250_000_000_000_000L) long millis,
                                @ForAll @DoubleRange(min = 0.0, max = 1.0) double rate) {
        String key = StringSampler.key(url, millis);
        if (CspSampler.posthogHash(url, millis) != StringSampler.hash(key)) {
            throw new AssertionError("hash differs for " + key);
        }
        // Every CharSequence kind gives the URL's hash.
        if (url != null) {
            long h = StringSampler.hash(url);
            check(Samplers.urlHash32(new StringBuilder(url)), h, "StringBuilder", url);
            check(Samplers.urlHash32(java.nio.CharBuffer.wrap(url)), h, "CharBuffer", url);
        }
        if (!CspSampler.key(url, millis).equals(key)) {
            throw new AssertionError(CspSampler.key(url, millis) + " != " + key);
        }
        if (CspSampler.posthog().keep(url, millis, rate) != StringSampler.keep(url, millis, rate)) {
            throw new AssertionError("decision differs for " + key + " at " + rate);
        }
        if (Samplers.hash64(url, millis) != StringSampler.hash64(key)) {
            throw new AssertionError("64-bit hash differs for " + key);
        }
    }

    private static void check(int actual, long expected, String path, String url) {
        if (Integer.toUnsignedLong(actual) != expected) {
            throw new AssertionError(path + " gives " + actual + ", not " + expected + ", for " + url);
        }
    }

    @Provide
    Arbitrary<String> urls() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(120),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(100).map(s -> "https://example.com/" + s),
                Arbitraries.of("😀", "\uD83D", "\uDE00", "a", "é", "例").list().ofMaxSize(60)
                        .map(parts -> String.join("", parts)),
                // Longer than the 256-char copy the hash works on, so pairs land on its edge too.
                Arbitraries.of("😀", "\uD83D", "\uDE00", "a", "%", "例", "ab", "abcdefg").list().ofMinSize(60).ofMaxSize(400)
                        .map(parts -> String.join("", parts)),
                Arbitraries.of("https://example.com/😀", "https://例え.jp/パス", "\uD83D", "\uDE00x", "", (String) null));
    }
}
