package dev.gatehouse.objects;

import dev.gatehouse.iam.SignatureException;
import java.util.Objects;

/** S3's error for each failed SigV4 check (S3 uses its own codes, not the AWS JSON ones). */
final class S3Signatures {

  private S3Signatures() {
  }

  static S3Error error(SignatureException failure) {
    String message = Objects.requireNonNullElse(failure.getMessage(), "Access Denied");
    return switch (failure.reason()) {
      case MISSING_AUTHENTICATION -> S3Error.accessDenied();
      case AMBIGUOUS_AUTHENTICATION -> S3Error.invalidArgument(message);
      case INCOMPLETE_SIGNATURE, UNSUPPORTED_ALGORITHM, MALFORMED_CREDENTIAL, MALFORMED_DATE, WRONG_REGION,
          WRONG_SERVICE, WRONG_TERMINATOR, SCOPE_DATE_MISMATCH -> S3Error.of("AuthorizationHeaderMalformed", 400, message);
      case AUTHORIZATION_QUERY_PARAMETERS -> S3Error.of("AuthorizationQueryParametersError", 400, message);
      case HOST_NOT_SIGNED, UNSIGNED_HEADERS -> S3Error.accessDenied(message);
      case SIGNATURE_EXPIRED, SIGNATURE_NOT_YET_CURRENT ->
          S3Error.of("RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too "
              + "large.");
      case PRESIGN_EXPIRED -> S3Error.accessDenied("Request has expired");
      case UNKNOWN_ACCESS_KEY -> S3Error.of("InvalidAccessKeyId", 403,
          "The AWS Access Key Id you provided does not exist in our records.");
      case EXPIRED_TOKEN -> S3Error.of("ExpiredToken", 400, "The provided token has expired.");
      case UNSUPPORTED_CONTENT_SHA256 -> S3Error.invalidArgument(message);
      case CONTENT_SHA256_MISMATCH -> S3Error.of("XAmzContentSHA256Mismatch", 400, message);
      case SIGNATURE_MISMATCH -> S3Error.of("SignatureDoesNotMatch", 403, "The request signature we calculated does not "
          + "match the signature you provided. Check your key and signing method.");
    };
  }
}
