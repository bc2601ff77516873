package io.gatehouse.csp.sink;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.gatehouse.internal.csp.EncodedStrings;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
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
 * The write happens on the caller's thread: wrap it in an {@link AsyncSink} so that request threads
 * only queue. A write that fails (a full disk) refuses the events, so the browser sends them again.
 * Thread-safe.
 */
public final class JsonLinesSink implements CspEventSink {
    private static final SerializedString NEWLINE = new SerializedString("\n");
    private static final JsonFactory JSON = new JsonFactory();
    /** This sink's cached encodings of the strings events repeat. */
    private final EncodedStrings encoded = new EncodedStrings();

    /** A {@link Writer}, or an {@link OutputStream} written as UTF-8 bytes. */
    private final Closeable target;
    private final boolean closeTarget;
    private final MetricsBinding metrics = new MetricsBinding();

    private JsonLinesSink(Closeable target, boolean closeTarget) {
        this.target = target;
        this.closeTarget = closeTarget;
    }

    /** Lines to {@code writer}; {@link #close()} flushes it but leaves it open. */
    public static JsonLinesSink to(Writer writer) {
        return new JsonLinesSink(Objects.requireNonNull(writer, "writer"), false);
    }

    /** Lines to standard output (UTF-8). */
    public static JsonLinesSink stdout() {
        return new JsonLinesSink(System.out, false);
    }

    /** Lines appended to {@code file} (created if missing, UTF-8); {@link #close()} closes it. */
    public static JsonLinesSink appendingTo(Path file) throws IOException {
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        return new JsonLinesSink(out, true);
    }

    /**
     * Writes the events, one line each, with one generator for the whole list, then flushes; refuses
     * them when the write fails.
     */
    @Override
    public synchronized Admission offer(List<CspEvent> events) {
        try {
            write(events);
        } catch (IOException | UncheckedIOException e) {
            return Admission.refused("writing the events failed: " + e.getClass().getSimpleName());
        }
        metrics.get().delivered(events.size());
        return Admission.accepted();
    }

    @Override
    public void bindTo(SinkMetrics m) {
        metrics.bind(m, this);
    }

    private void write(List<CspEvent> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        try (JsonGenerator g = target instanceof Writer w ? JSON.createGenerator(w)
                : JSON.createGenerator((OutputStream) target, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setRootValueSeparator(NEWLINE);
            for (CspEvent e : events) {
                e.writeJson(g, true, encoded);
            }
            g.writeRaw('\n');
        }
        ((Flushable) target).flush();
    }

    @Override
    public synchronized void close() {
        try {
            ((Flushable) target).flush();
            if (closeTarget) {
                target.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
