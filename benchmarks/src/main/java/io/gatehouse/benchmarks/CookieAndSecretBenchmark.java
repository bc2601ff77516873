package io.gatehouse.benchmarks;

import io.gatehouse.cookie.CookiePolicy;
import io.gatehouse.secret.SecretKeyPolicy;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;

/** For completeness: one {@code Set-Cookie} rewrite (per response) and one key check (per start-up). */
public class CookieAndSecretBenchmark extends JmhSettings {
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
