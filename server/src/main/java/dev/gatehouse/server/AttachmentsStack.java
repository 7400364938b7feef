package dev.gatehouse.server;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.objects.BucketListing;
import dev.gatehouse.objects.ObjectCaller;
import dev.gatehouse.objects.ObjectStore;
import dev.gatehouse.objects.S3Endpoint;
import dev.gatehouse.store.Condition;
import dev.gatehouse.store.ConditionFailedException;
import dev.gatehouse.store.Item;
import dev.gatehouse.store.ItemStore;
import dev.gatehouse.store.Key;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The stack's attachments bucket (Amplify's {@code storage} category): its stable name, the auth role's statements
 * for it, and the S3 endpoint serving it. Callers are the stack's admin key (allowed everything) and identity-pool
 * credentials (their role's policy decides).
 */
final class AttachmentsStack {

  private static final Key BUCKET_KEY = Key.of("stack", "attachments-bucket");
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern NAME = Pattern.compile("gatehouse-attachments-[a-z0-9]{12}");

  private AttachmentsStack() {
  }

  /** The bucket's name, created once per data dir: {@code gatehouse-attachments-<12 random [a-z0-9]>}. */
  static String bucketName(ItemStore store, SecureRandom random) {
    return store.get(StackState.TABLE, BUCKET_KEY).flatMap(item -> item.attribute("bucket")).map(AttachmentsStack::checked)
        .orElseGet(() -> {
          StringBuilder name = new StringBuilder("gatehouse-attachments-");
          for (int i = 0; i < 12; i++) {
            name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
          }
          try {
            store.put(StackState.TABLE, Item.of(BUCKET_KEY, Map.of("bucket", name.toString())), Condition.notExists());
            return name.toString();
          } catch (ConditionFailedException e) {
            return store.get(StackState.TABLE, BUCKET_KEY).flatMap(item -> item.attribute("bucket"))
                .map(AttachmentsStack::checked)
                .orElseThrow(() -> new IllegalStateException("the bucket name vanished after a conflict", e));
          }
        });
  }

  private static String checked(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalStateException("the stored attachments bucket name is malformed");
    }
    return name;
  }

  /**
   * The auth role's statements for the bucket (Amplify's {@code private/} access level): objects under
   * {@code private/<own identity id>/}, and listing only with such a prefix.
   */
  static String authRoleStatements(String bucket) {
    String own = "private/${cognito-identity.amazonaws.com:sub}/*";
    return "{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\","
        + "\"s3:AbortMultipartUpload\"],\"Resource\":\"arn:aws:s3:::" + bucket + "/" + own + "\"},"
        + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::" + bucket + "\","
        + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"" + own + "\"}}}";
  }

  /** The S3 endpoint for {@code bucket}. */
  static S3Endpoint endpoint(Vertx vertx, ObjectStore objects, String bucket, StackState state,
      CredentialResolver<IamPrincipal> identityPoolCallers, String region, WorkerPool workers, long maxObjectSize,
      Clock clock) {
    // the bucket is the stack's, made with it: its creation date is the stack's
    return new S3Endpoint(vertx, objects, bucket, callers(state, identityPoolCallers), region, workers::submit,
        maxObjectSize, clock).listingBuckets(new BucketListing(bucket, state.createdAt(), state.accountId()));
  }

  private static CredentialResolver<ObjectCaller> callers(StackState state, CredentialResolver<IamPrincipal> pool) {
    String adminKey = state.admin().accessKeyId();
    SigningCredential<ObjectCaller> admin = SigningCredential.permanent(
        SecretBytes.ofUtf8(state.admin().secretAccessKey()), ObjectCaller.administrator(state.adminArn()));
    return (accessKeyId, sessionToken) -> {
      if (accessKeyId.equals(adminKey)) {
        return sessionToken == null ? Optional.of(admin) : Optional.empty();
      }
      return pool.resolve(accessKeyId, sessionToken).flatMap(credential -> credential.expiration().map(expiration ->
          SigningCredential.temporary(credential.secretKey(), expiration, toObjectCaller(credential.principal()))));
    };
  }

  private static ObjectCaller toObjectCaller(IamPrincipal principal) {
    return new ObjectCaller(principal.userArn(), principal.policies(), principal.callerKeys());
  }
}
