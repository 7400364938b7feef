package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development mode of message delivery, used when no SMTP server is configured: each message becomes one JSON
 * line ({@code time, purpose, userPoolId, username, destination, subject, body, code}) appended to a file, by default
 * {@code <dataDir>/outbox.jsonl}, and one INFO log line naming the code, so a newcomer can confirm a sign-up without
 * a mail server. This is the one place where codes are logged, on purpose; do not use it in production.
 *
 * <p>The file is created readable by its owner only where the file system supports POSIX permissions. Writes are
 * serialised in this process and appended with {@code O_APPEND}, and the stream is flushed and closed after each line,
 * so readers (and other processes appending) always see whole lines.
 */
public final class OutboxMessageSender implements MessageSender {

    /** The outbox's file name in the data directory. */
    public static final String FILE_NAME = "outbox.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(OutboxMessageSender.class);

    private final Path file;
    private final Clock clock;
    private final Consumer<String> notice;
    private final ObjectMapper json = AwsJson.mapper();

    /** An outbox appending to {@code file}, logging each message at INFO. */
    public OutboxMessageSender(Path file, Clock clock) {
        this(file, clock, LOG::info);
    }

    OutboxMessageSender(Path file, Clock clock, Consumer<String> notice) {
        this.file = Objects.requireNonNull(file, "file cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.notice = Objects.requireNonNull(notice, "notice cannot be null");
    }

    /** An outbox at {@code <dataDir>/}{@value #FILE_NAME}. */
    public static OutboxMessageSender inDataDir(Path dataDir, Clock clock) {
        return new OutboxMessageSender(dataDir.resolve(FILE_NAME), clock);
    }

    public Path file() {
        return file;
    }

    /** The purpose of an invitation, whose "code" is the user's temporary password. */
    static final String TEMPORARY_PASSWORD_PURPOSE = "ADMIN_CREATE_USER";

    @Override
    public void send(OutgoingMessage message) {
        ObjectNode line = json.createObjectNode()
                .put("time", clock.instant().toString())
                .put("purpose", message.purpose())
                .put("userPoolId", message.userPoolId())
                .put("username", message.username())
                .put("destination", message.destination())
                .put("subject", message.subject())
                .put("body", message.body())
                .put("code", message.code());
        try {
            append((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new MessageDeliveryException("could not write to the outbox " + file, e);
        }
        // A temporary password is a password: it stays in the owner-only outbox file, never in the log.
        String shown = TEMPORARY_PASSWORD_PURPOSE.equals(message.purpose())
                ? "temporary password in the outbox"
                : "code: " + message.code();
        notice.accept("Message for " + mask(message.destination()) + " (" + message.purpose() + ", pool "
                + message.userPoolId() + ") written to the outbox " + file + "; " + shown);
    }

    private synchronized void append(byte[] bytes) throws IOException {
        createIfAbsent();
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            out.write(bytes);
            out.flush();
        }
    }

    private void createIfAbsent() throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // created with the permissions, never briefly readable by others
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // another process created it first
        }
    }

    /** An address as Cognito masks it in {@code CodeDeliveryDetails}: {@code a***@e***}. */
    static String mask(String destination) {
        int at = destination.indexOf('@');
        if (at <= 0 || at == destination.length() - 1) {
            return destination.isEmpty() ? "***" : destination.charAt(0) + "***";
        }
        return destination.charAt(0) + "***@" + destination.charAt(at + 1) + "***";
    }
}
