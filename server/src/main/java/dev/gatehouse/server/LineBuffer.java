package dev.gatehouse.server;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Log lines on their way to a stream, kept in the order they came. A line may be <em>deferred</em>: held in memory and
 * written together with the lines after it, at the latest {@code delay} after the first line held (one {@code write}
 * for many lines instead of one each). Any other line is written at once, after every line held before it. After
 * {@link #writeAtOnceFromNowOn} (shutdown) every line is written at once.
 *
 * <p>The lines held are written by a daemon thread started with the first deferred line; between writes it waits
 * without a timer, so an idle server does not wake for its log.
 */
final class LineBuffer {

    private final Supplier<PrintStream> target;
    private final long delayMillis;
    private final byte[] held;
    private int length;
    private boolean writeScheduled;
    private boolean atOnce;
    private @Nullable Thread writer;

    /** Lines go to the stream {@code target} returns at each write (so {@code System::err} follows a changed stderr). */
    LineBuffer(Supplier<PrintStream> target, Duration delay, int capacity) {
        this.target = Objects.requireNonNull(target, "target cannot be null");
        this.delayMillis = delay.toMillis();
        if (delayMillis < 1 || capacity < 1) {
            throw new IllegalArgumentException("delay and capacity must be positive");
        }
        this.held = new byte[capacity];
    }

    /** Writes {@code line} at once, after the lines held before it. */
    synchronized void write(byte[] line) {
        writeHeld();
        target.get().write(line, 0, line.length);
    }

    /** Holds {@code line} to be written within the delay (at once after {@link #writeAtOnceFromNowOn}). */
    synchronized void defer(byte[] line) {
        if (atOnce) {
            write(line);
            return;
        }
        if (length + line.length > held.length) {
            writeHeld();
            if (line.length > held.length) {
                target.get().write(line, 0, line.length);
                return;
            }
        }
        System.arraycopy(line, 0, held, length, line.length);
        length += line.length;
        scheduleWrite();
    }

    /** Writes what is held, and from now on every line at once (for the JVM's shutdown). */
    synchronized void writeAtOnceFromNowOn() {
        atOnce = true;
        writeHeld();
    }

    /** Writes what is held now. */
    synchronized void writeHeld() {
        if (length > 0) {
            target.get().write(held, 0, length);
            length = 0;
        }
    }

    private void scheduleWrite() {
        if (writeScheduled) {
            return;
        }
        writeScheduled = true;
        Thread current = writer;
        if (current == null) {
            Thread started = new Thread(this::writeLoop, "log-writer");
            started.setDaemon(true);
            writer = started;
            started.start();
        } else {
            notifyAll();
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                awaitScheduled();
                Thread.sleep(delayMillis);
                synchronized (this) {
                    writeHeld();
                    writeScheduled = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writeHeld();
        }
    }

    private synchronized void awaitScheduled() throws InterruptedException {
        while (!writeScheduled) {
            wait();
        }
    }
}
