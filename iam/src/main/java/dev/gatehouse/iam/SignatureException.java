package dev.gatehouse.iam;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A request's SigV4 authentication failed. {@link #getMessage()} is the text AWS sends for the failure (safe to return
 * to the client: it never holds a secret or a session token); {@link #reason()} says which check failed, and the
 * server maps it to its protocol's error code ({@link Reason#jsonErrorCode()} gives the AWS JSON services' one).
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html">Troubleshoot signed requests</a>
 */
public final class SignatureException extends Exception {

    private static final long serialVersionUID = 1L;

    private static final String INCOMPLETE = "IncompleteSignatureException";
    private static final String INVALID = "InvalidSignatureException";

    /** Which check failed. Messages are AWS's where known; entries marked "best guess" were not observed. */
    public enum Reason {
        /** Neither an {@code Authorization} header nor {@code X-Amz-*} query parameters: "Missing Authentication Token". */
        MISSING_AUTHENTICATION("MissingAuthenticationTokenException"),
        /** Both header and query-string authentication in one request. */
        AMBIGUOUS_AUTHENTICATION(INCOMPLETE),
        /** A required part is missing: "Authorization header requires 'Credential' parameter. …". */
        INCOMPLETE_SIGNATURE(INCOMPLETE),
        /** {@code X-Amz-Algorithm} or the header's algorithm is not {@code AWS4-HMAC-SHA256}. */
        UNSUPPORTED_ALGORITHM(INCOMPLETE),
        /** The credential is not {@code keyid/date/region/service/term}. */
        MALFORMED_CREDENTIAL(INCOMPLETE),
        /** {@code X-Amz-Date} (or {@code Date}) is not ISO-8601 basic format. */
        MALFORMED_DATE(INCOMPLETE),
        /** An S3 SigV2 presigned URL lacks {@code AWSAccessKeyId}, {@code Signature} or {@code Expires} (AccessDenied). */
        INCOMPLETE_QUERY_AUTHENTICATION(INCOMPLETE),
        /** {@code X-Amz-Expires} is not a number of seconds in 1..604800 (S3: {@code AuthorizationQueryParametersError}). */
        AUTHORIZATION_QUERY_PARAMETERS(INCOMPLETE),
        /** {@code host} is not in {@code SignedHeaders}. */
        HOST_NOT_SIGNED(INVALID),
        /** S3 only: an {@code x-amz-*} header is present but not signed (S3: {@code AccessDenied}). */
        UNSIGNED_HEADERS(INVALID),
        /** The request time is more than the allowed skew before now (S3: {@code RequestTimeTooSkewed}). */
        SIGNATURE_EXPIRED(INVALID),
        /** The request time is more than the allowed skew after now. */
        SIGNATURE_NOT_YET_CURRENT(INVALID),
        /** A presigned URL is used after {@code X-Amz-Date + X-Amz-Expires} (S3: {@code AccessDenied}). */
        PRESIGN_EXPIRED(INVALID),
        /** The credential scope names another region. */
        WRONG_REGION(INVALID),
        /** The credential scope names another service. */
        WRONG_SERVICE(INVALID),
        /** The credential scope does not end in {@code aws4_request}. */
        WRONG_TERMINATOR(INVALID),
        /** The credential scope's date is not the day of the request time. */
        SCOPE_DATE_MISMATCH(INVALID),
        /** Unknown access key id, or a session token that does not belong to it. */
        UNKNOWN_ACCESS_KEY("UnrecognizedClientException"),
        /** The temporary credentials have expired. */
        EXPIRED_TOKEN("ExpiredTokenException"),
        /** {@code x-amz-content-sha256} is neither a SHA-256 hex digest nor a value this service accepts. */
        UNSUPPORTED_CONTENT_SHA256(INCOMPLETE),
        /** {@code x-amz-content-sha256} does not match the body (S3: {@code XAmzContentSHA256Mismatch}). */
        CONTENT_SHA256_MISMATCH(INVALID),
        /** The signature is wrong (S3: {@code SignatureDoesNotMatch}). */
        SIGNATURE_MISMATCH(INVALID);

        private final String jsonErrorCode;

        Reason(String jsonErrorCode) {
            this.jsonErrorCode = jsonErrorCode;
        }

        /** The {@code __type} AWS JSON-protocol services (Cognito, STS JSON, DynamoDB…) send for this failure. */
        public String jsonErrorCode() {
            return jsonErrorCode;
        }
    }

    private final Reason reason;
    private final @Nullable String canonicalRequest;
    private final @Nullable String stringToSign;

    SignatureException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    private SignatureException(
            Reason reason, String message, @Nullable String canonicalRequest, @Nullable String stringToSign) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason cannot be null");
        this.canonicalRequest = canonicalRequest;
        this.stringToSign = stringToSign;
    }

    /** A {@link Reason#SIGNATURE_MISMATCH} that carries what the verifier computed, for services that echo it. */
    static SignatureException mismatch(String message, String canonicalRequest, String stringToSign) {
        return new SignatureException(
                Reason.SIGNATURE_MISMATCH,
                message,
                Objects.requireNonNull(canonicalRequest, "canonicalRequest cannot be null"),
                Objects.requireNonNull(stringToSign, "stringToSign cannot be null"));
    }

    public Reason reason() {
        return reason;
    }

    /**
     * For a signature mismatch, the canonical request the verifier computed from the request (kept out of
     * {@link #getMessage()}: it holds the signed header values, the session token among them, and must not be logged).
     * API Gateway returns it to the caller; the AWS JSON services do not.
     */
    public Optional<String> canonicalRequest() {
        return Optional.ofNullable(canonicalRequest);
    }

    /** For a signature mismatch, the string to sign the verifier computed; see {@link #canonicalRequest()}. */
    public Optional<String> stringToSign() {
        return Optional.ofNullable(stringToSign);
    }
}
