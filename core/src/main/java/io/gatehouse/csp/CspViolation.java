package io.gatehouse.csp;

import java.util.Map;

/**
 * One CSP violation, normalised from either report format (SPEC section 7, "Event mapping").
 * Values keep their JSON types (see {@code CspJson}); a missing field is {@code null}, except
 * {@link #scriptSample()}, which is {@code ""}. "Else" in the mapping falls through on missing, null
 * or empty string.
 *
 * @param legacy from a {@code report-uri} body ({@code {"csp-report": ...}}): it has no user agent
 * @param scriptSample the sample, HTML-escaped
 * @param userAgent the report's own user agent (Reporting API only)
 * @param rawReport the report object as received, its sample replaced by the escaped form
 */
public record CspViolation(
        boolean legacy,
        Object reportType,
        Object documentUrl,
        Object referrer,
        Object violatedDirective,
        Object effectiveDirective,
        Object originalPolicy,
        Object disposition,
        Object blockedUrl,
        Object lineNumber,
        Object columnNumber,
        Object sourceFile,
        Object statusCode,
        Object scriptSample,
        Object userAgent,
        Map<String, Object> rawReport) {

    /** From a legacy body {@code outer = {"csp-report": report}}. */
    static CspViolation fromLegacy(Map<String, Object> outer, Map<String, Object> report) {
        Object sample = escapedSample(report.get("script-sample"));
        Map<String, Object> raw = outer;
        if (report.containsKey("script-sample") && !java.util.Objects.equals(sample, report.get("script-sample"))) {
            raw = owned(outer).with("csp-report", owned(report).with("script-sample", sample));
        }
        return new CspViolation(true, "csp-violation",
                report.get("document-uri"),
                report.get("referrer"),
                report.get("violated-directive"),
                report.get("effective-directive"),
                report.get("original-policy"),
                report.get("disposition"),
                report.get("blocked-uri"),
                report.get("line-number"),
                report.get("column-number"),
                report.get("source-file"),
                report.get("status-code"),
                sample,
                null,
                owned(raw));
    }

    /** From a Reporting API report {@code {"type": "csp-violation", "body": {...}, ...}}. */
    static CspViolation fromReportingApi(Map<String, Object> report) {
        @SuppressWarnings("unchecked")
        Map<String, Object> body = report.get("body") instanceof Map<?, ?> b ? (Map<String, Object>) b : Map.of();
        Object sample = escapedSample(body.get("sample"));
        Map<String, Object> raw = report;
        if (body.containsKey("sample") && !java.util.Objects.equals(sample, body.get("sample"))) {
            raw = owned(report).with("body", owned(body).with("sample", sample));
        }
        return new CspViolation(false, report.get("type"),
                orElse(body.get("documentURL"), body.get("document-uri"), report.get("url")),
                body.get("referrer"),
                orElse(body.get("effectiveDirective"), body.get("violated-directive"), null),
                body.get("effectiveDirective"),
                body.get("originalPolicy"),
                body.get("disposition"),
                orElse(body.get("blockedURL"), body.get("blocked-uri"), null),
                body.get("lineNumber"),
                body.get("columnNumber"),
                body.get("sourceFile"),
                body.get("statusCode"),
                sample,
                orElse(report.get("user_agent"), body.get("user-agent"), null),
                owned(raw));
    }

    /** {@code m} when it is already immutable (as the parser makes them), else an immutable copy. */
    private static ArrayMap owned(Map<String, Object> m) {
        if (m instanceof ArrayMap a) {
            return a;
        }
        ArrayMap.Builder b = new ArrayMap.Builder();
        m.forEach(b::put);
        return b.build();
    }

    private static Object orElse(Object a, Object b, Object c) {
        if (a != null && !"".equals(a)) {
            return a;
        }
        if (b != null && !"".equals(b)) {
            return b;
        }
        return c != null && !"".equals(c) ? c : null;
    }

    private static Object escapedSample(Object sample) {
        if (sample == null) {
            return "";
        }
        return sample instanceof String s ? htmlEscape(s) : sample;
    }

    /** Python's {@code html.escape}: {@code & < > " '} to {@code &amp; &lt; &gt; &quot; &#x27;}. */
    public static String htmlEscape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#x27;";
                default -> null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** The document URL as the sampling key prints it: a string as is, null as null, anything else as text. */
    CharSequence documentUrlText() {
        return documentUrl == null ? null : documentUrl instanceof String s ? s : String.valueOf(documentUrl);
    }
}
