package io.gatehouse.internal.csp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader compares a string member with the last one at its place in the raw input. These tests
 * pin the Jackson behaviour that relies on, and check that reading with the raw input always gives
 * what reading without it gives, over bodies whose values repeat, almost repeat, or are escaped.
 */
class CspJsonRawTest {
    private static final JsonFactory FACTORY = CspJson.factory(1 << 20);

    /** Jackson's offset of a string token is its first content byte, right after the quote. */
    @Test
    void aStringTokensOffsetIsItsFirstContentByte() throws IOException {
        byte[] body = ("[{\"a\": \"x\", \"b\" :\"yz\" , \"c\":{\"d\":\"\"}, \"e\": [\"f\", \"g\\\"h\"]},"
                + " {\"a\":\"\\u0041\", \"b\": 12, \"c\" : \"\u00e9t\u00e9\"}]").getBytes(StandardCharsets.UTF_8);
        int strings = 0;
        try (JsonParser p = FACTORY.createParser(body, 0, body.length)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    continue;
                }
                if (t == JsonToken.VALUE_STRING) {
                    int at = (int) ((ParserBase) p).getTokenCharacterOffset();
                    assertThat(body[at - 1]).as("byte before the string at %d", at).isEqualTo((byte) '"');
                    strings++;
                }
            }
        }
        // The same through nextFieldName, as the reader walks objects.
        try (JsonParser p = FACTORY.createParser(body, 0, body.length)) {
            p.nextToken();
            p.nextToken();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    int at = (int) ((ParserBase) p).getTokenCharacterOffset();
                    String text = p.getText();
                    assertThat(new String(body, at, text.length(), StandardCharsets.UTF_8)).isEqualTo(text);
                    assertThat(body[at + text.length()]).isEqualTo((byte) '"');
                } else {
                    p.skipChildren();
                }
            }
        }
        assertThat(strings).isEqualTo(7);
    }

    @Test
    void readingWithTheRawInputAlwaysGivesWhatReadingWithoutItGives() throws IOException {
        Random random = new Random(3);
        StringCache cache = new StringCache(64);
        String[] pool = {"inline", "eval", "report", "enforce", "https://example.com/a", "https://example.com/ab",
            "https://example.com/", "", "A", "\\u0041", "\\\"", "x\\\\y", "caf\u00e9", "\ud83d\ude00", "a\\nb",
            "https://example.com/a\\/b", "https://example.com/a\\u002fb"};
        String[] names = {"blockedURL", "disposition", "documentURL", "sample", "sourceFile", "lineNumber"};
        int repeated = 0;
        for (int round = 0; round < 5_000; round++) {
            StringBuilder json = new StringBuilder("{\"age\": 1, \"body\": {");
            for (int i = 0; i < names.length; i++) {
                if (i > 0) {
                    json.append(random.nextBoolean() ? "," : " , ");
                }
                json.append('"').append(names[i]).append("\":").append(random.nextInt(4) == 0 ? " " : "");
                int kind = random.nextInt(12);
                if (kind == 0) {
                    json.append(round);
                } else if (kind == 1) {
                    json.append("{\"k\": \"").append(pool[random.nextInt(pool.length)]).append("\"}");
                } else {
                    // Mostly the same few values, so hints are set and then met.
                    json.append('"').append(pool[kind < 8 ? i % 5 : random.nextInt(pool.length)]).append('"');
                }
            }
            json.append("}, \"type\": \"csp-violation\"}");
            byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
            // The parser reads a prefix of a larger buffer: nothing past the end may count.
            byte[] buffer = Arrays.copyOf(text, text.length + 3);
            buffer[text.length] = '"';
            Object withRaw;
            try (JsonParser p = FACTORY.createParser(buffer, 0, text.length)) {
                p.nextToken();
                withRaw = CspJson.read(p, cache, buffer, text.length);
            }
            Object plain;
            try (JsonParser p = FACTORY.createParser(text)) {
                p.nextToken();
                plain = CspJson.read(p);
            }
            assertThat(withRaw).as(json.toString()).isEqualTo(plain);
            if (json.indexOf("\"inline\"") >= 0) {
                repeated++;
            }
        }
        assertThat(repeated).isGreaterThan(1_000);
    }
}
