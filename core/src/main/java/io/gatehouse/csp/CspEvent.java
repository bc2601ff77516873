package io.gatehouse.csp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
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
        return DateTimeFormatter.ISO_INSTANT.format(timestamp);
    }

    /**
     * Writes the event object: {@code api_key} (when asked), {@code event}, {@code distinct_id},
     * {@code timestamp}, {@code properties}.
     */
    public void writeJson(JsonGenerator g, boolean withApiKey) throws IOException {
        g.writeStartObject();
        if (withApiKey) {
            g.writeStringField("api_key", token);
        }
        g.writeStringField("event", EVENT);
        g.writeStringField("distinct_id", distinctId);
        g.writeStringField("timestamp", timestampText());
        g.writeFieldName("properties");
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
