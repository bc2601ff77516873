package io.gatehouse.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class SetCookieTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvFileSource(resources = "set-cookie-parse.csv", delimiter = '|', quoteCharacter = '`', ignoreLeadingAndTrailingWhitespace = false)
    void parsesAsABrowserDoes(String in, String name, String value, String serialised) {
        var parsed = SetCookie.parse(in == null ? "" : in);
        if (serialised == null) {
            assertThat(parsed).isEmpty();
            return;
        }
        SetCookie c = parsed.orElseThrow();
        assertThat(c.name()).isEqualTo(name);
        assertThat(c.value()).isEqualTo(value == null ? "" : value);
        assertThat(c).hasToString(serialised);
        assertThat(SetCookie.parse(serialised)).contains(c);
    }

    @Test
    void controlCharactersOtherThanTabNeverParse() {
        for (char c = 0; c < 0x20; c++) {
            var parsed = SetCookie.parse("a=x" + c + "y; Path=/");
            if (c == '\t') {
                assertThat(parsed).get().extracting(SetCookie::value).isEqualTo("x\ty");
            } else {
                assertThat(parsed).as("char %d", (int) c).isEmpty();
            }
        }
        assertThat(SetCookie.parse("a=1; Path=/\u007f")).isEmpty();
        assertThat(SetCookie.parse("a\r\n=1")).isEmpty();
        assertThat(SetCookie.parse(null)).isEmpty();
    }

    @Test
    void ofBuildsOnlyWhatAServerShouldWrite() {
        assertThat(SetCookie.of("a", "\"q\"")).hasToString("a=\"q\"");
        assertThatThrownBy(() -> SetCookie.of("a b", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.of("a", "x;y")).isInstanceOf(IllegalArgumentException.class);
    }
}
