package io.gatehouse.internal.csp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.base.ParserBase;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * JSON values as plain Java types, read and written with jackson-core's streaming API: objects are
 * immutable {@code Map<String, Object>} (insertion-ordered; a repeated key keeps its first place and last
 * value), arrays {@code List<Object>}, strings, {@code Boolean}, {@code Long}/{@code BigInteger}
 * for integers, {@code Double} (or {@code BigDecimal} beyond double range) for the rest, and
 * {@code null}.
 */
public final class CspJson {
    /** Deepest nesting accepted in a report body. */
    static final int MAX_DEPTH = 32;
    /** Longest number accepted, in characters. */
    static final int MAX_NUMBER_LENGTH = 1000;

    private CspJson() {
    }

    /** A factory whose parsers reject deeper, longer or larger input than a report body may hold. */
    public static JsonFactory factory(int maxBodyBytes) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(Math.max(maxBodyBytes, 1))
                        .maxNameLength(Math.max(maxBodyBytes, 1))
                        .maxDocumentLength(Math.max(maxBodyBytes, 1))
                        .build())
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .build();
    }

    /** Reads the value whose first token is current. */
    public static Object read(JsonParser p) throws IOException {
        return read(p, null);
    }

    /** One object builder per nesting level, kept per thread: objects are built without growing arrays. */
    private static final ThreadLocal<ArrayMap.Builder[]> BUILDERS =
            ThreadLocal.withInitial(() -> new ArrayMap.Builder[MAX_DEPTH + 1]);

    /** Reads the value whose first token is current, sharing string values through {@code strings} (may be null). */
    static Object read(JsonParser p, StringCache strings) throws IOException {
        return read(p, strings, null, 0);
    }

    /**
     * Reads the value whose first token is current, sharing string values through {@code strings},
     * from a parser over {@code source[0, sourceLength)} (null when unknown): a string member where
     * the last object of the same shape had a plain ASCII string is compared with that string in the
     * raw input, and when equal is not decoded at all (Jackson still checks it as it skips it).
     */
    public static Object read(JsonParser p, StringCache strings, byte[] source, int sourceLength) throws IOException {
        ArrayMap.Builder[] builders = BUILDERS.get();
        Raw raw = strings != null && source != null && p instanceof ParserBase pb ? new Raw(pb, source, sourceLength) : null;
        try {
            return read(p, strings, builders, 0, raw);
        } catch (IOException | RuntimeException e) {
            // A read that failed part-way (a syntax error) leaves members behind: drop them now.
            for (ArrayMap.Builder b : builders) {
                if (b != null) {
                    b.clear();
                }
            }
            throw e;
        }
    }

    /** The empty builder for an object at {@code depth}: the pooled one, else (beyond the pool) a new one. */
    private static ArrayMap.Builder builder(ArrayMap.Builder[] builders, int depth) {
        if (depth >= builders.length) {
            return new ArrayMap.Builder();
        }
        ArrayMap.Builder b = builders[depth];
        if (b == null) {
            b = new ArrayMap.Builder();
            builders[depth] = b;
        }
        return b;
    }

    /** A parser and the bytes it reads. */
    private record Raw(ParserBase parser, byte[] bytes, int length) {
        /**
         * Whether the current string token is exactly {@code ascii}: Jackson puts a string token's
         * offset on its first content byte (CspJsonRawTest pins this), so the bytes there must be a
         * quote, {@code ascii} and a quote; ascii holds neither quotes nor backslashes, so that
         * quote ends the token. Any other offset fails the check and the token is decoded.
         */
        boolean currentStringIs(byte[] ascii) {
            long offset = parser.getTokenCharacterOffset();
            int n = ascii.length;
            if (offset < 1 || offset + n >= length) {
                return false;
            }
            int at = (int) offset;
            return bytes[at - 1] == '"' && bytes[at + n] == '"' && Arrays.equals(bytes, at, at + n, ascii, 0, n);
        }
    }

    /** The string member at expected position {@code at} of {@code m}: the last one's when the input says so. */
    private static String expectedString(JsonParser p, StringCache strings, Raw raw, ArrayMap.Builder m, int at)
            throws IOException {
        StringCache.Entry hint = m.hint(at);
        if (hint != null && hint.plainAscii() != null && raw.currentStringIs(hint.plainAscii())) {
            return hint.value();
        }
        String s = strings.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        m.hint(at, strings.entryOf(s));
        return s;
    }

    private static Object read(JsonParser p, StringCache strings, ArrayMap.Builder[] builders, int depth, Raw raw)
            throws IOException {
        // Token ids rather than the enum: a plain table switch.
        switch (p.currentTokenId()) {
            case JsonTokenId.ID_START_OBJECT: {
                ArrayMap.Builder m = builder(builders, depth);
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    int at = raw == null ? -1 : m.expectedPosition(name);
                    if (p.nextToken() == JsonToken.VALUE_STRING && at >= 0) {
                        m.put(name, expectedString(p, strings, raw, m, at));
                    } else {
                        m.put(name, read(p, strings, builders, depth + 1, raw));
                    }
                }
                return m.build();
            }
            case JsonTokenId.ID_START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, strings, builders, depth + 1, raw));
                }
                return l;
            }
            case JsonTokenId.ID_STRING:
                return strings == null ? p.getText()
                        : strings.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case JsonTokenId.ID_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT, LONG -> p.getLongValue();
                    default -> p.getBigIntegerValue();
                };
            case JsonTokenId.ID_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                return Double.isFinite(d) ? (Object) d : p.getDecimalValue();
            }
            case JsonTokenId.ID_TRUE:
                return Boolean.TRUE;
            case JsonTokenId.ID_FALSE:
                return Boolean.FALSE;
            case JsonTokenId.ID_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + p.currentToken());
        }
    }

    /** Writes a value of the types {@link #read} produces (and other {@code Number}s). */
    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            SerializableString encoded = EncodedStrings.get(s);
            if (encoded != null) {
                g.writeString(encoded);
            } else {
                g.writeString(s);
            }
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof ArrayMap m) {
            g.writeStartObject();
            for (int i = 0; i < m.size(); i++) {
                writeFieldName(g, m.keyAt(i));
                write(g, m.valueAt(i));
            }
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                writeFieldName(g, String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else {
            g.writeString(v.toString());
        }
    }

    /** A member name, from its cached encoding when it is one of the shared instances. */
    static void writeFieldName(JsonGenerator g, String name) throws IOException {
        SerializableString encoded = EncodedStrings.get(name);
        if (encoded != null) {
            g.writeFieldName(encoded);
        } else {
            g.writeFieldName(name);
        }
    }
}
