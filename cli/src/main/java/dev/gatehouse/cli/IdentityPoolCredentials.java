package dev.gatehouse.cli;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;

/**
 * Step 2: exchanges the user pool's id token for temporary credentials of the identity pool's auth role (GetId, then
 * GetCredentialsForIdentity), with the login key {@code cognito-idp.<cognito-region>.amazonaws.com/<user-pool-id>}
 * as aws-api-gateway-cli-test sends it.
 */
final class IdentityPoolCredentials {

    /** The caller's identity id and its credentials. */
    record Result(String identityId, AwsSessionCredentialsIdentity credentials) {
        @Override
        public String toString() {
            return "Result[identityId=" + identityId + ", credentials=redacted]";
        }
    }

    private final CognitoIdentityClient client;
    private final Optional<URI> endpoint;

    IdentityPoolCredentials(CognitoIdentityClient client, Optional<URI> endpoint) {
        this.client = Objects.requireNonNull(client, "client cannot be null");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint cannot be null");
    }

    /** The provider name of a user pool in {@code Logins}. */
    static String loginKey(String cognitoRegion, String userPoolId) {
        return "cognito-idp." + cognitoRegion + ".amazonaws.com/" + userPoolId;
    }

    /**
     * Gets credentials.
     *
     * @throws CliException ({@link ExitCodes#CREDENTIALS}) with the identity pool's message and a hint
     */
    Result credentials(String identityPoolId, String cognitoRegion, String userPoolId, String idToken) {
        Map<String, String> logins = Map.of(loginKey(cognitoRegion, userPoolId), idToken);
        try {
            String identityId = client.getId(
                            r -> r.identityPoolId(identityPoolId).logins(logins))
                    .identityId();
            Credentials c = client.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins))
                    .credentials();
            if (c == null || c.accessKeyId() == null || c.secretKey() == null || c.sessionToken() == null) {
                throw new CliException(
                        ExitCodes.CREDENTIALS, "Getting credentials failed: the identity pool returned none");
            }
            return new Result(
                    identityId, AwsSessionCredentialsIdentity.create(c.accessKeyId(), c.secretKey(), c.sessionToken()));
        } catch (SdkException e) {
            throw new CliException(
                    ExitCodes.CREDENTIALS,
                    "Getting temporary credentials failed: " + Failures.describe(e, endpoint)
                            + hint(Failures.errorCode(e).orElse(""), cognitoRegion, userPoolId),
                    e);
        }
    }

    private static String hint(String code, String cognitoRegion, String userPoolId) {
        return switch (code) {
            case "ResourceNotFoundException" -> "\nCheck --identity-pool-id (or --outputs-file): no such identity pool on"
                    + " this endpoint.";
            case "NotAuthorizedException" -> "\nThe identity pool does not accept this token: it must trust the login "
                    + loginKey(cognitoRegion, userPoolId) + " (check --user-pool-id and --cognito-region).";
            default -> "";
        };
    }
}
