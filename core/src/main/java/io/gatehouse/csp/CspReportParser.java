package io.gatehouse.csp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a report body into CSP violation reports, checking in SPEC section 9's order: JSON syntax
 * (the whole body), then shape, then the report count.
 */
final class CspReportParser {

    /** The outcome. */
    sealed interface Result permits Parsed, Rejected {
    }

    /**
     * The reports: legacy {@code csp-report} objects and Reporting API {@code csp-violation} reports.
     *
     * @param ignored Reporting API reports of other types
     * @param total every report in the body
     */
    record Parsed(List<CspViolation> violations, int ignored, int total) implements Result {
    }

    /** A rejected body. */
    record Rejected(CspRejection reason) implements Result {
    }

    private CspReportParser() {
    }

    static Result parse(JsonFactory factory, StringCache strings, byte[] body, int length, int maxReports) {
        if (length == 0) {
            return new Rejected(CspRejection.INVALID_FORMAT);
        }
        CspRejection shape = null;
        List<CspViolation> violations = null;
        int ignored = 0;
        int total = 0;
        try (JsonParser p = factory.createParser(body, 0, length)) {
            JsonToken t = p.nextToken();
            // One report in an object body; a batch's count is known only at its end.
            violations = new ArrayList<>(t == JsonToken.START_OBJECT ? 1 : 10);
            if (t == JsonToken.START_OBJECT) {
                ArrayMap m = (ArrayMap) CspJson.read(p, strings, body, length);
                total = 1;
                if (m.containsKey("csp-report")) {
                    if (m.get("csp-report") instanceof ArrayMap report) {
                        violations.add(CspViolation.fromLegacy(m, report));
                    } else {
                        shape = CspRejection.INVALID_PAYLOAD;
                    }
                } else if (isCspViolation(m)) {
                    shape = addReportingApi(m, violations);
                } else {
                    shape = CspRejection.INVALID_PROPERTIES;
                }
            } else if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    total++;
                    if (t != JsonToken.START_OBJECT) {
                        if (shape == null) {
                            shape = CspRejection.INVALID_PAYLOAD;
                        }
                        p.skipChildren();
                        continue;
                    }
                    if (total > maxReports || shape != null) {
                        p.skipChildren();
                        continue;
                    }
                    ArrayMap m = (ArrayMap) CspJson.read(p, strings, body, length);
                    if (isCspViolation(m)) {
                        CspRejection r = addReportingApi(m, violations);
                        if (r != null) {
                            shape = r;
                        }
                    } else {
                        ignored++;
                    }
                }
            } else {
                // A scalar or null body; still read to the end so a syntax error wins.
                shape = CspRejection.INVALID_PAYLOAD;
            }
            if (p.nextToken() != null) {
                return new Rejected(CspRejection.INVALID_FORMAT);
            }
        } catch (IOException | RuntimeException e) {
            // Syntax errors, bad encodings and StreamReadConstraints violations alike.
            return new Rejected(CspRejection.INVALID_FORMAT);
        }
        if (shape != null) {
            return new Rejected(shape);
        }
        if (total > maxReports) {
            return new Rejected(CspRejection.TOO_LARGE);
        }
        return new Parsed(violations, ignored, total);
    }

    private static boolean isCspViolation(ArrayMap m) {
        return "csp-violation".equals(m.memberValue(MemberNames.TYPE));
    }

    private static CspRejection addReportingApi(ArrayMap report, List<CspViolation> out) {
        Object body = report.memberValue(MemberNames.BODY);
        if (body != null && !(body instanceof ArrayMap)) {
            return CspRejection.INVALID_PROPERTIES;
        }
        out.add(CspViolation.fromReportingApi(report));
        return null;
    }
}
