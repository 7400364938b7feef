package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.objects.ObjectStore;
import dev.gatehouse.store.InMemoryItemStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAttachmentsTests {

    private static final String BUCKET = "gatehouse-attachments-test00000000";

    @TempDir
    Path dir;

    private ObjectStore store;
    private LocalAttachments attachments;

    @BeforeEach
    void setUp() {
        store = ObjectStore.open(new InMemoryItemStore(), dir, Clock.systemUTC());
        attachments = new LocalAttachments(store, BUCKET);
        store.putBytes(BUCKET, "private/us-east-1:alice/photo.jpg", bytes("alice"), "image/jpeg");
        store.putBytes(BUCKET, "private/us-east-1:bob/photo.jpg", bytes("bob"), "image/jpeg");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deleteWhenOwnAttachmentThenObjectDeleted() {
        attachments.delete("us-east-1:alice", "photo.jpg");
        assertThat(store.head(BUCKET, "private/us-east-1:alice/photo.jpg")).isEmpty();
        assertThat(store.head(BUCKET, "private/us-east-1:bob/photo.jpg")).isPresent();
    }

    @Test
    void deleteWhenAbsentThenNoError() {
        attachments.delete("us-east-1:alice", "missing.jpg");
        assertThat(store.head(BUCKET, "private/us-east-1:alice/photo.jpg")).isPresent();
    }

    @Test
    void deleteWhenNameTraversesThenNothingDeleted() {
        attachments.delete("us-east-1:alice", "../us-east-1:bob/photo.jpg");
        attachments.delete("us-east-1:alice/../us-east-1:bob", "photo.jpg");
        attachments.delete("us-east-1:alice", "..");
        assertThat(store.head(BUCKET, "private/us-east-1:bob/photo.jpg")).isPresent();
        assertThat(store.head(BUCKET, "private/us-east-1:alice/photo.jpg")).isPresent();
    }
}
