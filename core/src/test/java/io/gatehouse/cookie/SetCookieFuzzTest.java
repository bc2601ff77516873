package io.gatehouse.cookie;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzz target for Set-Cookie: never throws, parse/serialise is stable, the policy is idempotent and never drops a cookie. */
class SetCookieFuzzTest {
    private static final CookiePolicy POLICY = CookiePolicy.builder().secureCookies(true).reporter(m -> { }).build();

    @FuzzTest(maxDuration = "10m")
    void setCookie(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        SetCookie.parse(header).ifPresent(c -> {
            SetCookie again = SetCookie.parse(c.toString()).orElseThrow(() -> new AssertionError("re-parse: " + c));
            if (!again.equals(c)) {
                throw new AssertionError(header + " -> " + c + " -> " + again);
            }
        });
        String out = POLICY.apply(header);
        if (out == null || !POLICY.apply(out).equals(out)) {
            throw new AssertionError("not idempotent: " + header);
        }
        if (SetCookie.parse(header).isPresent()) {
            SetCookie o = SetCookie.parse(out).orElseThrow(() -> new AssertionError("output does not parse: " + out));
            if (!o.has("Secure") || !o.name().equals(SetCookie.parse(header).get().name())) {
                throw new AssertionError("policy lost Secure or the name: " + out);
            }
        } else if (!out.equals(header)) {
            throw new AssertionError("an unparsable header must pass through unchanged");
        }
    }
}
