package io.gatehouse.csp;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes each event as one line of JSON in PostHog's single-event capture shape
 * ({@code {"api_key":…,"event":"$csp_violation","distinct_id":…,"timestamp":…,"properties":{…}}}),
 * flushed after every call (one request's events, or one batch of an {@link AsyncSink}). Strings are
 * written as UTF-8, except that surrogates (paired or not) are written as {@code \\uXXXX} escapes.
 * Thread-safe.
 */
public final class JsonLinesSink implements CspEventSink {
    private static final SerializedString NEWLINE = new SerializedString("\n");

    private final Writer writer;
    private final OutputStream stream;
    private final boolean closeTarget;
    private final CspCounters counters;

    private JsonLinesSink(Writer writer, OutputStream stream, boolean closeTarget, CspCounters counters) {
        this.writer = writer;
        this.stream = stream;
        this.closeTarget = closeTarget;
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** Lines to {@code writer}; {@link #close()} flushes it but leaves it open. */
    public static JsonLinesSink to(Writer writer, CspCounters counters) {
        return new JsonLinesSink(Objects.requireNonNull(writer, "writer"), null, false, counters);
    }

    /** Lines to standard output (UTF-8). */
    public static JsonLinesSink stdout(CspCounters counters) {
        return new JsonLinesSink(null, System.out, false, counters);
    }

    /** Lines appended to {@code file} (created if missing, UTF-8); {@link #close()} closes it. */
    public static JsonLinesSink appendingTo(Path file, CspCounters counters) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        return new JsonLinesSink(null, out, true, counters);
    }

    /** Writes the events, one line each, with one generator for the whole list, then flushes. */
    @Override
    public synchronized void accept(List<CspEvent> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        try (JsonGenerator g = writer != null ? CspEvent.JSON.createGenerator(writer)
                : CspEvent.JSON.createGenerator(stream, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setRootValueSeparator(NEWLINE);
            for (CspEvent e : events) {
                e.writeJson(g, true);
            }
            g.writeRaw('\n');
        }
        if (writer != null) {
            writer.flush();
        } else {
            stream.flush();
        }
        counters.eventsDelivered.add(events.size());
    }

    @Override
    public synchronized void close() {
        try {
            if (writer != null) {
                writer.flush();
                if (closeTarget) {
                    writer.close();
                }
            } else {
                stream.flush();
                if (closeTarget) {
                    stream.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
