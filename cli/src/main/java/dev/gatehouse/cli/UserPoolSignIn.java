package dev.gatehouse.cli;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;

/**
 * Step 1: signs in to the user pool with {@code USER_SRP_AUTH} (InitiateAuth with SRP_A, then RespondToAuthChallenge
 * with the PASSWORD_VERIFIER answer), as amazon-cognito-identity-js does. The password never leaves the process.
 */
final class UserPoolSignIn {

    /** The tokens the later steps need. */
    record Tokens(String idToken, String accessToken) {
        @Override
        public String toString() {
            return "Tokens[redacted]";
        }
    }

    private final CognitoIdentityProviderClient client;
    private final Optional<URI> endpoint;
    private final Clock clock;
    private final SecureRandom random;

    UserPoolSignIn(CognitoIdentityProviderClient client, Optional<URI> endpoint, Clock clock, SecureRandom random) {
        this.client = Objects.requireNonNull(client, "client cannot be null");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.random = Objects.requireNonNull(random, "random cannot be null");
    }

    /**
     * Signs in.
     *
     * @throws CliException ({@link ExitCodes#SIGN_IN}) with Cognito's message and a hint for every refusal
     */
    Tokens signIn(String userPoolId, String clientId, String username, String password) {
        String poolName;
        try {
            poolName = SrpClient.poolName(userPoolId);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--user-pool-id: " + e.getMessage(), e);
        }
        SrpClient srp = SrpClient.create(random);
        try {
            InitiateAuthResponse started = client.initiateAuth(r -> r.clientId(clientId)
                    .authFlow(AuthFlowType.USER_SRP_AUTH)
                    .authParameters(Map.of("USERNAME", username, "SRP_A", srp.srpA())));
            if (started.authenticationResult() != null) {
                return tokens(started.authenticationResult());
            }
            if (started.challengeName() != ChallengeNameType.PASSWORD_VERIFIER) {
                throw unsupported(started.challengeNameAsString());
            }
            Map<String, String> challenge = started.challengeParameters();
            String userIdForSrp = required(challenge, "USER_ID_FOR_SRP");
            String secretBlock = required(challenge, "SECRET_BLOCK");
            String timestamp = SrpClient.timestamp(clock.instant());
            String signature;
            try {
                signature = srp.passwordClaimSignature(
                        poolName,
                        userIdForSrp,
                        password,
                        required(challenge, "SALT"),
                        required(challenge, "SRP_B"),
                        secretBlock,
                        timestamp);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.SIGN_IN, "Sign-in failed: " + e.getMessage(), e);
            }
            RespondToAuthChallengeResponse answered = client.respondToAuthChallenge(r -> r.clientId(clientId)
                    .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                    .session(started.session())
                    .challengeResponses(Map.of(
                            "USERNAME",
                            userIdForSrp,
                            "PASSWORD_CLAIM_SECRET_BLOCK",
                            secretBlock,
                            "TIMESTAMP",
                            timestamp,
                            "PASSWORD_CLAIM_SIGNATURE",
                            signature)));
            if (answered.authenticationResult() == null) {
                throw unsupported(answered.challengeNameAsString());
            }
            return tokens(answered.authenticationResult());
        } catch (SdkException e) {
            throw new CliException(
                    ExitCodes.SIGN_IN,
                    "Sign-in failed: " + Failures.describe(e, endpoint)
                            + hint(Failures.errorCode(e).orElse(""), username),
                    e);
        }
    }

    private static String hint(String code, String username) {
        return switch (code) {
            case "UserNotConfirmedException" -> "\nConfirm the user first: with the emailed code (aws cognito-idp"
                    + " confirm-sign-up), or as the admin: gatehouse-cli confirm-user --outputs-file FILE --username "
                    + username;
            case "NotAuthorizedException" -> "\nIf the password is right, check --user-pool-id: its name is part of the SRP"
                    + " proof, so a wrong pool id looks like a wrong password.";
            case "ResourceNotFoundException" -> "\nCheck --user-pool-id and --app-client-id (or --outputs-file): that"
                    + " pool or app client does not exist on this endpoint.";
            case "PasswordResetRequiredException" -> "\nThe user must reset the password (forgot-password) first.";
            case "InvalidParameterException" -> "\nThe app client may not allow USER_SRP_AUTH (ALLOW_USER_SRP_AUTH).";
            default -> "";
        };
    }

    private static CliException unsupported(@org.jspecify.annotations.Nullable String challengeName) {
        if ("NEW_PASSWORD_REQUIRED".equals(challengeName)) {
            return new CliException(
                    ExitCodes.SIGN_IN,
                    "Sign-in failed: the user needs to set a new password"
                            + " (NEW_PASSWORD_REQUIRED); set a permanent one with aws cognito-idp admin-set-user-password --permanent.");
        }
        return new CliException(
                ExitCodes.SIGN_IN,
                "Sign-in failed: the user pool asked for the challenge " + challengeName
                        + ", which this CLI does not answer (MFA and custom challenges are not supported).");
    }

    private static String required(Map<String, String> challenge, String name) {
        String value = challenge.get(name);
        if (value == null || value.isEmpty()) {
            throw new CliException(ExitCodes.SIGN_IN, "Sign-in failed: the PASSWORD_VERIFIER challenge has no " + name);
        }
        return value;
    }

    private static Tokens tokens(AuthenticationResultType result) {
        if (result.idToken() == null || result.accessToken() == null) {
            throw new CliException(ExitCodes.SIGN_IN, "Sign-in failed: the user pool returned no IdToken/AccessToken");
        }
        return new Tokens(result.idToken(), result.accessToken());
    }
}
