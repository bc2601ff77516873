package io.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.config.Outcome.Answer;
import io.gatehouse.config.Outcome.Proceed;
import io.gatehouse.csp.sink.CspEventSink;
import io.gatehouse.http.RequestView;
import io.gatehouse.ip.IpAddress;
import io.gatehouse.proxy.ClientIp;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Gatehouse#decide} counts what it decides, and only that. */
class RequestCountersTest {
    private static final String KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static Gatehouse gatehouse(Map<String, String> env) {
        return Gatehouse.builder(GatehouseConfig.fromEnvironment(env), CspEventSink.consuming(events -> { })).build();
    }

    private static RequestView request(String method, String path, String peer, Map<String, List<String>> headers) {
        return RequestView.of(method, path, null, "app.example", IpAddress.parse(peer), false,
                name -> headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of()));
    }

    private static RequestView get(String path, String peer, String... headers) {
        Map<String, List<String>> h = new java.util.HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(Locale.ROOT), List.of(headers[i + 1]));
        }
        return request("GET", path, peer, h);
    }

    @Test
    void allowListDenialsAreCountedByWhetherTheClientWasResolved() {
        Gatehouse g = gatehouse(Map.of("TEST", "1", "ALLOWED_IP_BLOCKS", "10.0.0.0/8", "IS_BEHIND_PROXY", "1",
                "TRUSTED_PROXIES", "127.0.0.1"));
        assertThat(g.decide(get("/app", "192.0.2.1"))).isInstanceOf(Answer.class);
        assertThat(g.decide(get("/app", "127.0.0.1", "X-Forwarded-For", "garbage"))).isInstanceOf(Answer.class);
        assertThat(g.decide(get("/app", "127.0.0.1", "X-Forwarded-For", "unknown"))).isInstanceOf(Answer.class);
        assertThat(g.decide(get("/app", "10.1.1.1"))).isInstanceOf(Proceed.class);
        assertThat(g.decide(get("/_health", "192.0.2.1"))).as("exempt").isInstanceOf(Proceed.class);
        RequestCounters c = g.requestCounters();
        assertThat(c.denied()).isEqualTo(3);
        assertThat(c.deniedResolved()).isEqualTo(1);
        assertThat(c.deniedUnresolved()).isEqualTo(2);
        assertThat(c.unresolved(ClientIp.Cause.NOT_AN_IP)).isEqualTo(1);
        assertThat(c.unresolved(ClientIp.Cause.HIDDEN)).isEqualTo(1);
        assertThat(c.httpsRedirects()).isZero();
    }

    @Test
    void unresolvedClientsAreCountedWithoutAnAllowListToo() {
        Gatehouse g = gatehouse(Map.of("TEST", "1", "IS_BEHIND_PROXY", "1", "TRUSTED_PROXIES", "127.0.0.0/8",
                "GATEHOUSE_MAX_FORWARDED_HOPS", "2"));
        assertThat(g.decide(get("/app", "127.0.0.1", "X-Forwarded-For", "127.0.0.2, 127.0.0.3, 127.0.0.4")))
                .isInstanceOf(Proceed.class);
        assertThat(g.decide(get("/app", "127.0.0.1", "X-Forwarded-For", "1.2.3.4, x"))).isInstanceOf(Proceed.class);
        assertThat(g.decide(RequestView.of("GET", "/app", null, "h", null, false, name -> List.of())))
                .isInstanceOf(Proceed.class);
        RequestCounters c = g.requestCounters();
        assertThat(c.unresolved(ClientIp.Cause.TOO_MANY_HOPS)).isEqualTo(1);
        assertThat(c.unresolved(ClientIp.Cause.NOT_AN_IP)).isEqualTo(1);
        assertThat(c.unresolved(ClientIp.Cause.NO_PEER_ADDRESS)).isEqualTo(1);
        assertThat(c.denied()).isZero();
        assertThat(c.snapshot()).containsEntry("unresolved_too_many_hops", 1L).containsEntry("unresolved_not_an_ip", 1L)
                .containsEntry("unresolved_no_peer_address", 1L).containsEntry("unresolved_other", 0L);
    }

    @Test
    void redirectsBadHostsAndMalformedFramingAreCounted() {
        Gatehouse g = gatehouse(Map.of("SECRET_KEY", KEY));
        assertThat(g.decide(get("/app", "192.0.2.1"))).isInstanceOf(Answer.class);
        assertThat(g.decide(request("POST", "/app", "192.0.2.1", Map.of()))).isInstanceOf(Answer.class);
        assertThat(g.decide(get("/_health", "192.0.2.1"))).isInstanceOf(Proceed.class);
        assertThat(g.decide(RequestView.of("GET", "/app", null, "bad host", IpAddress.parse("192.0.2.1"), false,
                name -> List.of()))).isInstanceOf(Answer.class);
        assertThat(g.decide(request("POST", "/app", "192.0.2.1", Map.of("content-length", List.of("5", "6")))))
                .isInstanceOf(Answer.class);
        RequestCounters c = g.requestCounters();
        assertThat(c.httpsRedirects()).isEqualTo(2);
        assertThat(c.badHost()).isEqualTo(1);
        assertThat(c.malformedFraming()).isEqualTo(1);
        g.malformed();
        g.timedOut();
        assertThat(c.malformedFraming()).isEqualTo(2);
        assertThat(c.timedOut()).isEqualTo(1);
    }

    @Test
    void aRequestThatProceedsWithAResolvedClientCountsNothing() {
        Gatehouse g = gatehouse(Map.of("TEST", "1", "ALLOWED_IP_BLOCKS", "192.0.2.0/24"));
        for (int i = 0; i < 10; i++) {
            assertThat(g.decide(get("/app", "192.0.2.1"))).isInstanceOf(Proceed.class);
        }
        assertThat(g.requestCounters().snapshot().values()).containsOnly(0L);
    }
}
