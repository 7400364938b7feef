package dev.gatehouse.protocol;

/** Errors every AWS JSON service shares: protocol faults, signature failures, throttling. */
public final class CommonErrors {

    public static final String SERIALIZATION = "SerializationException";
    public static final String UNKNOWN_OPERATION = "UnknownOperationException";
    public static final String INVALID_PARAMETER = "InvalidParameterException";
    public static final String INTERNAL_ERROR = "InternalErrorException";
    public static final String TOO_MANY_REQUESTS = "TooManyRequestsException";
    public static final String MISSING_AUTHENTICATION_TOKEN = "MissingAuthenticationTokenException";
    public static final String INCOMPLETE_SIGNATURE = "IncompleteSignatureException";
    public static final String INVALID_SIGNATURE = "InvalidSignatureException";
    public static final String UNRECOGNIZED_CLIENT = "UnrecognizedClientException";
    public static final String EXPIRED_TOKEN = "ExpiredTokenException";
    public static final String ACCESS_DENIED = "AccessDeniedException";

    private CommonErrors() {}

    /** The body is not JSON, or a field has the wrong JSON type. */
    public static AwsError serialization(String message) {
        return AwsError.sender(SERIALIZATION, message);
    }

    public static AwsError unknownOperation() {
        return AwsError.sender(UNKNOWN_OPERATION, "Unknown operation.");
    }

    /** A field is missing, too long, or otherwise fails the service model's constraints. */
    public static AwsError invalidParameter(String message) {
        return AwsError.sender(INVALID_PARAMETER, message);
    }

    /** The generic 500: the cause is logged, never sent. */
    public static AwsError internalError() {
        return new AwsError(INTERNAL_ERROR, 500, AwsError.Fault.RECEIVER, "Internal server error.");
    }

    public static AwsError tooManyRequests() {
        return AwsError.sender(TOO_MANY_REQUESTS, "Rate exceeded");
    }

    public static AwsError missingAuthenticationToken() {
        return AwsError.sender(MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
}
