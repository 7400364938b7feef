package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerPoolTests {

    private final WorkerPool pool = new WorkerPool("test-worker", 1, 1);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        pool.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void submitWhenWorkerFreeThenResult() throws Exception {
        assertThat(pool.submit(() -> "done").get(5, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void submitWhenWorkersBusyAndQueueFullThenTooManyRequestsAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> running = pool.submit(() -> {
            started.countDown();
            await(release);
            return "first";
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> queued = pool.submit(() -> "second");

        assertThatThrownBy(() -> pool.submit(() -> "third"))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.error().code()).isEqualTo(CommonErrors.TOO_MANY_REQUESTS));

        release.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("second");
    }

    @Test
    void submitWhenWorkWaitedLongerThanMaxWaitThenTooManyRequestsWithoutRunningIt() throws Exception {
        MutableClock clock = new MutableClock();
        WorkerPool slow = new WorkerPool("test-wait", 1, 1, Duration.ofSeconds(10), clock);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            slow.submit(() -> {
                started.countDown();
                await(go);
                return "first";
            });
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> queued = slow.submit(() -> {
                ran.set(true);
                return "stale";
            });
            clock.advance(Duration.ofSeconds(11));
            go.countDown();

            assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(
                            ServiceException.class,
                            e -> assertThat(e.error().code()).isEqualTo(CommonErrors.TOO_MANY_REQUESTS));
            assertThat(ran).isFalse();
        } finally {
            go.countDown();
            slow.shutdown(Duration.ofSeconds(5));
        }
    }

    private static final class MutableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void submitWhenWorkFailsThenFutureFailsWithTheException() {
        CompletableFuture<String> future = pool.submit(() -> {
            throw new IllegalStateException("boom");
        });

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void submitWhenShutDownThenTooManyRequests() {
        pool.shutdown(Duration.ofSeconds(1));

        assertThatThrownBy(() -> pool.submit(() -> "late")).isInstanceOf(ServiceException.class);
    }

    @Test
    void shutdownWhenWorkQueuedThenQueuedWorkFinishes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        pool.submit(() -> {
            started.countDown();
            await(release);
            return 1;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> queued = pool.submit(() -> 2);

        Thread releaser = new Thread(release::countDown);
        releaser.start();
        pool.shutdown(Duration.ofSeconds(5));

        assertThat(queued).isCompletedWithValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
