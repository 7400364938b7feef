package dev.gatehouse.objects;

import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Decision;
import dev.gatehouse.iam.PolicyEvaluator;
import dev.gatehouse.iam.RequestContext;
import dev.gatehouse.iam.SigV2Verifier;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.VerifiedCaller;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/** Who signed an S3 request (SigV4 header or presigned, SigV2 presigned) and whether its policies allow the action. */
final class S3Authorizer {

    private final SigV4Verifier<ObjectCaller> verifier;
    private final SigV2Verifier<ObjectCaller> sigV2;
    private final Clock clock;

    S3Authorizer(CredentialResolver<ObjectCaller> callers, String region, Clock clock) {
        this.verifier = SigV4Verifier.builder(callers)
                .service("s3")
                .region(region)
                .clock(clock)
                .maxClockSkew(S3Endpoint.MAX_CLOCK_SKEW)
                .build();
        this.sigV2 = new SigV2Verifier<>(callers, region, clock);
        this.clock = clock;
    }

    /** Authenticates {@code signed}, then decides {@code action} on {@code resource} for its caller. */
    VerifiedCaller<ObjectCaller> authorize(
            SignedRequest signed, String action, String resource, Map<String, String> requestKeys, String sourceIp) {
        VerifiedCaller<ObjectCaller> verified = authenticate(signed);
        decide(verified.principal(), action, resource, requestKeys, sourceIp);
        return verified;
    }

    /** The caller of a request signed with SigV4 (header or presigned) or presigned with SigV2; or S3's error. */
    private VerifiedCaller<ObjectCaller> authenticate(SignedRequest signed) {
        Optional<S3Error> signatureVersion2 = S3Signatures.signatureVersion2Header(signed);
        if (signatureVersion2.isPresent()) {
            throw new S3Exception(signatureVersion2.get());
        }
        boolean header = !signed.headerValues("authorization").isEmpty();
        if (header
                && signed.header("x-amz-content-sha256").isEmpty()
                && signed.headerValues("authorization").get(0).trim().startsWith("AWS4-HMAC-SHA256")) {
            throw new S3Exception(
                    S3Error.invalidRequest("Missing required header for this request: x-amz-content-sha256"));
        }
        try {
            if (SigV2Verifier.isPresigned(signed)) {
                String query = signed.rawQuery();
                if (header
                        || query.contains("X-Amz-Algorithm=")
                        || query.contains("X-Amz-Credential=")
                        || query.contains("X-Amz-Signature=")) {
                    throw new S3Exception(
                            S3Error.invalidArgument(
                                    "Only one auth mechanism allowed; only the X-Amz-Algorithm "
                                            + "query parameter, Signature query string parameter or the Authorization header should be specified"));
                }
                if (signed.header("x-amz-content-sha256")
                        .filter(v -> v.trim().startsWith("STREAMING-AWS4-"))
                        .isPresent()) {
                    throw new S3Exception(S3Error.invalidRequest(
                            "Chunk signatures need SigV4; sign the request with " + "AWS4-HMAC-SHA256."));
                }
                return sigV2.verifyPresigned(signed);
            }
            return verifier.verifyDeferringPayload(signed);
        } catch (SignatureException e) {
            throw new S3Exception(S3Signatures.error(e));
        }
    }

    /** Evaluates the caller's policies for {@code action} on {@code resource}; AccessDenied unless allowed. */
    void decide(ObjectCaller caller, String action, String resource, Map<String, String> requestKeys, String sourceIp) {
        RequestContext.Builder context = RequestContext.builder(action, resource)
                .currentTime(clock.instant())
                .put("aws:SourceIp", sourceIp)
                .put("aws:SecureTransport", "false");
        caller.conditionKeys().forEach(context::put);
        requestKeys.forEach(context::put);
        Decision decision = PolicyEvaluator.evaluate(caller.policies(), context.build());
        if (!decision.allowed()) {
            throw new S3Exception(S3Error.accessDenied());
        }
    }
}
