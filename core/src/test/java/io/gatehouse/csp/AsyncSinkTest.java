package io.gatehouse.csp;

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
        AsyncSink sink = AsyncSink.of(events -> {
            batchSizes.add(events.size());
            events.forEach(e -> seen.add(e.distinctId()));
        }, 10_000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            sink.accept(List.of(SinksTest.event("t", i)));
            expected.add("d" + i);
        }
        sink.close();
        assertThat(seen).containsExactlyElementsOf(expected);
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 1000));
        assertThatThrownBy(() -> sink.accept(List.of(SinksTest.event("t", 0)))).hasMessageContaining("closed");
    }

    @Test
    void aFullQueueRefusesSoTheEndpointAnswers503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AsyncSink sink = AsyncSink.of(events -> release.await(10, TimeUnit.SECONDS), 3);
        sink.accept(List.of(SinksTest.event("t", 0)));
        // The worker holds event 0; wait until it has taken it from the queue.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.pending() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        sink.accept(List.of(SinksTest.event("t", 1), SinksTest.event("t", 2), SinksTest.event("t", 3)));
        assertThatThrownBy(() -> sink.accept(List.of(SinksTest.event("t", 4)))).hasMessageContaining("full");
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
                throw new IllegalStateException("disk full");
            }
            events.forEach(e -> seen.add(e.distinctId()));
        }, 100);
        sink.accept(List.of(SinksTest.event("t", 1), SinksTest.event("t", 2)));
        sink.close();
        assertThat(seen).containsExactly("d1", "d2");
    }
}
