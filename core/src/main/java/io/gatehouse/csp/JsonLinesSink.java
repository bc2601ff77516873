package io.gatehouse.csp;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes each event as one line of JSON in PostHog's single-event capture shape
 * ({@code {"api_key":…,"event":"$csp_violation","distinct_id":…,"timestamp":…,"properties":{…}}}),
 * flushed after every request's events. Thread-safe.
 */
public final class JsonLinesSink implements CspEventSink {
    private final Writer out;
    private final boolean closeWriter;
    private final CspCounters counters;

    private JsonLinesSink(Writer out, boolean closeWriter, CspCounters counters) {
        this.out = out;
        this.closeWriter = closeWriter;
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** Lines to {@code writer}; {@link #close()} flushes it but leaves it open. */
    public static JsonLinesSink to(Writer writer, CspCounters counters) {
        return new JsonLinesSink(Objects.requireNonNull(writer, "writer"), false, counters);
    }

    /** Lines to standard output (UTF-8). */
    public static JsonLinesSink stdout(CspCounters counters) {
        return new JsonLinesSink(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false, counters);
    }

    /** Lines appended to {@code file} (created if missing, UTF-8); {@link #close()} closes it. */
    public static JsonLinesSink appendingTo(Path file, CspCounters counters) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
        return new JsonLinesSink(w, true, counters);
    }

    @Override
    public synchronized void accept(List<CspEvent> events) throws IOException {
        for (CspEvent e : events) {
            JsonGenerator g = CspEvent.JSON.createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            e.writeJson(g, true);
            g.flush();
            out.write('\n');
        }
        out.flush();
        counters.eventsDelivered.add(events.size());
    }

    @Override
    public synchronized void close() {
        try {
            out.flush();
            if (closeWriter) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
