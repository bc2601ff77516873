package io.gatehouse.csp.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.gatehouse.internal.csp.ArrayMap;
import io.gatehouse.internal.csp.CspJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code $csp_violation} event, as PostHog's capture API takes it.
 *
 * @param token the project token the report came with ({@code api_key})
 * @param distinctId {@code distinct_id}
 * @param timestamp when the endpoint accepted the report (printed UTC, ending in {@code Z})
 * @param properties the event properties in PostHog's order (values are plain JSON types)
 */
public record CspEvent(String token, String distinctId, Instant timestamp, Map<String, Object> properties) {
    /** PostHog's event name. */
    public static final String EVENT = "$csp_violation";

    static final JsonFactory JSON = new JsonFactory();
    private static final SerializedString API_KEY = new SerializedString("api_key");
    private static final SerializedString EVENT_NAME = new SerializedString("event");
    private static final SerializedString EVENT_VALUE = new SerializedString(EVENT);
    private static final SerializedString DISTINCT_ID = new SerializedString("distinct_id");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString PROPERTIES = new SerializedString("properties");

    public CspEvent {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(distinctId, "distinctId");
        Objects.requireNonNull(timestamp, "timestamp");
        // The endpoint's own property maps are immutable already; anything else is copied.
        if (!ArrayMap.isOwned(properties)) {
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        }
    }

    /** The timestamp as sent: ISO-8601 UTC, e.g. {@code 2024-06-15T08:30:12.345Z}. */
    public String timestampText() {
        return isoInstant(timestamp);
    }

    /** The last second printed, shared: events arrive in bursts within one second. */
    private record SecondText(long epochSecond, String text) {
    }

    private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");

    /** {@link DateTimeFormatter#ISO_INSTANT}'s text, printing each second once and the milliseconds by hand. */
    static String isoInstant(Instant t) {
        int nanos = t.getNano();
        if (nanos % 1_000_000 != 0) {
            return DateTimeFormatter.ISO_INSTANT.format(t);
        }
        SecondText st = lastSecond;
        if (st.epochSecond() != t.getEpochSecond()) {
            String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(t.getEpochSecond()));
            st = new SecondText(t.getEpochSecond(), whole.substring(0, whole.length() - 1));
            lastSecond = st;
        }
        if (nanos == 0) {
            return st.text() + "Z";
        }
        int ms = nanos / 1_000_000;
        return st.text() + "." + (char) ('0' + ms / 100) + (char) ('0' + ms / 10 % 10) + (char) ('0' + ms % 10) + "Z";
    }

    /**
     * Writes the event object: {@code api_key} (when asked), {@code event}, {@code distinct_id},
     * {@code timestamp}, {@code properties}.
     */
    public void writeJson(JsonGenerator g, boolean withApiKey) throws IOException {
        g.writeStartObject();
        if (withApiKey) {
            g.writeFieldName(API_KEY);
            CspJson.write(g, token);
        }
        g.writeFieldName(EVENT_NAME);
        g.writeString(EVENT_VALUE);
        g.writeFieldName(DISTINCT_ID);
        CspJson.write(g, distinctId);
        g.writeFieldName(TIMESTAMP);
        g.writeString(timestampText());
        g.writeFieldName(PROPERTIES);
        CspJson.write(g, properties);
        g.writeEndObject();
    }

    /** The single-event capture shape, with {@code api_key}, as one line of JSON. */
    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            writeJson(g, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
