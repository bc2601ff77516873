package io.gatehouse.csp.sink;

import java.util.Objects;

/**
 * A sink's answer to {@link CspEventSink#offer}: the events were taken, or none was (back-pressure,
 * or a sink that is closed). Read it with {@code instanceof} patterns or {@link #isAccepted()}.
 */
public sealed interface Admission {

    /** The sink owns the events and will deliver them. */
    static Admission accepted() {
        return Accepted.INSTANCE;
    }

    /**
     * The sink took none of the events; {@code reason} says why, for the log (e.g. "queue full,
     * 10000 waiting"). It must not contain secrets or request data.
     */
    static Admission refused(String reason) {
        return new Refused(reason);
    }

    /** True for {@link Accepted}. */
    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /** The events were taken. */
    final class Accepted implements Admission {
        private static final Accepted INSTANCE = new Accepted();

        private Accepted() {
        }

        @Override
        public String toString() {
            return "Accepted";
        }
    }

    /**
     * None of the events was taken.
     *
     * @param reason why, for the log
     */
    record Refused(String reason) implements Admission {
        /** Checks the reason is present. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
