package dev.gatehouse.objects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What {@code ListBuckets} ({@code GET /}, {@code aws s3 ls}) answers: the stack's one bucket, owned by its account.
 * Authorized as {@code s3:ListAllMyBuckets} on {@code arn:aws:s3:::*}, so the admin key may list and the identity
 * pool's roles, whose policies grant only their own prefix, may not.
 *
 * @param bucket the bucket's name
 * @param created the bucket's {@code CreationDate}
 * @param accountId the owning account; the owner's canonical id (64 hex digits, as S3's) is derived from it
 */
public record BucketListing(String bucket, Instant created, String accountId) {

    /** The IAM action {@code ListBuckets} needs. */
    public static final String ACTION = "s3:ListAllMyBuckets";
    /** The resource it is authorized on: every bucket. */
    public static final String RESOURCE = "arn:aws:s3:::*";

    public BucketListing {
        Objects.requireNonNull(bucket, "bucket cannot be null");
        Objects.requireNonNull(created, "created cannot be null");
        Objects.requireNonNull(accountId, "accountId cannot be null");
    }

    /** {@code <ListAllMyBucketsResult>} with the owner and the one bucket. */
    public byte[] toXml() {
        return S3Xml.document()
                .openNamespaced("ListAllMyBucketsResult")
                .open("Owner")
                .element("ID", ownerId())
                .close("Owner")
                .open("Buckets")
                .open("Bucket")
                .element("Name", bucket)
                .element("CreationDate", created.truncatedTo(ChronoUnit.MILLIS).toString())
                .close("Bucket")
                .close("Buckets")
                .close("ListAllMyBucketsResult")
                .bytes();
    }

    /** S3's canonical user id of the account: 64 hex digits, stable for the account. */
    String ownerId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accountId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
