package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.protocol.AwsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the reloader applies the template again, and what it reports when that fails. */
class StackReloaderTests {

    @TempDir
    Path dir;

    private final AtomicInteger applies = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private StackReloader reloader;

    private Path template() {
        return dir.resolve("template.yaml");
    }

    private StackReloader start(String text) throws IOException {
        save(text, 1);
        reloader = new StackReloader(
                template(),
                StackReloader.Stamp.of(template()),
                () -> {
                    applies.incrementAndGet();
                    RuntimeException e = failure.get();
                    if (e != null) {
                        throw e;
                    }
                },
                clock);
        return reloader;
    }

    /** Saves the template with a modification time of its own, as a save a moment later has. */
    private void save(String text, long second) throws IOException {
        Files.writeString(template(), text);
        Files.setLastModifiedTime(template(), FileTime.fromMillis(second * 1000));
    }

    @AfterEach
    void close() {
        if (reloader != null) {
            reloader.close();
        }
    }

    @Test
    void currentWhenTemplateUnchangedThenTrueAndRefreshAppliesNothing() throws Exception {
        StackReloader stack = start("a: 1\n");

        assertThat(stack.current()).isTrue();
        stack.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(applies).hasValue(0);
    }

    @Test
    void currentWhenTemplateSavedThenFalseUntilOneRefreshAppliedIt() throws Exception {
        StackReloader stack = start("a: 1\n");
        save("a: 2\n", 2);

        assertThat(stack.current()).isFalse();
        var first = stack.refresh();
        var second = stack.refresh();
        first.toCompletableFuture().get(10, TimeUnit.SECONDS);
        second.toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(applies).hasValue(1);
        assertThat(stack.current()).isTrue();
        assertThat(AwsJson.mapper().readTree(stack.statusJson()).path("status").asText())
                .isEqualTo("applied");
    }

    @Test
    void refreshWhenApplyFailsThenStatusFailedWithTheReasonAndTheNextSaveIsTried() throws Exception {
        StackReloader stack = start("a: 1\n");
        failure.set(new StackException("template.yaml: resource Fn: no such handler"));
        save("a: [\n", 2);
        stack.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);

        var status = AwsJson.mapper().readTree(stack.statusJson());
        assertThat(status.path("status").asText()).isEqualTo("failed");
        assertThat(status.path("error").asText()).isEqualTo("template.yaml: resource Fn: no such handler");
        assertThat(stack.current()).isTrue(); // tried: not tried again until the next save

        failure.set(null);
        save("a: 3\n", 3);
        stack.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(applies).hasValue(2);
        assertThat(AwsJson.mapper().readTree(stack.statusJson()).path("status").asText())
                .isEqualTo("applied");
    }

    @Test
    void watchWhenTemplateSavedThenAppliedWithoutARequest() throws Exception {
        StackReloader stack = start("a: 1\n");
        stack.watch();

        save("a: 2\n", 2);

        // The watcher's events arrive on their own thread: bounded wait for its re-apply.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (applies.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(applies).hasValue(1);
    }
}
