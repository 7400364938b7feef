package dev.gatehouse.server;

import dev.gatehouse.protocol.AwsJson;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running stack in step with its template file: when the file changes, it is read and applied again (by
 * {@link Steps#reapply}), one re-apply at a time on a thread of its own, never on an event loop. A template that no
 * longer reads or applies changes nothing that runs: the last good stack keeps serving, the reason is logged as
 * {@code file:line: resource, property: reason} and shown by {@link #statusJson} ({@code GET /_gatehouse/stack}), and
 * the next save is tried again.
 *
 * <p>Two triggers. A {@link WatchService} on the template's directory re-applies a short while after the last event of
 * a save (editors write a file in several steps). And, as a function's code is checked on each invocation, the
 * listeners ask {@link #current} before each request: a {@code stat} of the template, compared with the one last
 * applied. A watcher's events arrive on a thread of their own, so without that check a request sent right after a save
 * could still meet the old stack; with it, the request waits for the re-apply ({@link #refresh}) and meets the new one.
 */
final class StackReloader implements StackGate, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StackReloader.class);
    /** How long the watcher waits after a template event for more of the same save. */
    static final Duration DEBOUNCE = Duration.ofMillis(150);

    /** Applies the template again. */
    interface Steps {
        /**
         * Reads and applies the template and serves the result. Throws (a template error, a stack error) having
         * changed nothing that runs.
         */
        void reapply();
    }

    /**
     * What the template file looked like: size, modification time and file key (an editor that saves by renaming a new
     * file over the old one changes the key even within one clock tick).
     */
    record Stamp(long size, FileTime modified, @Nullable Object fileKey) {
        static final Stamp MISSING = new Stamp(-1, FileTime.fromMillis(0), null);

        /** The stamp of {@code file} now (a {@code stat}); {@link #MISSING} when it cannot be read. */
        static Stamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Stamp(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            } catch (NoSuchFileException e) {
                return MISSING;
            } catch (IOException e) {
                return MISSING;
            }
        }
    }

    private final Path template;
    private final Steps steps;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    /** The stamp last scheduled (then applied, or failed) and its re-apply; written under {@code this}. */
    private volatile Stamp scheduled;

    private volatile CompletableFuture<Void> reapplied = CompletableFuture.completedFuture(null);
    private @Nullable ScheduledFuture<?> debounced;
    private volatile Status status;
    private @Nullable WatchService watchService;

    /** The outcome of the last apply. */
    private record Status(Instant appliedAt, @Nullable String error, @Nullable Instant failedAt) {}

    /**
     * @param template the template file, applied at start with this stamp
     * @param startStamp the stamp of the template as read for the start (taken before it was read)
     */
    StackReloader(Path template, Stamp startStamp, Steps steps, Clock clock) {
        this.template = Objects.requireNonNull(template, "template cannot be null");
        this.steps = Objects.requireNonNull(steps, "steps cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.scheduled = Objects.requireNonNull(startStamp, "startStamp cannot be null");
        this.status = new Status(clock.instant(), null, null);
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "gatehouse-stack-reload");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether the template is as last applied (or tried): one {@code stat}, no lock unless it changed. */
    @Override
    public boolean current() {
        return Stamp.of(template).equals(scheduled) && reapplied.isDone();
    }

    /**
     * Re-applies the template unless its current stamp was applied, or is being applied, already; completes when that
     * re-apply has finished, whatever its outcome (a failed one leaves the last good stack).
     */
    @Override
    public synchronized CompletionStage<Void> refresh() {
        Stamp now = Stamp.of(template);
        if (!now.equals(scheduled)) {
            scheduled = now;
            reapplied = CompletableFuture.runAsync(this::reapply, thread);
        }
        return reapplied;
    }

    private void reapply() {
        try {
            steps.reapply();
            status = new Status(clock.instant(), null, null);
            LOG.info("{} changed: the stack was applied again", template.getFileName());
        } catch (RuntimeException e) {
            Status last = status;
            status = new Status(last.appliedAt(), e.getMessage(), clock.instant());
            if (e instanceof StackException || e instanceof dev.gatehouse.stack.TemplateException) {
                LOG.error(
                        "{} changed but was not applied; the last good stack keeps running: {}",
                        template,
                        e.getMessage());
            } else {
                LOG.error("{} changed but was not applied; the last good stack keeps running", template, e);
            }
        }
    }

    /** Watches the template's directory; events for the template re-apply it after {@link #DEBOUNCE}. */
    void watch() {
        Path dir = Objects.requireNonNull(template.getParent(), "a template has a directory");
        try {
            WatchService service = dir.getFileSystem().newWatchService();
            dir.register(
                    service,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            watchService = service;
            Thread watcher = new Thread(() -> watchLoop(service), "gatehouse-template-watch");
            watcher.setDaemon(true);
            watcher.start();
        } catch (IOException e) {
            // Requests still check the template's stamp, so changes are applied all the same, only later.
            LOG.warn("cannot watch {} ({}): changes are applied when the next request arrives", dir, e.toString());
        }
    }

    private void watchLoop(WatchService service) {
        Path name = template.getFileName();
        try {
            while (true) {
                WatchKey key = service.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(event.context());
                }
                key.reset();
                if (ours) {
                    debounce();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            // closed: the server stops
        }
    }

    private synchronized void debounce() {
        if (debounced != null) {
            debounced.cancel(false);
        }
        debounced = thread.schedule(this::refresh, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The stack's status as {@code GET /_gatehouse/stack} answers it: {@code status} {@code applied} or
     * {@code failed} (the last good stack still runs), the template, when it was last applied, and when failed why.
     */
    String statusJson() {
        Status now = status;
        var json = AwsJson.mapper().createObjectNode();
        json.put("status", now.error() == null ? "applied" : "failed");
        json.put("template", template.toString());
        json.put("appliedAt", now.appliedAt().toString());
        if (now.error() != null) {
            json.put("error", now.error());
            json.put("failedAt", String.valueOf(now.failedAt()));
        }
        json.put("watching", watchService != null);
        return json.toString();
    }

    /** The status of a stack applied once, at start: {@code --no-watch}, or the built-in template. */
    static String unwatchedStatus(String template) {
        return AwsJson.mapper()
                .createObjectNode()
                .put("status", "applied")
                .put("template", template)
                .put("watching", false)
                .toString();
    }

    @Override
    public void close() {
        WatchService service = watchService;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                LOG.debug("closing the template watcher: {}", e.toString());
            }
        }
        thread.shutdownNow();
    }
}
