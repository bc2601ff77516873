package io.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "/                                  | /             | NULL",
        "/a/b?x=1&y                         | /a/b          | x=1&y",
        "/a?                                | /a            | ''",
        "/a?b?c                             | /a            | b?c",
        "/a#frag                            | /a            | NULL",
        "/a?q#frag                          | /a            | q",
        "http://example.com/a/b?q=1         | /a/b          | q=1",
        "https://example.com:8443           | /             | NULL",
        "http://example.com?q               | /             | q",
        "*                                  | *             | NULL",
        "''                                 | ''            | NULL",
    })
    void splitsPathAndQuery(String target, String path, String query) {
        RequestTarget t = RequestTarget.parse(target);
        assertThat(t.path()).isEqualTo(path);
        assertThat(t.query()).isEqualTo(query);
    }
}
