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

    /** From a legacy body {@code outer = {"csp-report": report}}: one pass over the report's members. */
    static CspViolation fromLegacy(Map<String, Object> outer, Map<String, Object> report) {
        ArrayMap r = owned(report);
        Object[] f = new Object[LEGACY_FIELDS];
        boolean hasSample = false;
        for (int i = 0; i < r.size(); i++) {
            Object v = r.valueAt(i);
            switch (r.keyAt(i)) {
                case "document-uri" -> f[DOCUMENT] = v;
                case "referrer" -> f[REFERRER] = v;
                case "violated-directive" -> f[VIOLATED] = v;
                case "effective-directive" -> f[EFFECTIVE] = v;
                case "original-policy" -> f[POLICY] = v;
                case "disposition" -> f[DISPOSITION] = v;
                case "blocked-uri" -> f[BLOCKED] = v;
                case "line-number" -> f[LINE] = v;
                case "column-number" -> f[COLUMN] = v;
                case "source-file" -> f[SOURCE] = v;
                case "status-code" -> f[STATUS] = v;
                case "script-sample" -> {
                    hasSample = true;
                    f[SAMPLE] = v;
                }
                default -> {
                }
            }
        }
        Object sample = escapedSample(f[SAMPLE]);
        Map<String, Object> raw = outer;
        if (hasSample && !java.util.Objects.equals(sample, f[SAMPLE])) {
            raw = owned(outer).with("csp-report", r.with("script-sample", sample));
        }
        return new CspViolation(true, "csp-violation", f[DOCUMENT], f[REFERRER], f[VIOLATED], f[EFFECTIVE],
                f[POLICY], f[DISPOSITION], f[BLOCKED], f[LINE], f[COLUMN], f[SOURCE], f[STATUS], sample, null,
                owned(raw));
    }

    /** From a Reporting API report {@code {"type": "csp-violation", "body": {...}, ...}}: one pass per object. */
    static CspViolation fromReportingApi(Map<String, Object> report) {
        ArrayMap outer = owned(report);
        Object type = null;
        Object url = null;
        Object userAgent = null;
        ArrayMap body = ArrayMap.EMPTY;
        for (int i = 0; i < outer.size(); i++) {
            Object v = outer.valueAt(i);
            switch (outer.keyAt(i)) {
                case "type" -> type = v;
                case "url" -> url = v;
                case "user_agent" -> userAgent = v;
                case "body" -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = v instanceof Map<?, ?> b ? (Map<String, Object>) b : ArrayMap.EMPTY;
                    body = owned(m);
                }
                default -> {
                }
            }
        }
        Object[] f = new Object[REPORTING_FIELDS];
        boolean hasSample = false;
        for (int i = 0; i < body.size(); i++) {
            Object v = body.valueAt(i);
            switch (body.keyAt(i)) {
                case "documentURL" -> f[DOCUMENT] = v;
                case "document-uri" -> f[DOCUMENT_ALT] = v;
                case "referrer" -> f[REFERRER] = v;
                case "effectiveDirective" -> f[EFFECTIVE] = v;
                case "violated-directive" -> f[VIOLATED] = v;
                case "originalPolicy" -> f[POLICY] = v;
                case "disposition" -> f[DISPOSITION] = v;
                case "blockedURL" -> f[BLOCKED] = v;
                case "blocked-uri" -> f[BLOCKED_ALT] = v;
                case "lineNumber" -> f[LINE] = v;
                case "columnNumber" -> f[COLUMN] = v;
                case "sourceFile" -> f[SOURCE] = v;
                case "statusCode" -> f[STATUS] = v;
                case "user-agent" -> f[USER_AGENT_ALT] = v;
                case "sample" -> {
                    hasSample = true;
                    f[SAMPLE] = v;
                }
                default -> {
                }
            }
        }
        Object sample = escapedSample(f[SAMPLE]);
        Map<String, Object> raw = outer;
        if (hasSample && !java.util.Objects.equals(sample, f[SAMPLE])) {
            raw = outer.with("body", body.with("sample", sample));
        }
        return new CspViolation(false, type,
                orElse(f[DOCUMENT], f[DOCUMENT_ALT], url),
                f[REFERRER],
                orElse(f[EFFECTIVE], f[VIOLATED], null),
                f[EFFECTIVE],
                f[POLICY],
                f[DISPOSITION],
                orElse(f[BLOCKED], f[BLOCKED_ALT], null),
                f[LINE],
                f[COLUMN],
                f[SOURCE],
                f[STATUS],
                sample,
                orElse(userAgent, f[USER_AGENT_ALT], null),
                owned(raw));
    }

    // Slots of the members a report is read into.
    private static final int DOCUMENT = 0;
    private static final int REFERRER = 1;
    private static final int VIOLATED = 2;
    private static final int EFFECTIVE = 3;
    private static final int POLICY = 4;
    private static final int DISPOSITION = 5;
    private static final int BLOCKED = 6;
    private static final int LINE = 7;
    private static final int COLUMN = 8;
    private static final int SOURCE = 9;
    private static final int STATUS = 10;
    private static final int SAMPLE = 11;
    private static final int LEGACY_FIELDS = 12;
    private static final int DOCUMENT_ALT = 12;
    private static final int BLOCKED_ALT = 13;
    private static final int USER_AGENT_ALT = 14;
    private static final int REPORTING_FIELDS = 15;

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
