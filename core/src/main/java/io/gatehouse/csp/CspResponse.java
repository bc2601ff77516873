package io.gatehouse.csp;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the report endpoint answers: a status, headers in order, and a body (empty for 204, which
 * then carries no {@code Content-Type}).
 */
public record CspResponse(int status, Map<String, String> headers, byte[] body) {
    public CspResponse {
        headers = headers.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
