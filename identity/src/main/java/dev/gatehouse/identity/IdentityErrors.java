package dev.gatehouse.identity;

import dev.gatehouse.protocol.AwsError;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;

/** Error codes and messages of the identity-pool API ({@code AWSCognitoIdentityService}); names as in the model. */
final class IdentityErrors {

    static final String NOT_AUTHORIZED = "NotAuthorizedException";
    static final String RESOURCE_NOT_FOUND = "ResourceNotFoundException";
    static final String INVALID_CONFIGURATION = "InvalidIdentityPoolConfigurationException";

    static final String UNSUPPORTED_PROVIDER = "Token is not from a supported provider of this identity pool.";
    static final String ISSUER_MISMATCH = "Invalid login token. Issuer doesn't match providerName";
    static final String WRONG_AUDIENCE = "Invalid login token. Incorrect token audience.";
    static final String LOGINS_DONT_MATCH =
            "Logins don't match. Please include at least one valid login for this identity or identity pool.";
    static final String UNAUTHENTICATED_NOT_SUPPORTED =
            "Unauthenticated access is not supported for this identity pool.";
    static final String INVALID_TOKEN = "Invalid login token. Couldn't verify signed token.";
    static final String NO_ROLE = "Invalid identity pool configuration. Check assigned IAM roles for this pool.";

    /** A user's report of Cognito's words for a developer provider the pool does not have (LambdAuth#32). */
    static final String UNSUPPORTED_DEVELOPER_PROVIDER =
            "This identity pool does not support the specified developer provider.";

    private IdentityErrors() {}

    static ServiceException developerUserNotFound(String userIdentifier) {
        return new ServiceException(
                AwsError.sender(RESOURCE_NOT_FOUND, "Developer user identifier '" + userIdentifier + "' not found."));
    }

    static ServiceException notAuthorized(String message) {
        return new ServiceException(AwsError.sender(NOT_AUTHORIZED, message));
    }

    static ServiceException poolNotFound(String identityPoolId) {
        return new ServiceException(
                AwsError.sender(RESOURCE_NOT_FOUND, "IdentityPool '" + identityPoolId + "' not found."));
    }

    static ServiceException identityNotFound(String identityId) {
        return new ServiceException(AwsError.sender(RESOURCE_NOT_FOUND, "Identity '" + identityId + "' not found."));
    }

    static ServiceException noRole() {
        return new ServiceException(AwsError.sender(INVALID_CONFIGURATION, NO_ROLE));
    }

    /** A role mapping whose {@code AmbiguousRoleResolution} is {@code Deny} found no role (amplify-js#3621). */
    static ServiceException ambiguousRoleDenied(String provider) {
        return notAuthorized("The ambiguous role mapping rules for: " + provider + " denied this request.");
    }

    /** A {@code CustomRoleArn} the role mapping does not offer this user: Cognito denies access. */
    static ServiceException customRoleDenied(String provider) {
        return notAuthorized("The role mapping rules for: " + provider + " do not allow the requested CustomRoleArn.");
    }

    /** A RoleMappings key that is not {@code <provider>:<clientId>} of a provider the pool trusts (aws-cdk#22951). */
    static ServiceException roleMappingProviderInvalid(String provider) {
        return invalidParameter(
                "(" + provider + ") is not a valid RoleMapping ProviderName or is not a configured provider.");
    }

    /**
     * A request that breaks the model's constraints: Cognito Identity answers {@code ValidationException} (not in its
     * model's error lists) with the standard text, the value echoed (moto PR 4415, verified against AWS).
     */
    static dev.gatehouse.protocol.AwsError validation(String message) {
        return dev.gatehouse.protocol.AwsError.sender("ValidationException", message);
    }

    static ServiceException invalidParameter(String message) {
        return new ServiceException(CommonErrors.invalidParameter(message));
    }
}
