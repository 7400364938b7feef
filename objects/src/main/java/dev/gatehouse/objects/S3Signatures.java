package dev.gatehouse.objects;

import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import java.util.Objects;
import java.util.Optional;

/** S3's error for each failed SigV4 check (S3 uses its own codes, not the AWS JSON ones). */
final class S3Signatures {

    /** S3's answer to Signature Version 2 header signing, which it no longer accepts where SigV4 is served. */
    static final String SIGV2_MESSAGE =
            "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.";

    private S3Signatures() {}

    /**
     * S3's error for a request signed with Signature Version 2 in its {@code Authorization} header
     * ({@code AWS <key>:<signature>}), so the caller learns to sign with SigV4 instead of seeing a bare AccessDenied.
     * (SigV2 presigned URLs are served.)
     */
    static Optional<S3Error> signatureVersion2Header(SignedRequest request) {
        boolean header = request.headerValues("authorization").stream()
                .map(String::trim)
                .anyMatch(value -> value.startsWith("AWS "));
        return header ? Optional.of(S3Error.invalidRequest(SIGV2_MESSAGE)) : Optional.empty();
    }

    static S3Error error(SignatureException failure) {
        String message = Objects.requireNonNullElse(failure.getMessage(), "Access Denied");
        return switch (failure.reason()) {
            case MISSING_AUTHENTICATION -> S3Error.accessDenied();
            case INCOMPLETE_QUERY_AUTHENTICATION -> S3Error.accessDenied(message);
            case AMBIGUOUS_AUTHENTICATION -> S3Error.invalidArgument(message);
            case INCOMPLETE_SIGNATURE,
                    UNSUPPORTED_ALGORITHM,
                    MALFORMED_CREDENTIAL,
                    MALFORMED_DATE,
                    WRONG_REGION,
                    WRONG_SERVICE,
                    WRONG_TERMINATOR,
                    SCOPE_DATE_MISMATCH -> S3Error.of("AuthorizationHeaderMalformed", 400, message);
            case AUTHORIZATION_QUERY_PARAMETERS -> S3Error.of("AuthorizationQueryParametersError", 400, message);
            case HOST_NOT_SIGNED, UNSIGNED_HEADERS -> S3Error.accessDenied(message);
            case SIGNATURE_EXPIRED, SIGNATURE_NOT_YET_CURRENT -> S3Error.of(
                    "RequestTimeTooSkewed",
                    403,
                    "The difference between the request time and the current time is too " + "large.");
            case PRESIGN_EXPIRED -> S3Error.accessDenied("Request has expired");
            case UNKNOWN_ACCESS_KEY -> S3Error.of(
                    "InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records.");
            case EXPIRED_TOKEN -> S3Error.of("ExpiredToken", 400, "The provided token has expired.");
            case UNSUPPORTED_CONTENT_SHA256 -> S3Error.invalidArgument(message);
            case CONTENT_SHA256_MISMATCH -> S3Error.of("XAmzContentSHA256Mismatch", 400, message);
            case SIGNATURE_MISMATCH -> S3Error.of(
                    "SignatureDoesNotMatch",
                    403,
                    "The request signature we calculated does not "
                            + "match the signature you provided. Check your key and signing method.");
        };
    }
}
