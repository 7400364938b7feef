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
import java.util.List;
import java.util.Optional;

/**
 * The stack's buckets (the recipe's attachments, Amplify's {@code storage} category, a template's
 * {@code AWS::S3::Bucket}s): the S3 endpoint serving them.
 * Callers are the stack's admin key (allowed everything) and identity-pool credentials (their role's policy decides).
 */
final class AttachmentsStack {

    private AttachmentsStack() {}

    /** The S3 endpoint for {@code buckets}. */
    static S3Endpoint endpoint(
            Vertx vertx,
            ObjectStore objects,
            List<String> buckets,
            StackState state,
            CredentialResolver<IamPrincipal> identityPoolCallers,
            String region,
            WorkerPool workers,
            long maxObjectSize,
            Clock clock) {
        // the buckets are the stack's, made with it: their creation date is the stack's
        return new S3Endpoint(
                        vertx,
                        objects,
                        buckets,
                        callers(state, identityPoolCallers),
                        region,
                        workers::submit,
                        maxObjectSize,
                        clock)
                .listingBuckets(new BucketListing(buckets, state.createdAt(), state.accountId()));
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
