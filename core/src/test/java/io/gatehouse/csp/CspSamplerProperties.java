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
        // A String takes the String.hashCode path when it has no surrogate pair; any other
        // CharSequence is hashed char by char: both must agree.
        if (url != null && CspSampler.posthogHash(new StringBuilder(url), millis) != StringSampler.hash(key)) {
            throw new AssertionError("hash of a StringBuilder differs for " + key);
        }
        if (!CspSampler.key(url, millis).equals(key)) {
            throw new AssertionError(CspSampler.key(url, millis) + " != " + key);
        }
        if (CspSampler.posthog().keep(url, millis, rate) != StringSampler.keep(url, millis, rate)) {
            throw new AssertionError("decision differs for " + key + " at " + rate);
        }
        long h64 = 0;
        for (int cp : key.codePoints().toArray()) {
            h64 = h64 * 0x9E3779B97F4A7C15L + cp;
        }
        if (Samplers.hash64(url, millis) != h64) {
            throw new AssertionError("64-bit hash differs for " + key);
        }
    }

    @Provide
    Arbitrary<String> urls() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(120),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(100).map(s -> "https://example.com/" + s),
                Arbitraries.of("😀", "\uD83D", "\uDE00", "a", "é", "例").list().ofMaxSize(60)
                        .map(parts -> String.join("", parts)),
                Arbitraries.of("https://example.com/😀", "https://例え.jp/パス", "\uD83D", "\uDE00x", "", (String) null));
    }
}
