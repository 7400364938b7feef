package dev.gatehouse.server;

import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool every blocking request runs on (password hashing, storage, mail): a fixed number of threads and a
 * fixed-size queue. When both are full a submission fails at once with {@code TooManyRequestsException}, as AWS
 * answers a throttled call; nothing ever waits in an unbounded queue, and the event loop never blocks on the pool.
 * Work that waited in the queue longer than {@link #DEFAULT_MAX_WAIT} is not run but fails the same way: under a flood
 * of slow requests (password hashing) callers get an answer in bounded time instead of a timeout, and no CPU is spent
 * on requests whose callers have likely given up.
 *
 * <p>Two lanes of that size: {@link Lane#PASSWORD} for the requests that may hash a password (each waits for one of the
 * process's few hashing slots, see {@code PasswordOperations}) and {@link Lane#GENERAL} for everything else, so that
 * sign-ins waiting for a hashing slot never hold the threads token reads need.
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);

    /** Which of the pool's two sets of threads runs a piece of work. */
    enum Lane {
        GENERAL,
        PASSWORD
    }

    private final ThreadPoolExecutor executor;
    private final ThreadPoolExecutor passwordExecutor;
    private final Duration maxWait;
    private final Clock clock;

    WorkerPool(String name, int threads, int queueCapacity) {
        this(name, threads, queueCapacity, DEFAULT_MAX_WAIT, Clock.systemUTC());
    }

    WorkerPool(String name, int threads, int queueCapacity, Duration maxWait, Clock clock) {
        this.maxWait = maxWait;
        this.clock = clock;
        if (threads < 1 || queueCapacity < 0) {
            throw new IllegalArgumentException("threads must be >= 1 and queueCapacity >= 0");
        }
        this.executor = executor(name, threads, queueCapacity);
        this.executor.prestartAllCoreThreads();
        // Started on first use: a server that never signs anyone in never pays for these threads.
        this.passwordExecutor = executor(name + "-password", threads, queueCapacity);
    }

    private static ThreadPoolExecutor executor(String name, int threads, int queueCapacity) {
        // A SynchronousQueue would be the zero-capacity case; ArrayBlockingQueue needs at least 1.
        java.util.concurrent.BlockingQueue<Runnable> queue = queueCapacity == 0
                ? new java.util.concurrent.SynchronousQueue<>()
                : new ArrayBlockingQueue<>(queueCapacity);
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                queue,
                threadFactory(name),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a worker. The future completes with its result or exception.
     *
     * @throws ServiceException {@code TooManyRequestsException} at once when every worker is busy and the queue is full,
     *     or when the pool is shutting down; the future fails with it when the work waited longer than the maximum wait
     */
    <T> CompletableFuture<T> submit(Supplier<T> work) {
        return submit(Lane.GENERAL, work);
    }

    /** As {@link #submit(Supplier)}, on the given lane's threads and queue. */
    <T> CompletableFuture<T> submit(Lane lane, Supplier<T> work) {
        ThreadPoolExecutor executor = lane == Lane.PASSWORD ? passwordExecutor : this.executor;
        CompletableFuture<T> result = new CompletableFuture<>();
        Instant deadline = clock.instant().plus(maxWait);
        try {
            executor.execute(() -> {
                if (clock.instant().isAfter(deadline)) {
                    result.completeExceptionally(new ServiceException(CommonErrors.tooManyRequests()));
                    return;
                }
                try {
                    result.complete(work.get());
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new ServiceException(CommonErrors.tooManyRequests());
        }
        return result;
    }

    /** Work queued or running now. */
    int pending() {
        return executor.getQueue().size()
                + executor.getActiveCount()
                + passwordExecutor.getQueue().size()
                + passwordExecutor.getActiveCount();
    }

    /** Stops taking work, lets queued and running work finish for up to {@code grace}, then interrupts what is left. */
    void shutdown(Duration grace) {
        executor.shutdown();
        passwordExecutor.shutdown();
        long deadline = System.nanoTime() + grace.toNanos();
        awaitOrInterrupt(executor, grace);
        awaitOrInterrupt(passwordExecutor, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    private static void awaitOrInterrupt(ThreadPoolExecutor executor, Duration grace) {
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "worker pool did not finish within {}; interrupting {} tasks",
                        grace,
                        executor.shutdownNow().size());
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    private static ThreadFactory threadFactory(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
