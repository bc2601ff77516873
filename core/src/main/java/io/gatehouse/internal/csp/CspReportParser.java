package io.gatehouse.internal.csp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses a report body into CSP violation reports, checking in the order that decides which error
 * a bad body gets: JSON syntax (the whole body), then shape, then the report count. The shapes a body may take depend on its
 * media type ({@link Format}); only {@code csp-violation} reports count against the report limit.
 */
public final class CspReportParser {

    /** The body's media type, which decides the shapes it may take. */
    public enum Format {
        /**
         * {@code application/csp-report}: one object, either a legacy {@code {"csp-report": {...}}}
         * body or a single Reporting API {@code csp-violation} report (Safari sends this). A list
         * is the wrong shape.
         */
        CSP_REPORT,
        /**
         * {@code application/reports+json}: a list of Reporting API reports, or one report object;
         * reports of other types are counted and ignored. A legacy {@code {"csp-report": ...}} body
         * is the wrong shape: an object is judged by its {@code type} alone.
         */
        REPORTS_JSON
    }

    /** The outcome. */
    public sealed interface Result permits Parsed, Rejected {
    }

    /**
     * The reports: legacy {@code csp-report} objects and Reporting API {@code csp-violation} reports.
     *
     * @param ignored Reporting API reports of other types
     * @param total every report in the body
     */
    public record Parsed(List<CspViolation> violations, int ignored, int total) implements Result {
    }

    /** A rejected body. */
    public record Rejected(CspRejection reason) implements Result {
    }

    /** What an entry of a list is, as far as the shape and the count go. */
    private enum Kind {
        VIOLATION, VIOLATION_WITH_BAD_BODY, OTHER
    }

    private CspReportParser() {
    }

    /**
     * Parses {@code body[0, length)} as a body of media type {@code format}. Never throws.
     *
     * @param maxReports the most {@code csp-violation} reports accepted; more answer
     *     {@link CspRejection#TOO_LARGE} (reports of other types do not count)
     */
    public static Result parse(JsonFactory factory, StringCache strings, byte[] body, int length, Format format,
                        int maxReports) {
        if (length == 0) {
            return new Rejected(CspRejection.INVALID_FORMAT);
        }
        CspRejection shape = null;
        List<CspViolation> violations = null;
        int ignored = 0;
        int total = 0;
        // csp-violation reports seen, events or not: the count the limit applies to.
        int counted = 0;
        try (JsonParser p = factory.createParser(body, 0, length)) {
            JsonToken t = p.nextToken();
            // One report in an object body; a batch's count is known only at its end.
            violations = new ArrayList<>(t == JsonToken.START_OBJECT ? 1 : 10);
            if (t == JsonToken.START_OBJECT) {
                ArrayMap m = (ArrayMap) CspJson.read(p, strings);
                total = 1;
                counted = 1;
                shape = format == Format.CSP_REPORT ? addCspReportObject(m, violations) : addReportsJsonObject(m, violations);
            } else if (t == JsonToken.START_ARRAY && format == Format.CSP_REPORT) {
                // application/csp-report carries one report, never a list; still read to the end so a syntax error wins.
                shape = CspRejection.INVALID_PROPERTIES;
                p.skipChildren();
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
                    if (shape != null) {
                        p.skipChildren();
                        continue;
                    }
                    if (counted >= maxReports) {
                        // No more events can come of this body: only a report's kind still matters,
                        // found without building it.
                        Kind kind = scan(p);
                        if (kind == Kind.OTHER) {
                            ignored++;
                        } else {
                            counted++;
                            if (kind == Kind.VIOLATION_WITH_BAD_BODY) {
                                shape = CspRejection.INVALID_PROPERTIES;
                            }
                        }
                        continue;
                    }
                    ArrayMap m = (ArrayMap) CspJson.read(p, strings);
                    if (isCspViolation(m)) {
                        counted++;
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
        if (counted > maxReports) {
            return new Rejected(CspRejection.TOO_LARGE);
        }
        return new Parsed(violations, ignored, total);
    }

    /** An {@code application/csp-report} object: a legacy body, else a single {@code csp-violation} report. */
    private static CspRejection addCspReportObject(ArrayMap m, List<CspViolation> out) {
        if (m.containsKey("csp-report")) {
            if (m.get("csp-report") instanceof ArrayMap report) {
                out.add(CspViolation.fromLegacy(m, report));
                return null;
            }
            return CspRejection.INVALID_PAYLOAD;
        }
        return isCspViolation(m) ? addReportingApi(m, out) : CspRejection.INVALID_PROPERTIES;
    }

    /** An {@code application/reports+json} object: a single {@code csp-violation} report, judged by its type alone. */
    private static CspRejection addReportsJsonObject(ArrayMap m, List<CspViolation> out) {
        return isCspViolation(m) ? addReportingApi(m, out) : CspRejection.INVALID_PROPERTIES;
    }

    /**
     * Reads the object whose {@code START_OBJECT} is current to its end, keeping only what
     * {@link #isCspViolation} and {@link #addReportingApi} would decide on: the last {@code type}
     * and the last {@code body} member (a repeated name keeps its last value, as {@link CspJson}
     * reads it). Nested values are skipped, not built.
     */
    private static Kind scan(JsonParser p) throws IOException {
        boolean violation = false;
        boolean badBody = false;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken v = p.nextToken();
            int id = MemberNames.id(name);
            if (id == MemberNames.TYPE) {
                violation = v == JsonToken.VALUE_STRING && isCspViolationText(p);
            } else if (id == MemberNames.BODY) {
                badBody = v != JsonToken.START_OBJECT && v != JsonToken.VALUE_NULL;
            }
            p.skipChildren();
        }
        return !violation ? Kind.OTHER : badBody ? Kind.VIOLATION_WITH_BAD_BODY : Kind.VIOLATION;
    }

    private static final char[] CSP_VIOLATION = "csp-violation".toCharArray();

    /** Whether the current string token is {@code csp-violation}, compared without making a String. */
    private static boolean isCspViolationText(JsonParser p) throws IOException {
        if (p.getTextLength() != CSP_VIOLATION.length) {
            return false;
        }
        int off = p.getTextOffset();
        return Arrays.equals(p.getTextCharacters(), off, off + CSP_VIOLATION.length, CSP_VIOLATION, 0, CSP_VIOLATION.length);
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
