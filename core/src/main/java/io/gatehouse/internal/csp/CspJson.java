package io.gatehouse.internal.csp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
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

    /**
     * Reads the value whose first token is current, sharing string values through {@code strings}
     * (may be null). One object builder per nesting level serves the whole read.
     */
    public static Object read(JsonParser p, StringCache strings) throws IOException {
        return read(p, strings, new ArrayMap.Builder[MAX_DEPTH + 1], 0);
    }

    /** The empty builder for an object at {@code depth}: this read's, else (beyond the array) a new one. */
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

    private static Object read(JsonParser p, StringCache strings, ArrayMap.Builder[] builders, int depth)
            throws IOException {
        // Token ids rather than the enum: a plain table switch.
        switch (p.currentTokenId()) {
            case JsonTokenId.ID_START_OBJECT: {
                ArrayMap.Builder m = builder(builders, depth);
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    p.nextToken();
                    m.put(name, read(p, strings, builders, depth + 1));
                }
                return m.build(strings == null ? null : strings.keyArrays);
            }
            case JsonTokenId.ID_START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p, strings, builders, depth + 1));
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
        write(g, v, null);
    }

    /**
     * Writes a value of the types {@link #read} produces (and other {@code Number}s), strings the
     * sink wrote before from {@code encoded}'s cached encodings (null: none).
     */
    public static void write(JsonGenerator g, Object v, EncodedStrings encoded) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            SerializableString e = encoded == null ? null : encoded.get(s);
            if (e != null) {
                g.writeString(e);
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
                writeFieldName(g, m.keyAt(i), encoded);
                write(g, m.valueAt(i), encoded);
            }
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                writeFieldName(g, String.valueOf(e.getKey()), encoded);
                write(g, e.getValue(), encoded);
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o, encoded);
            }
            g.writeEndArray();
        } else if (v instanceof Number n) {
            g.writeNumber(n.toString());
        } else {
            g.writeString(v.toString());
        }
    }

    private static void writeFieldName(JsonGenerator g, String name, EncodedStrings encoded) throws IOException {
        SerializableString e = encoded == null ? null : encoded.get(name);
        if (e != null) {
            g.writeFieldName(e);
        } else {
            g.writeFieldName(name);
        }
    }
}
