package io.gatehouse.internal.csp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EscapeCacheTest {

    @Test
    void aRepeatedSampleIsEscapedOnceAndEveryAnswerMatchesHtmlEscape() {
        CspViolation.EscapeCache cache = new CspViolation.EscapeCache();
        String sample = "document.body.setAttribute('data-inline'";
        String first = cache.escape(sample);
        assertThat(first).isEqualTo("document.body.setAttribute(&#x27;data-inline&#x27;");
        // An equal sample from another request (another instance) gets the same escaped string.
        assertThat(cache.escape(new String(sample))).isSameAs(first);
        assertThat(cache.escape("plain")).isEqualTo("plain");
        assertThat(cache.escape("")).isEmpty();

        // Many different samples through 64 slots: collisions never give another sample's answer.
        Random random = new Random(11);
        for (int i = 0; i < 5_000; i++) {
            String s = "<" + Integer.toString(random.nextInt(300), 36) + "'&\"" + i % 97 + ">";
            assertThat(cache.escape(s)).isEqualTo(CspViolation.htmlEscape(s));
        }
    }
}
