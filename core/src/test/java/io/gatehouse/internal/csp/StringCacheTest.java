package io.gatehouse.internal.csp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StringCacheTest {

    private static String get(StringCache c, String s) {
        char[] buf = ("<<" + s + ">>").toCharArray();
        return c.get(buf, 2, s.length());
    }

    @Test
    void sharesAValueFromItsSecondMissOn() {
        StringCache c = new StringCache(64);
        String first = get(c, "default-src 'self'");
        String second = get(c, "default-src 'self'");
        String third = get(c, "default-src 'self'");
        assertThat(first).isEqualTo("default-src 'self'").isNotSameAs(second);
        assertThat(third).isSameAs(second);
    }

    @Test
    void alwaysAnswersTheCharsAskedFor() {
        // One slot: every value collides; answers stay right however the slot churns.
        StringCache c = new StringCache(1);
        Random r = new Random(42);
        String[] pool = {"a", "b", "ab", "ba", "https://example.com/", "https://example.com/x", "report", "enforce", ""};
        for (int i = 0; i < 10_000; i++) {
            String s = pool[r.nextInt(pool.length)];
            assertThat(get(c, s)).isEqualTo(s);
        }
    }

    @Test
    void sharesSubstringsOfTextToo() {
        StringCache c = new StringCache(64);
        String q = "token=phc_test&v=1";
        String first = c.get(q, 6, 14);
        assertThat(first).isEqualTo("phc_test");
        String second = c.get("x=phc_test", 2, 10);
        assertThat(c.get(q, 6, 14)).isSameAs(second).isEqualTo("phc_test");
        assertThat(get(c, "phc_test")).as("both overloads share slots").isSameAs(second);
        assertThat(c.get(q, 6, 13)).isEqualTo("phc_tes");
        assertThat(c.get(q, 3, 3)).isEmpty();
    }

    @Test
    void longValuesAreNeverKept() {
        StringCache c = new StringCache(8);
        String big = "x".repeat(StringCache.MAX_LENGTH + 1);
        get(c, big);
        assertThat(get(c, big)).isEqualTo(big).isNotSameAs(get(c, big));
    }

    @Test
    void slotCountIsAPowerOfTwo() {
        assertThatThrownBy(() -> new StringCache(100)).hasMessageContaining("power of two");
    }
}
