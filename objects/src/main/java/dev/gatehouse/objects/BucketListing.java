package dev.gatehouse.objects;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What {@code ListBuckets} ({@code GET /}, {@code aws s3 ls}) answers: the stack's buckets, owned by its account, in
 * name order as S3 lists them.
 * Authorized as {@code s3:ListAllMyBuckets} on {@code arn:aws:s3:::*}, so the admin key may list and the identity
 * pool's roles, whose policies grant only their own prefix, may not.
 *
 * @param buckets the buckets' names
 * @param created the buckets' {@code CreationDate} (they are the stack's, made with it)
 * @param accountId the owning account; the owner's canonical id (64 hex digits, as S3's) is derived from it
 */
public record BucketListing(List<String> buckets, Instant created, String accountId) {

    /** The IAM action {@code ListBuckets} needs. */
    public static final String ACTION = "s3:ListAllMyBuckets";
    /** The resource it is authorized on: every bucket. */
    public static final String RESOURCE = "arn:aws:s3:::*";

    public BucketListing {
        buckets = List.copyOf(new TreeSet<>(Objects.requireNonNull(buckets, "buckets cannot be null")));
        Objects.requireNonNull(created, "created cannot be null");
        Objects.requireNonNull(accountId, "accountId cannot be null");
    }

    /** {@code <ListAllMyBucketsResult>} with the owner and the buckets. */
    public byte[] toXml() {
        S3Xml xml = S3Xml.document()
                .openNamespaced("ListAllMyBucketsResult")
                .open("Owner")
                .element("ID", ownerId())
                .close("Owner")
                .open("Buckets");
        for (String bucket : buckets) {
            xml.open("Bucket")
                    .element("Name", bucket)
                    .element(
                            "CreationDate",
                            created.truncatedTo(ChronoUnit.MILLIS).toString())
                    .close("Bucket");
        }
        return xml.close("Buckets").close("ListAllMyBucketsResult").bytes();
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
