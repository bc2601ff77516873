package io.gatehouse.benchmarks;

import io.gatehouse.csp.CspSampler;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The sampling decision for a URL nothing has seen before, on any JDK: each operation first decodes
 * the 100-character URL from its UTF-8 bytes into a new {@code String}, as the report parser does for
 * a URL it has not seen, then decides (rate 0.5). Nothing about the instance can be remembered, by
 * the sampler or by the {@code String} itself (which caches its {@code hashCode()}). Both sides pay the
 * same decoding and allocate the same new string (its bytes are in both B/op figures); the
 * difference in time is the decision. URL kinds as in {@link CspSamplingBenchmark}.
 */
public class CspSamplingNewUrlBenchmark extends JmhSettings {
    @Param({"ascii", "unicode", "percent-encoded", "all"})
    public String charset;

    private static final int N = 64;
    private byte[][] utf8;
    private long[] times;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        String[] urls = CspSamplingBenchmark.urls(charset, 100, N);
        utf8 = new byte[N][];
        for (int i = 0; i < N; i++) {
            utf8[i] = urls[i].getBytes(StandardCharsets.UTF_8);
        }
        times = CspSamplingBenchmark.times(N);
    }

    @Benchmark
    public boolean gatehouse() {
        int i = next;
        next = (i + 1) & (N - 1);
        return CspSampler.posthog().keep(new String(utf8[i], StandardCharsets.UTF_8), times[i], 0.5);
    }

    @Benchmark
    public boolean stringConcatenatingBaseline() {
        int i = next;
        next = (i + 1) & (N - 1);
        return CspSamplingBenchmark.stringVersion(new String(utf8[i], StandardCharsets.UTF_8), times[i], 0.5);
    }
}
