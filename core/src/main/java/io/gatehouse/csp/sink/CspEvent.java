package io.gatehouse.csp.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.gatehouse.internal.csp.ArrayMap;
import io.gatehouse.internal.csp.CspJson;
import io.gatehouse.internal.csp.EncodedStrings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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

    /**
     * {@link DateTimeFormatter#ISO_INSTANT}'s text, printed by hand for whole milliseconds in years
     * 0-9999 (the formatter costs about a microsecond and a kilobyte per event), else by it.
     */
    static String isoInstant(Instant t) {
        int nanos = t.getNano();
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        // Howard Hinnant's civil_from_days.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (nanos % 1_000_000 != 0 || year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(t);
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        char[] c = new char[nanos == 0 ? 20 : 24];
        digits(c, 0, (int) year, 4);
        c[4] = '-';
        digits(c, 5, month, 2);
        c[7] = '-';
        digits(c, 8, day, 2);
        c[10] = 'T';
        digits(c, 11, secondOfDay / 3600, 2);
        c[13] = ':';
        digits(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, secondOfDay % 60, 2);
        if (nanos != 0) {
            c[19] = '.';
            digits(c, 20, nanos / 1_000_000, 3);
        }
        c[c.length - 1] = 'Z';
        return new String(c);
    }

    private static void digits(char[] c, int at, int v, int n) {
        for (int i = at + n - 1; i >= at; i--) {
            c[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /**
     * Writes the event object: {@code api_key} (when asked), {@code event}, {@code distinct_id},
     * {@code timestamp}, {@code properties}.
     */
    public void writeJson(JsonGenerator g, boolean withApiKey) throws IOException {
        writeJson(g, withApiKey, null);
    }

    /** As {@link #writeJson(JsonGenerator, boolean)}, repeated strings from the sink's {@code encoded} (null: none). */
    void writeJson(JsonGenerator g, boolean withApiKey, @Nullable EncodedStrings encoded) throws IOException {
        g.writeStartObject();
        if (withApiKey) {
            g.writeFieldName(API_KEY);
            CspJson.write(g, token, encoded);
        }
        g.writeFieldName(EVENT_NAME);
        g.writeString(EVENT_VALUE);
        g.writeFieldName(DISTINCT_ID);
        CspJson.write(g, distinctId, encoded);
        g.writeFieldName(TIMESTAMP);
        g.writeString(timestampText());
        g.writeFieldName(PROPERTIES);
        CspJson.write(g, properties, encoded);
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
