package io.gatehouse.internal.csp;

import java.util.Map;

/**
 * One CSP violation, normalised from either report format into the fields of PostHog's
 * {@code $csp_violation} event. Values keep their JSON types (see {@code CspJson}); a missing field
 * is {@code null}, except {@link #scriptSample()}, which is {@code ""}. Where a field has more than
 * one source (a Reporting API report's {@code documentURL}, else {@code document-uri}, else the
 * report's {@code url}), the first source that is neither missing, null nor the empty string wins.
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

    /**
     * From a legacy body {@code outer = {"csp-report": r}}. The maps are the parser's, not yet seen
     * by anyone: the escaped sample replaces the raw one in place.
     */
    static CspViolation fromLegacy(ArrayMap outer, ArrayMap r) {
        Object sample = escapeSampleInPlace(r, MemberNames.SCRIPT_SAMPLE);
        return new CspViolation(true, "csp-violation",
                r.memberValue(MemberNames.DOCUMENT_URI),
                r.memberValue(MemberNames.REFERRER),
                r.memberValue(MemberNames.VIOLATED_DIRECTIVE),
                r.memberValue(MemberNames.EFFECTIVE_DIRECTIVE),
                r.memberValue(MemberNames.ORIGINAL_POLICY),
                r.memberValue(MemberNames.DISPOSITION),
                r.memberValue(MemberNames.BLOCKED_URI),
                r.memberValue(MemberNames.LINE_NUMBER),
                r.memberValue(MemberNames.COLUMN_NUMBER),
                r.memberValue(MemberNames.SOURCE_FILE),
                r.memberValue(MemberNames.STATUS_CODE),
                sample, null, outer);
    }

    /**
     * From a Reporting API report {@code {"type": "csp-violation", "body": {...}, ...}}. The maps are
     * the parser's, as for {@link #fromLegacy}.
     */
    static CspViolation fromReportingApi(ArrayMap outer) {
        ArrayMap body = outer.memberValue(MemberNames.BODY) instanceof ArrayMap b ? b : ArrayMap.EMPTY;
        Object sample = escapeSampleInPlace(body, MemberNames.SAMPLE);
        Object effective = body.memberValue(MemberNames.EFFECTIVE_DIRECTIVE_CAMEL);
        return new CspViolation(false,
                outer.memberValue(MemberNames.TYPE),
                orElse(body.memberValue(MemberNames.DOCUMENT_URL), body.memberValue(MemberNames.DOCUMENT_URI),
                        outer.memberValue(MemberNames.URL)),
                body.memberValue(MemberNames.REFERRER),
                orElse(effective, body.memberValue(MemberNames.VIOLATED_DIRECTIVE), null),
                effective,
                body.memberValue(MemberNames.ORIGINAL_POLICY_CAMEL),
                body.memberValue(MemberNames.DISPOSITION),
                orElse(body.memberValue(MemberNames.BLOCKED_URL), body.memberValue(MemberNames.BLOCKED_URI), null),
                body.memberValue(MemberNames.LINE_NUMBER_CAMEL),
                body.memberValue(MemberNames.COLUMN_NUMBER_CAMEL),
                body.memberValue(MemberNames.SOURCE_FILE_CAMEL),
                body.memberValue(MemberNames.STATUS_CODE_CAMEL),
                sample,
                orElse(outer.memberValue(MemberNames.USER_AGENT), body.memberValue(MemberNames.USER_AGENT_DASH), null),
                outer);
    }

    /**
     * The escaped sample of member {@code sampleId} ({@code ""} when missing), also put in the raw
     * report where the sample was (a null sample becomes {@code ""} there too).
     */
    private static Object escapeSampleInPlace(ArrayMap report, int sampleId) {
        int at = report.memberIndex(sampleId);
        Object raw = at < 0 ? null : report.valueAt(at);
        Object escaped = escapedSample(raw);
        if (at >= 0 && !java.util.Objects.equals(raw, escaped)) {
            report.replaceUnshared(at, escaped);
        }
        return escaped;
    }

    private static Object orElse(Object a, Object b, Object c) {
        if (isPresent(a)) {
            return a;
        }
        if (isPresent(b)) {
            return b;
        }
        return isPresent(c) ? c : null;
    }

    /** Neither missing, null nor the empty string ("else" falls through on those). */
    private static boolean isPresent(Object v) {
        return v != null && !(v instanceof String s && s.isEmpty());
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
    public CharSequence documentUrlText() {
        return documentUrl == null ? null : documentUrl instanceof String s ? s : String.valueOf(documentUrl);
    }
}
