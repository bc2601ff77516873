package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseTest {
    @Test
    void isImmutableWhateverTheCallerDoesWithItsInputsAndOutputs() {
        byte[] body = {1, 2, 3};
        Map<String, String> headers = new LinkedHashMap<>(Map.of("A", "1"));
        Response r = Response.of(200, headers, body);
        body[0] = 9;
        headers.put("B", "2");
        r.body()[1] = 9;
        r.bodyBuffer().position(2);
        assertThat(r.body()).containsExactly(1, 2, 3);
        assertThat(r.bodyBuffer().remaining()).isEqualTo(3);
        assertThat(r.bodyBuffer().isReadOnly()).isTrue();
        assertThat(r.headers()).containsExactly(Map.entry("A", "1"));
        assertThatThrownBy(() -> r.headers().put("C", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void closingConnectionSaysSoInItsHeaders() {
        Response r = Response.text(403, "no");
        Response closing = r.closingConnection();
        assertThat(r.closeConnection()).isFalse();
        assertThat(closing.closeConnection()).isTrue();
        assertThat(closing.headers()).containsEntry("Connection", "close").containsEntry("Content-Type", "text/plain; charset=utf-8");
        assertThat(closing.closingConnection()).isSameAs(closing);
        assertThat(closing.bodyText()).isEqualTo("no");
        assertThat(Answers.MALFORMED.closeConnection()).isTrue();
        assertThat(Answers.TIMED_OUT.status()).isEqualTo(408);
    }

    @Test
    void statusMustBeAnHttpStatus() {
        assertThatThrownBy(() -> Response.empty(99)).hasMessageContaining("99");
        assertThatThrownBy(() -> Response.empty(600)).hasMessageContaining("600");
    }
}
