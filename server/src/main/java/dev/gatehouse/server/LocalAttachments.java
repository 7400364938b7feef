package dev.gatehouse.server;

import dev.gatehouse.notes.Attachments;
import dev.gatehouse.objects.ObjectKeys;
import dev.gatehouse.objects.ObjectStore;
import java.util.Objects;

/**
 * The notes API's {@link Attachments} on the local object store: deleting a note deletes
 * {@code private/<identityId>/<attachment>} from the stack's attachments bucket. A name that is not a plain file name
 * (a {@code /}, traversal, or an invalid key) deletes nothing, so a note can never remove another user's object.
 */
final class LocalAttachments implements Attachments {

    private final ObjectStore store;
    private final String bucket;

    LocalAttachments(ObjectStore store, String bucket) {
        this.store = Objects.requireNonNull(store, "store cannot be null");
        this.bucket = Objects.requireNonNull(bucket, "bucket cannot be null");
    }

    @Override
    public void delete(String identityId, String attachment) {
        if (identityId.isEmpty() || identityId.contains("/") || attachment.contains("/")) {
            return;
        }
        String key = "private/" + identityId + "/" + attachment;
        if (ObjectKeys.isValidKey(key)) {
            store.deleteObject(bucket, key);
        }
    }
}
