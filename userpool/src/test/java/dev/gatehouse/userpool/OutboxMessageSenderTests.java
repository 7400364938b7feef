package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.store.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxMessageSenderTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final List<String> notices = new CopyOnWriteArrayList<>();

    @TempDir
    Path dataDir;

    private static OutgoingMessage message(String username, String code) {
        return new OutgoingMessage(
                "SIGN_UP",
                "us-east-1_TestPool1",
                username,
                username + "@example.com",
                "Your verification code",
                "Your verification code is " + code + ".",
                code);
    }

    private OutboxMessageSender outbox() {
        return new OutboxMessageSender(
                dataDir.resolve("sub").resolve(OutboxMessageSender.FILE_NAME), clock, notices::add);
    }

    @Test
    void sendWhenMessageThenAppendsOneJsonLineWithEveryField() throws Exception {
        OutboxMessageSender outbox = outbox();

        outbox.send(message("alice", "493817"));
        clock.advance(java.time.Duration.ofSeconds(5));
        outbox.send(message("bob", "000123"));

        List<String> lines = Files.readAllLines(outbox.file(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("time").asText()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(first.path("purpose").asText()).isEqualTo("SIGN_UP");
        assertThat(first.path("userPoolId").asText()).isEqualTo("us-east-1_TestPool1");
        assertThat(first.path("username").asText()).isEqualTo("alice");
        assertThat(first.path("destination").asText()).isEqualTo("alice@example.com");
        assertThat(first.path("subject").asText()).isEqualTo("Your verification code");
        assertThat(first.path("body").asText()).isEqualTo("Your verification code is 493817.");
        assertThat(first.path("code").asText()).isEqualTo("493817");
        assertThat(JSON.readTree(lines.get(1)).path("time").asText()).isEqualTo("2026-01-01T12:00:05Z");
        assertThat(JSON.readTree(lines.get(1)).path("code").asText()).isEqualTo("000123");
    }

    @Test
    void sendWhenFileIsCreatedThenOnlyItsOwnerMayReadIt() throws Exception {
        assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        OutboxMessageSender outbox = outbox();

        outbox.send(message("alice", "493817"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(outbox.file())))
                .isEqualTo("rw-------");
    }

    @Test
    void sendWhenNoticedThenLogLineMasksTheAddressAndNamesTheCode() {
        outbox().send(message("alice", "493817"));

        assertThat(notices).singleElement().satisfies(line -> assertThat(line)
                .contains("a***@e***", "493817", "SIGN_UP", OutboxMessageSender.FILE_NAME)
                .doesNotContain("alice@example.com"));
    }

    @Test
    void sendWhenTemporaryPasswordThenLogLineOmitsItAndOutboxKeepsIt() throws Exception {
        OutboxMessageSender outbox = outbox();
        outbox.send(new OutgoingMessage(
                "ADMIN_CREATE_USER",
                "us-east-1_TestPool1",
                "bob",
                "bob@example.com",
                "Your temporary password",
                "Your username is bob and temporary password is Tmp!Pass42.",
                "Tmp!Pass42"));

        assertThat(notices).singleElement().satisfies(line -> assertThat(line)
                .contains("ADMIN_CREATE_USER", OutboxMessageSender.FILE_NAME)
                .doesNotContain("Tmp!Pass42"));
        assertThat(Files.readString(outbox.file())).contains("Tmp!Pass42");
    }

    @Test
    void sendWhenManyThreadsThenEveryLineIsWholeAndPresent() throws Exception {
        OutboxMessageSender outbox = outbox();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        outbox.send(message("user" + thread, String.format("%06d", thread * 1000 + i)));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> lines = Files.readAllLines(outbox.file(), StandardCharsets.UTF_8);
        Set<String> codes = new HashSet<>();
        for (String line : lines) {
            codes.add(JSON.readTree(line).path("code").asText());
        }
        assertThat(lines).hasSize(400);
        assertThat(codes).hasSize(400);
    }

    @Test
    void sendWhenFileCannotBeWrittenThenMessageDeliveryException() throws Exception {
        Path directory = Files.createDirectories(dataDir.resolve("outbox-is-a-directory"));
        OutboxMessageSender outbox = new OutboxMessageSender(directory, clock, notices::add);

        assertThatThrownBy(() -> outbox.send(message("alice", "493817"))).isInstanceOf(MessageDeliveryException.class);
        assertThat(notices).isEmpty();
    }

    @Test
    void maskWhenAddressThenKeepsFirstLettersOnly() {
        assertThat(OutboxMessageSender.mask("alice@example.com")).isEqualTo("a***@e***");
        assertThat(OutboxMessageSender.mask("+15551234567")).isEqualTo("+***");
        assertThat(OutboxMessageSender.mask("")).isEqualTo("***");
    }

    @Test
    void inDataDirWhenCreatedThenUsesTheOutboxFileName() {
        assertThat(OutboxMessageSender.inDataDir(dataDir, clock).file()).isEqualTo(dataDir.resolve("outbox.jsonl"));
    }
}
