package io.gatehouse.csp.sink;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The hand-made timestamp text against {@code DateTimeFormatter.ISO_INSTANT}. */
class CspEventProperties {

    @Property(tries = 3000)
    void timestampTextIsIsoInstant(@ForAll @LongRange(min = -70_000_000_000L, max = 300_000_000_000L) long second,
                                   @ForAll @IntRange(min = 0, max = 999) int millis,
                                   @ForAll @IntRange(min = 0, max = 3) int kind) {
        // Whole seconds, milliseconds, and sub-millisecond instants (the fallback).
        int nanos = switch (kind) {
            case 0 -> 0;
            case 1, 2 -> millis * 1_000_000;
            default -> millis * 1_000_000 + 1 + millis;
        };
        Instant t = Instant.ofEpochSecond(second, nanos);
        String expected = DateTimeFormatter.ISO_INSTANT.format(t);
        // Twice: once printing the second, once from the shared text.
        if (!CspEvent.isoInstant(t).equals(expected) || !CspEvent.isoInstant(t).equals(expected)) {
            throw new AssertionError(CspEvent.isoInstant(t) + " != " + expected);
        }
    }
}
