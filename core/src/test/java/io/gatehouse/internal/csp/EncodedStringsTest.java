package io.gatehouse.internal.csp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedStringsTest {
    private static final EncodedStrings CACHE = new EncodedStrings();

    private static byte[] written(Object value, boolean plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            if (plain) {
                g.writeString((String) value);
            } else {
                CspJson.write(g, value, CACHE);
            }
        }
        return out.toByteArray();
    }

    @Test
    void sharedInstancesWriteTheSameBytesAsPlainStrings() throws IOException {
        for (String s : List.of("default-src 'self'", "quote \" backslash \\ slash /", "tab\tnewline\ncontrol\u0001",
                "ü 例 \u2028", "", "x".repeat(EncodedStrings.MAX_LENGTH))) {
            byte[] expected = written(s, true);
            for (int i = 0; i < 3; i++) {
                // First miss, second admits, third hits: all three the same bytes.
                assertThat(written(s, false)).as("%s, write %d", s, i).isEqualTo(expected);
            }
        }
    }

    @Test
    void onlyTheSameInstanceHits() {
        String a = new String("https://example.com/page");
        CACHE.get(a);
        assertThat(CACHE.get(a)).isNotNull();
        assertThat(CACHE.get(a)).isNotNull();
        String b = new String(a);
        assertThat(CACHE.get(b)).as("an equal but different instance").isNull();
    }

    @Test
    void surrogatesAndLongStringsAreNeverKept() {
        String emoji = new String("page 😀");
        String lone = new String("x \uD800 y");
        String longOne = "y".repeat(EncodedStrings.MAX_LENGTH + 1);
        for (int i = 0; i < 3; i++) {
            assertThat(CACHE.get(emoji)).isNull();
            assertThat(CACHE.get(lone)).isNull();
            assertThat(CACHE.get(longOne)).isNull();
        }
    }
}
