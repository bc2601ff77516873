package io.gatehouse.csp.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncSinkTest {

    @Test
    void deliversEverythingInOrderAndDrainsOnClose() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        AsyncSink sink = AsyncSink.of(CspEventSink.consuming(events -> {
            batchSizes.add(events.size());
            events.forEach(e -> seen.add(e.distinctId()));
        }), 10_000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            assertThat(sink.offer(List.of(SinksTest.event("t", i)))).isEqualTo(Admission.accepted());
            expected.add("d" + i);
        }
        sink.close();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 1000));
        assertThat(sink.offer(List.of(SinksTest.event("t", 0)))).isEqualTo(Admission.refused("the sink is closed"));
    }

    @Test
    void aFullQueueRefusesSoTheEndpointAnswers503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AsyncSink sink = AsyncSink.of(events -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Admission.accepted();
        }, 3);
        assertThat(sink.offer(List.of(SinksTest.event("t", 0))).isAccepted()).isTrue();
        // The worker holds event 0; wait until it has taken it from the queue.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.pending() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(sink.offer(List.of(SinksTest.event("t", 1), SinksTest.event("t", 2), SinksTest.event("t", 3)))
                .isAccepted()).isTrue();
        // The queue is full: the offer is refused and nothing more is queued.
        assertThat(sink.offer(List.of(SinksTest.event("t", 4)))).isInstanceOfSatisfying(Admission.Refused.class,
                r -> assertThat(r.reason()).contains("full"));
        assertThat(sink.pending()).isEqualTo(3);
        release.countDown();
        sink.close();
        assertThat(sink.pending()).isZero();
    }

    @Test
    void aFailingDelegateIsRetriedNotDropped() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        int[] failures = {2};
        AsyncSink sink = AsyncSink.of(events -> {
            if (failures[0]-- > 0) {
                // Once refused, once thrown: both are retried.
                if (failures[0] == 1) {
                    return Admission.refused("disk full");
                }
                throw new IllegalStateException("disk full");
            }
            events.forEach(e -> seen.add(e.distinctId()));
            return Admission.accepted();
        }, 100);
        CountingMetrics metrics = new CountingMetrics();
        sink.bindTo(metrics);
        assertThat(sink.offer(List.of(SinksTest.event("t", 1), SinksTest.event("t", 2))).isAccepted()).isTrue();
        sink.close();
        assertThat(seen).containsExactly("d1", "d2");
        assertThat(metrics.deliveryRetries()).isEqualTo(2);
    }

    @Test
    void bindingPassesToTheDelegateAndASecondEndpointIsRefused() {
        CountingMetrics metrics = new CountingMetrics();
        JsonLinesSink lines = JsonLinesSink.to(new java.io.StringWriter());
        AsyncSink sink = AsyncSink.of(lines, 10);
        sink.bindTo(metrics);
        sink.bindTo(metrics);
        assertThatThrownBy(() -> sink.bindTo(new CountingMetrics())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another endpoint");
        sink.offer(List.of(SinksTest.event("t", 1)));
        sink.close();
        assertThat(metrics.eventsDelivered()).isEqualTo(1);
    }

}
