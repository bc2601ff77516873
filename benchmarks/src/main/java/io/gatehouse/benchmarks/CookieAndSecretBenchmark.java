package io.gatehouse.benchmarks;

import io.gatehouse.cookie.CookiePolicy;
import io.gatehouse.secret.SecretKeyPolicy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** For completeness: one {@code Set-Cookie} rewrite (per response) and one key check (per start-up). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class CookieAndSecretBenchmark {
    private final CookiePolicy policy = CookiePolicy.builder().secureCookies(true).reporter(m -> { }).build();
    private final String key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Benchmark
    public String setCookieRewrite() {
        return policy.apply("sessionid=abc123; Path=/; Max-Age=1209600");
    }

    @Benchmark
    public Object secretKeyCheck() {
        return SecretKeyPolicy.check(key, List.of(), false);
    }
}
