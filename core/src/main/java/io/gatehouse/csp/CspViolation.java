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

    /**
     * From a legacy body {@code outer = {"csp-report": r}}: one pass over the report's members. The
     * maps are the parser's, not yet seen by anyone: the escaped sample replaces the raw one in place.
     */
    static CspViolation fromLegacy(ArrayMap outer, ArrayMap r) {
        Object document = null;
        Object referrer = null;
        Object violated = null;
        Object effective = null;
        Object policy = null;
        Object disposition = null;
        Object blocked = null;
        Object line = null;
        Object column = null;
        Object source = null;
        Object status = null;
        Object rawSample = null;
        int sampleAt = -1;
        for (int i = 0; i < r.size(); i++) {
            Object v = r.valueAt(i);
            switch (r.memberId(i)) {
                case MemberNames.DOCUMENT_URI -> document = v;
                case MemberNames.REFERRER -> referrer = v;
                case MemberNames.VIOLATED_DIRECTIVE -> violated = v;
                case MemberNames.EFFECTIVE_DIRECTIVE -> effective = v;
                case MemberNames.ORIGINAL_POLICY -> policy = v;
                case MemberNames.DISPOSITION -> disposition = v;
                case MemberNames.BLOCKED_URI -> blocked = v;
                case MemberNames.LINE_NUMBER -> line = v;
                case MemberNames.COLUMN_NUMBER -> column = v;
                case MemberNames.SOURCE_FILE -> source = v;
                case MemberNames.STATUS_CODE -> status = v;
                case MemberNames.SCRIPT_SAMPLE -> {
                    sampleAt = i;
                    rawSample = v;
                }
                default -> {
                }
            }
        }
        Object sample = escapedSample(rawSample);
        replaceSample(r, sampleAt, rawSample, sample);
        return new CspViolation(true, "csp-violation", document, referrer, violated, effective,
                policy, disposition, blocked, line, column, source, status, sample, null, outer);
    }

    /**
     * From a Reporting API report {@code {"type": "csp-violation", "body": {...}, ...}}: one pass per
     * object. The maps are the parser's, as for {@link #fromLegacy}.
     */
    static CspViolation fromReportingApi(ArrayMap outer) {
        Object type = null;
        Object url = null;
        Object userAgent = null;
        ArrayMap body = ArrayMap.EMPTY;
        for (int i = 0; i < outer.size(); i++) {
            Object v = outer.valueAt(i);
            switch (outer.memberId(i)) {
                case MemberNames.TYPE -> type = v;
                case MemberNames.URL -> url = v;
                case MemberNames.USER_AGENT -> userAgent = v;
                case MemberNames.BODY -> body = v instanceof ArrayMap b ? b : ArrayMap.EMPTY;
                default -> {
                }
            }
        }
        Object document = null;
        Object referrer = null;
        Object violated = null;
        Object effective = null;
        Object policy = null;
        Object disposition = null;
        Object blocked = null;
        Object line = null;
        Object column = null;
        Object source = null;
        Object status = null;
        Object rawSample = null;
        Object documentAlt = null;
        Object blockedAlt = null;
        Object userAgentAlt = null;
        int sampleAt = -1;
        for (int i = 0; i < body.size(); i++) {
            Object v = body.valueAt(i);
            switch (body.memberId(i)) {
                case MemberNames.DOCUMENT_URL -> document = v;
                case MemberNames.DOCUMENT_URI -> documentAlt = v;
                case MemberNames.REFERRER -> referrer = v;
                case MemberNames.EFFECTIVE_DIRECTIVE_CAMEL -> effective = v;
                case MemberNames.VIOLATED_DIRECTIVE -> violated = v;
                case MemberNames.ORIGINAL_POLICY_CAMEL -> policy = v;
                case MemberNames.DISPOSITION -> disposition = v;
                case MemberNames.BLOCKED_URL -> blocked = v;
                case MemberNames.BLOCKED_URI -> blockedAlt = v;
                case MemberNames.LINE_NUMBER_CAMEL -> line = v;
                case MemberNames.COLUMN_NUMBER_CAMEL -> column = v;
                case MemberNames.SOURCE_FILE_CAMEL -> source = v;
                case MemberNames.STATUS_CODE_CAMEL -> status = v;
                case MemberNames.USER_AGENT_DASH -> userAgentAlt = v;
                case MemberNames.SAMPLE -> {
                    sampleAt = i;
                    rawSample = v;
                }
                default -> {
                }
            }
        }
        Object sample = escapedSample(rawSample);
        replaceSample(body, sampleAt, rawSample, sample);
        return new CspViolation(false, type,
                orElse(document, documentAlt, url),
                referrer,
                orElse(effective, violated, null),
                effective,
                policy,
                disposition,
                orElse(blocked, blockedAlt, null),
                line,
                column,
                source,
                status,
                sample,
                orElse(userAgent, userAgentAlt, null),
                outer);
    }

    /** Puts the escaped sample in the raw report, where the sample was (a null sample becomes {@code ""}). */
    private static void replaceSample(ArrayMap report, int at, Object raw, Object escaped) {
        if (at >= 0 && !java.util.Objects.equals(raw, escaped)) {
            report.replaceUnshared(at, escaped);
        }
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
        return sample instanceof String s ? ESCAPED.escape(s) : sample;
    }

    /** The last samples escaped: one inline script is reported again and again. */
    private static final EscapeCache ESCAPED = new EscapeCache();

    /**
     * A bounded table of (sample, escaped sample) pairs, so a repeated sample is escaped once.
     * Thread-safe: entries are immutable and a lost race only loses an entry.
     */
    static final class EscapeCache {
        private static final int BITS = 6;

        private record Entry(String raw, String escaped) {
        }

        private final Entry[] slots = new Entry[1 << BITS];

        String escape(String raw) {
            if (raw.isEmpty()) {
                return raw;
            }
            int slot = (raw.hashCode() * 0x9E3779B9) >>> (32 - BITS);
            Entry e = slots[slot];
            if (e != null && (e.raw == raw || e.raw.equals(raw))) {
                return e.escaped;
            }
            String escaped = htmlEscape(raw);
            if (escaped != raw) {
                slots[slot] = new Entry(raw, escaped);
            }
            return escaped;
        }
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
