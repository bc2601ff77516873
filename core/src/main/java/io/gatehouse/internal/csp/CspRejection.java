package io.gatehouse.internal.csp;

import java.nio.charset.StandardCharsets;

/** Why the report endpoint refused a request: the status and PostHog's exact JSON body. */
public enum CspRejection {
    /** Not POST, or another Content-Type; also a non-object {@code csp-report}, scalar body or list element. */
    INVALID_PAYLOAD(400, "invalid_payload",
            "{\"type\":\"invalid_payload\",\"code\":\"invalid_payload\",\"detail\":\"Failed to submit CSP report\",\"attr\":null}"),
    /** Not JSON, or empty. */
    INVALID_FORMAT(400, "invalid_csp_payload",
            "{\"type\":\"validation_error\",\"code\":\"invalid_csp_payload\",\"detail\":\"Invalid CSP report format\",\"attr\":null}"),
    /** JSON of the wrong shape, or {@code sample_rate=nan}. */
    INVALID_PROPERTIES(400, "invalid_csp_payload",
            "{\"type\":\"validation_error\",\"code\":\"invalid_csp_payload\",\"detail\":\"Invalid CSP report properties provided\",\"attr\":null}"),
    /** Body larger than the limit, or more reports than the limit. */
    TOO_LARGE(413, "too_large",
            "{\"type\":\"validation_error\",\"code\":\"csp_report_too_large\",\"detail\":\"CSP report too large\",\"attr\":null}"),
    /** No {@code token} (or {@code api_key}). */
    MISSING_API_KEY(401, "missing_api_key",
            "{\"type\":\"authentication_error\",\"code\":\"missing_api_key\",\"detail\":\"API key not provided. You can find your project API key in PostHog project settings.\",\"attr\":null}"),
    /** A token outside {@code GATEHOUSE_CSP_TOKENS}. */
    INVALID_API_KEY(401, "invalid_api_key",
            "{\"type\":\"authentication_error\",\"code\":\"invalid_api_key\",\"detail\":\"Project API key invalid. You can find your project API key in PostHog project settings.\",\"attr\":null}");

    private final int status;
    private final String counterName;
    private final String body;

    CspRejection(int status, String counterName, String body) {
        this.status = status;
        this.counterName = counterName;
        this.body = body;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The name of the rejection counter ({@code invalid_payload}, {@code invalid_csp_payload}, ...). */
    public String counterName() {
        return counterName;
    }

    /** The JSON body, exactly PostHog's. */
    public String body() {
        return body;
    }

    public byte[] bodyBytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
