package io.gatehouse.cookie;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for Set-Cookie: never throws, parse/serialise is stable, the policy is idempotent,
 * never drops a cookie, never lets a control character out, always leaves with Secure (the
 * policy here has secure cookies on), keeps the name and value of whatever parses, and only
 * appends {@code ; Secure} to a header that does not parse.
 */
class SetCookieFuzzTest {
    private static final CookiePolicy POLICY = CookiePolicy.builder().secureCookies(true).reporter(m -> { }).build();

    @FuzzTest(maxDuration = "10m")
    void setCookie(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        SetCookie in = SetCookie.parse(header).orElse(null);
        if (in != null) {
            SetCookie again = SetCookie.parse(in.toString()).orElseThrow(() -> new AssertionError("re-parse: " + in));
            if (!again.equals(in)) {
                throw new AssertionError(header + " -> " + in + " -> " + again);
            }
        }
        String out = POLICY.apply(header);
        if (out == null || !POLICY.apply(out).equals(out)) {
            throw new AssertionError("not idempotent: " + header);
        }
        if (SetCookie.indexOfControl(out) >= 0) {
            throw new AssertionError("a control character leaves in " + out);
        }
        if (!CookiePolicyProperties.hasSecure(out)) {
            throw new AssertionError("no Secure in " + out);
        }
        if (in != null) {
            SetCookie o = SetCookie.parse(out).orElseThrow(() -> new AssertionError("output does not parse: " + out));
            if (!o.name().equals(in.name()) || !o.value().equals(in.value())) {
                throw new AssertionError("policy changed the name or value: " + header + " -> " + out);
            }
        } else if (SetCookie.indexOfControl(header) < 0 && !out.equals(header) && !out.equals(header + "; Secure")) {
            throw new AssertionError("an unparsable header may only get \"; Secure\" appended: " + header + " -> " + out);
        }
    }
}
