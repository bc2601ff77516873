package io.gatehouse.csp.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentSecurityPolicyTest {
    private final List<String> warnings = new ArrayList<>();

    private ContentSecurityPolicy.Builder base() {
        return ContentSecurityPolicy.builder().reporter(warnings::add)
                .directive("default-src", "'self'").directive("img-src", "'self'", "data:")
                .reportTo("/report/").token("phc_test");
    }

    @Test
    void overHttpsSendsAllThree() {
        ContentSecurityPolicy.Headers h = base().reportOnly(true).version("1").build().headers(true);
        assertThat(h.policyHeaderName()).isEqualTo("Content-Security-Policy-Report-Only");
        assertThat(h.policy()).isEqualTo("default-src 'self'; img-src 'self' data:; report-uri /report/?token=phc_test&v=1; report-to posthog");
        assertThat(h.reportingEndpoints()).isEqualTo("posthog=\"/report/?token=phc_test&v=1\"");
        assertThat(warnings).isEmpty();
        Map<String, String> set = new LinkedHashMap<>();
        h.forEach(set::put);
        assertThat(set).containsOnlyKeys("Content-Security-Policy-Report-Only", "Reporting-Endpoints");
    }

    @Test
    void overHttpOnlyReportUriAndOneWarning() {
        ContentSecurityPolicy p = base().build();
        ContentSecurityPolicy.Headers h = p.headers(false);
        assertThat(h.policyHeaderName()).isEqualTo("Content-Security-Policy");
        assertThat(h.policy()).isEqualTo("default-src 'self'; img-src 'self' data:; report-uri /report/?token=phc_test")
                .doesNotContain("report-to");
        assertThat(h.reportingEndpoints()).isNull();
        p.headers(false);
        assertThat(warnings).singleElement().asString().contains("https page to an https endpoint");
    }

    @Test
    void httpEndpointNeverGetsReportTo() {
        ContentSecurityPolicy p = base().reportTo("http://collector.example/report/").build();
        assertThat(p.headers(true).policy()).doesNotContain("report-to");
        assertThat(warnings).singleElement().asString().contains("endpoint is http");
    }

    @Test
    void noReportToWhenNotWanted() {
        ContentSecurityPolicy p = base().useReportTo(false).build();
        assertThat(p.headers(true).policy()).doesNotContain("report-to");
        assertThat(p.headers(true).reportingEndpoints()).isNull();
        assertThat(warnings).isEmpty();
    }

    @Test
    void perRequestIdsAndSampleRateAreEncoded() {
        ContentSecurityPolicy p = base().sampleRate(0.25).reportTo("https://app.example.com/report/?x=1").build();
        ContentSecurityPolicy.Headers h = p.headers(true, "user 1&a=b", "sess/1");
        assertThat(h.policy()).contains("report-uri https://app.example.com/report/?x=1&token=phc_test&sample_rate=0.25"
                + "&distinct_id=user+1%26a%3Db&session_id=sess%2F1");
        assertThat(h.reportingEndpoints()).isEqualTo("posthog=\"https://app.example.com/report/?x=1&token=phc_test"
                + "&sample_rate=0.25&distinct_id=user+1%26a%3Db&session_id=sess%2F1\"");
    }

    @Test
    void headerInjectionIsRejected() {
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive("img-src", "a.com\r\nSet-Cookie: x"))
                .hasMessageContaining("forbidden character at index 5").hasMessageNotContaining("\r");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive("img-src", "a.com; script-src *"))
                .hasMessageContaining("';'");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive("img-src", "a.com,b.com"))
                .hasMessageContaining("index 5");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive("img src", "a"))
                .hasMessageContaining("directive name");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().directive("report-uri", "/x"))
                .hasMessageContaining("reportTo");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().reportTo("javascript:alert(1)"))
                .hasMessageContaining("path or an http(s) URL");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().reportTo("/report/").build())
                .hasMessageContaining("needs a token");
        assertThatThrownBy(() -> ContentSecurityPolicy.builder().sampleRate(Double.NaN)).hasMessageContaining("between 0 and 1");
    }

    @Test
    void withoutEndpointJustThePolicy() {
        ContentSecurityPolicy.Headers h = ContentSecurityPolicy.builder().directive("default-src", "'none'").build().headers(true);
        assertThat(h.policy()).isEqualTo("default-src 'none'");
        assertThat(h.reportingEndpoints()).isNull();
    }
}
