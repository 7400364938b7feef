package dev.gatehouse.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the development outbox ({@code <dataDir>/outbox.jsonl}): one JSON line per message the server would have
 * emailed. Messages are matched by recipient: the destination address or the internal username.
 */
final class Outbox {

    /** One outbox line. */
    record Message(
            String purpose,
            String userPoolId,
            String username,
            String destination,
            String subject,
            String body,
            String code) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Path file;

    Outbox(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Every whole line written so far for {@code recipient} (email address or internal username), oldest first. */
    List<Message> messagesFor(String recipient) {
        List<Message> result = new ArrayList<>();
        for (Message m : all()) {
            if (m.destination().equalsIgnoreCase(recipient) || m.username().equals(recipient)) {
                result.add(m);
            }
        }
        return result;
    }

    int count(String recipient) {
        return messagesFor(recipient).size();
    }

    /** The code of the newest message for {@code recipient}, waiting (bounded) for the first one. */
    String latestCode(String recipient) {
        return awaitNew(recipient, 0).code();
    }

    /** Waits (bounded) until {@code recipient} has more than {@code knownCount} messages and returns the newest. */
    Message awaitNew(String recipient, int knownCount) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Message> messages = messagesFor(recipient);
            if (messages.size() > knownCount) {
                return messages.get(messages.size() - 1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no new message for " + recipient + " in " + file + " within " + WAIT
                        + " (had " + knownCount + ")");
            }
            pause();
        }
    }

    /**
     * Waits (bounded) until {@code recipient} has {@code n} messages for {@code purpose} ({@code FORGOT_PASSWORD}, …)
     * and returns the {@code n}th: codes for clients hiding user existence are delivered in the background, so a
     * count taken right after a call may not include its message yet.
     */
    Message awaitNth(String recipient, String purpose, int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<Message> messages = messagesFor(recipient).stream()
                    .filter(m -> m.purpose().equals(purpose))
                    .toList();
            if (messages.size() >= n) {
                return messages.get(n - 1);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no message " + n + " of " + purpose + " for " + recipient + " in " + file
                        + " within " + WAIT + " (had " + messages.size() + ")");
            }
            pause();
        }
    }

    private List<Message> all() {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Message> result = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (IOException e) {
                continue; // the last line may still be being written
            }
            result.add(new Message(
                    n.path("purpose").asText(""),
                    n.path("userPoolId").asText(""),
                    n.path("username").asText(""),
                    n.path("destination").asText("").toLowerCase(Locale.ROOT),
                    n.path("subject").asText(""),
                    n.path("body").asText(""),
                    n.path("code").asText("")));
        }
        return result;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
