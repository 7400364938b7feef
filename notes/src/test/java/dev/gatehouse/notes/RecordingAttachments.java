package dev.gatehouse.notes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the attachment deletions asked for; fails every one when told to. */
final class RecordingAttachments implements Attachments {

    /** One deletion: the object {@code private/<identityId>/<attachment>}. */
    record Deletion(String identityId, String attachment) {}

    private final List<Deletion> deletions = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    @Override
    public void delete(String identityId, String attachment) {
        deletions.add(new Deletion(identityId, attachment));
        if (failing) {
            throw new IllegalStateException("the object store is down");
        }
    }

    void failEveryDelete() {
        failing = true;
    }

    List<Deletion> deletions() {
        return List.copyOf(deletions);
    }
}
