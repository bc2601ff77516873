package io.gatehouse.benchmarks;

import io.gatehouse.csp.CspSampler;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One sampling decision for a 30- or 100-character document URL (ASCII or not) at rate 0.5:
 * Gatehouse's PostHog sampler (hashes the key as it is generated) vs the String-concatenating
 * version (builds {@code url + "-" + formatted minute}, then hashes its code points), and the
 * well-mixed sampler.
 */
public class CspSamplingBenchmark extends JmhSettings {
    @Param({"30", "100"})
    public int length;

    /**
     * {@code unicode}: the path is Japanese text with an emoji every 10 characters, as a string;
     * {@code percent-encoded}: the same path as browsers report it (Chromium percent-encodes the
     * document URL, see {@code benchmarks/results/chromium-document-uri-2026-11-24.txt});
     * {@code all}: the three kinds in turn, so the JIT compiles for all of them at once, as in a
     * server (a fork that sees one kind only may compile a loop that suits that kind).
     */
    @Param({"ascii", "unicode", "percent-encoded", "all"})
    public String charset;

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:00").withZone(ZoneOffset.UTC);
    private static final int N = 64;

    private String[] urls;
    private long[] times;
    private int next;
    /** Distinct instances of the same URLs, more than the sampler remembers: each is a first sight. */
    private String[] firstSight;
    private int nextFirst;
    private static final int FIRST_SIGHT = 4096;

    @Setup(Level.Trial)
    public void setUp() {
        urls = urls(charset, length, N);
        times = times(N);
        firstSight = new String[FIRST_SIGHT];
        for (int j = 0; j < FIRST_SIGHT; j++) {
            firstSight[j] = new String(urls[j & (N - 1)].toCharArray());
        }
    }

    /** {@code n} URLs of {@code length} chars of the kind {@code charset}. */
    static String[] urls(String charset, int length, int n) {
        String[] urls = new String[n];
        String[] kinds = {"ascii", "unicode", "percent-encoded"};
        long[] times = times(n);
        for (int i = 0; i < n; i++) {
            String filler = filler(charset.equals("all") ? kinds[i % kinds.length] : charset);
            StringBuilder sb = new StringBuilder("https://example.com/").append(i).append('/');
            int k = i;
            while (sb.length() < length) {
                sb.append(filler.charAt(k++ % filler.length()));
            }
            sb.setLength(length);
            if (Character.isHighSurrogate(sb.charAt(length - 1))) {
                sb.setCharAt(length - 1, 'x');
            }
            urls[i] = sb.toString();
            if (CspSampler.posthog().keep(urls[i], times[i], 0.5) != stringVersion(urls[i], times[i], 0.5)) {
                throw new IllegalStateException("samplers disagree on " + urls[i]);
            }
        }
        return urls;
    }

    /** {@code n} instants, 37 s apart. */
    static long[] times(int n) {
        long start = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = start + i * 37_000L;
        }
        return times;
    }

    private static String filler(String kind) {
        String unicode = "ページ例え😀ßçø/";
        return switch (kind) {
            case "ascii" -> "abcdefghijklmnopqrstuvwxyz0123456789/-";
            case "unicode" -> unicode;
            default -> java.net.URLEncoder.encode(unicode, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/");
        };
    }

    static boolean stringVersion(String url, long epochMillis, double rate) {
        String key = url + "-" + MINUTE.format(Instant.ofEpochMilli(epochMillis));
        long h = 0;
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            h = (31 * h + cp) & 0xFFFF_FFFFL;
            i += Character.charCount(cp);
        }
        return h % 10_000 < Math.rint(rate * 10_000);
    }

    @Benchmark
    public boolean gatehouse() {
        int i = next;
        next = (i + 1) & (N - 1);
        return CspSampler.posthog().keep(urls[i], times[i], 0.5);
    }

    /**
     * The same decisions for URL instances the sampler has not seen (it remembers the hash of a
     * recently repeated instance, as the endpoint's shared document URLs are): the hash computed.
     * On JDK 21 and later a {@code String} caches the hash the sampler takes from it, so this
     * measures a repeat there; {@link CspSamplingNewUrlBenchmark} measures new strings on any JDK.
     */
    @Benchmark
    public boolean gatehouseFirstSight() {
        int j = nextFirst;
        nextFirst = (j + 1) & (FIRST_SIGHT - 1);
        int i = j & (N - 1);
        return CspSampler.posthog().keep(firstSight[j], times[i], 0.5);
    }

    @Benchmark
    public boolean stringConcatenatingBaseline() {
        int i = next;
        next = (i + 1) & (N - 1);
        return stringVersion(urls[i], times[i], 0.5);
    }

    @Benchmark
    public boolean gatehouseMixedSampler() {
        int i = next;
        next = (i + 1) & (N - 1);
        return CspSampler.mixed().keep(urls[i], times[i], 0.5);
    }
}
