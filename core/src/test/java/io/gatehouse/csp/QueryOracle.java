package io.gatehouse.csp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The obvious query parser (split, decode every part, last value wins): what queryParam must agree with. */
final class QueryOracle {
    private QueryOracle() {
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String part : raw.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq < 0) {
                m.put(decode(part), "");
            } else {
                m.put(decode(part.substring(0, eq)), decode(part.substring(eq + 1)));
            }
        }
        return m;
    }

    /** What {@code CspReportEndpoint.Query.parse} must give for {@code raw}. */
    static CspReportEndpoint.Query expected(String raw) {
        Map<String, String> m = query(raw);
        return new CspReportEndpoint.Query(m.get("token"), m.get("api_key"), m.get("v"), m.get("distinct_id"),
                m.get("session_id"), m.get("sample_rate"));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
