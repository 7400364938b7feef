package dev.gatehouse.userpool;

import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.ServiceException;

/** Error codes and messages of the user-pool API, named as in the service model, worded as Cognito words them. */
public final class UserPoolErrors {

    public static final String NOT_AUTHORIZED = "NotAuthorizedException";
    public static final String USER_NOT_FOUND = "UserNotFoundException";
    public static final String USER_NOT_CONFIRMED = "UserNotConfirmedException";
    public static final String USERNAME_EXISTS = "UsernameExistsException";
    public static final String ALIAS_EXISTS = "AliasExistsException";
    public static final String INVALID_PASSWORD = "InvalidPasswordException";
    public static final String INVALID_PARAMETER = "InvalidParameterException";
    public static final String CODE_MISMATCH = "CodeMismatchException";
    public static final String EXPIRED_CODE = "ExpiredCodeException";
    public static final String LIMIT_EXCEEDED = "LimitExceededException";
    public static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    public static final String PASSWORD_RESET_REQUIRED = "PasswordResetRequiredException";
    public static final String CODE_DELIVERY_FAILURE = "CodeDeliveryFailureException";
    public static final String UNSUPPORTED_TOKEN_TYPE = "UnsupportedTokenTypeException";
    public static final String UNSUPPORTED_OPERATION = "UnsupportedOperationException";
    public static final String UNAUTHORIZED = "UnauthorizedException";
    public static final String GROUP_EXISTS = "GroupExistsException";
    public static final String INVALID_OAUTH_FLOW = "InvalidOAuthFlowException";
    public static final String DUPLICATE_PROVIDER = "DuplicateProviderException";
    /** A trigger's function threw: the operation is refused with the function's message. */
    public static final String USER_LAMBDA_VALIDATION = "UserLambdaValidationException";
    /** A trigger's function could not be invoked (not found, throttled, no answer in time). */
    public static final String UNEXPECTED_LAMBDA = "UnexpectedLambdaException";
    /** A trigger's function answered something the trigger cannot act on. */
    public static final String INVALID_LAMBDA_RESPONSE = "InvalidLambdaResponseException";

    static final String INCORRECT_CREDENTIALS = "Incorrect username or password.";
    static final String PASSWORD_ATTEMPTS_EXCEEDED = "Password attempts exceeded";
    static final String USER_DISABLED = "User is disabled.";
    static final String USER_DOES_NOT_EXIST = "User does not exist.";

    private UserPoolErrors() {}

    static ServiceException error(String code, String message) {
        return new ServiceException(AwsError.sender(code, message));
    }

    static ServiceException notAuthorized(String message) {
        return error(NOT_AUTHORIZED, message);
    }

    static ServiceException incorrectCredentials() {
        return notAuthorized(INCORRECT_CREDENTIALS);
    }

    static ServiceException invalidParameter(String message) {
        return error(INVALID_PARAMETER, message);
    }

    static ServiceException userNotFound() {
        return error(USER_NOT_FOUND, USER_DOES_NOT_EXIST);
    }

    static ServiceException userNotConfirmed() {
        return error(USER_NOT_CONFIRMED, "User is not confirmed.");
    }

    static ServiceException codeMismatch() {
        return error(CODE_MISMATCH, "Invalid verification code provided, please try again.");
    }

    static ServiceException expiredCode() {
        return error(EXPIRED_CODE, "Invalid code provided, please request a code again.");
    }

    static ServiceException limitExceeded() {
        return error(LIMIT_EXCEEDED, "Attempt limit exceeded, please try after some time.");
    }

    static ServiceException poolNotFound(String userPoolId) {
        return error(RESOURCE_NOT_FOUND, "User pool " + userPoolId + " does not exist.");
    }

    static ServiceException clientNotFound(String clientId) {
        return error(RESOURCE_NOT_FOUND, "User pool client " + clientId + " does not exist.");
    }

    /** Cognito names neither the group nor the pool (moto, which copies AWS's texts elsewhere, uses the name). */
    static ServiceException groupNotFound() {
        return error(RESOURCE_NOT_FOUND, "Group not found.");
    }

    static ServiceException invalidPassword(String rule) {
        return error(INVALID_PASSWORD, "Password did not conform with password policy: " + rule);
    }
}
