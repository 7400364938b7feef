package dev.gatehouse.notes.lambda;

import dev.gatehouse.notes.Attachments;
import java.util.Objects;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@link Attachments} in an S3 bucket: deleting a note's attachment is a DeleteObject of
 * {@code private/<identityId>/<attachment>}, which S3 answers 204 whether or not the object exists.
 */
public final class S3Attachments implements Attachments {

    private final S3Client s3;
    private final String bucket;

    /** Attachments in {@code bucket}, reached through {@code s3}. */
    public S3Attachments(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3 cannot be null");
        this.bucket = Objects.requireNonNull(bucket, "bucket cannot be null");
    }

    @Override
    public void delete(String identityId, String attachment) {
        s3.deleteObject(r -> r.bucket(bucket).key(key(identityId, attachment)));
    }

    /** The object key of an attachment: under the owner's private prefix. */
    static String key(String identityId, String attachment) {
        return "private/" + identityId + "/" + attachment;
    }
}
