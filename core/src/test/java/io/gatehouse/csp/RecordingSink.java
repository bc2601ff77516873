package io.gatehouse.csp;

import io.gatehouse.csp.sink.Admission;
import io.gatehouse.csp.sink.CspEvent;
import io.gatehouse.csp.sink.CspEventSink;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what it is given, for tests. */
final class RecordingSink implements CspEventSink {
    final List<CspEvent> events = new ArrayList<>();
    final List<List<CspEvent>> batches = new ArrayList<>();

    @Override
    public synchronized Admission offer(List<CspEvent> batch) {
        batches.add(List.copyOf(batch));
        events.addAll(batch);
        return Admission.accepted();
    }
}
