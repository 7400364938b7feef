package dev.gatehouse.server;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.objects.BucketListing;
import dev.gatehouse.objects.ObjectCaller;
import dev.gatehouse.objects.ObjectStore;
import dev.gatehouse.objects.S3Endpoint;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;

/**
 * The stack's bucket (the recipe's attachments, Amplify's {@code storage} category): the S3 endpoint serving it.
 * Callers are the stack's admin key (allowed everything) and identity-pool credentials (their role's policy decides).
 */
final class AttachmentsStack {

    private AttachmentsStack() {}

    /** The S3 endpoint for {@code bucket}. */
    static S3Endpoint endpoint(
            Vertx vertx,
            ObjectStore objects,
            String bucket,
            StackState state,
            CredentialResolver<IamPrincipal> identityPoolCallers,
            String region,
            WorkerPool workers,
            long maxObjectSize,
            Clock clock) {
        // the bucket is the stack's, made with it: its creation date is the stack's
        return new S3Endpoint(
                        vertx,
                        objects,
                        bucket,
                        callers(state, identityPoolCallers),
                        region,
                        workers::submit,
                        maxObjectSize,
                        clock)
                .listingBuckets(new BucketListing(bucket, state.createdAt(), state.accountId()));
    }

    private static CredentialResolver<ObjectCaller> callers(StackState state, CredentialResolver<IamPrincipal> pool) {
        String adminKey = state.admin().accessKeyId();
        SigningCredential<ObjectCaller> admin = SigningCredential.permanent(
                SecretBytes.ofUtf8(state.admin().secretAccessKey()), ObjectCaller.administrator(state.adminArn()));
        return (accessKeyId, sessionToken) -> {
            if (accessKeyId.equals(adminKey)) {
                return sessionToken == null ? Optional.of(admin) : Optional.empty();
            }
            return pool.resolve(accessKeyId, sessionToken).flatMap(credential -> credential
                    .expiration()
                    .map(expiration -> SigningCredential.temporary(
                            credential.secretKey(), expiration, toObjectCaller(credential.principal()))));
        };
    }

    private static ObjectCaller toObjectCaller(IamPrincipal principal) {
        return new ObjectCaller(principal.userArn(), principal.policies(), principal.callerKeys());
    }
}
