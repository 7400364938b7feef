package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PreventUserExistenceErrorTypes;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SignUpResponse;

/** The steps most tests share, done through the public API the way an app does them. */
final class Journeys {

    private final GatehouseProcess gatehouse;

    Journeys(GatehouseProcess gatehouse) {
        this.gatehouse = gatehouse;
    }

    /** The unsigned client; taken anew on each call, so it follows a restart. */
    CognitoIdentityProviderClient client() {
        return gatehouse.client();
    }

    /** The default app client's id. */
    String clientId() {
        return gatehouse.outputs().userPoolClientId();
    }

    String poolId() {
        return gatehouse.outputs().userPoolId();
    }

    /** SignUp in the default (email-as-username) pool; the user is UNCONFIRMED. */
    SignUpResponse signUp(String email, String password) {
        return client().signUp(r -> r.clientId(clientId())
                .username(email)
                .password(password)
                .userAttributes(
                        AttributeType.builder().name("email").value(email).build()));
    }

    /** SignUp, then ConfirmSignUp with the code from the outbox; returns the user's {@code sub}. */
    String signUpConfirmed(String email, String password) {
        SignUpResponse signUp = signUp(email, password);
        String code = gatehouse.outbox().latestCode(email);
        client().confirmSignUp(r -> r.clientId(clientId()).username(email).confirmationCode(code));
        return signUp.userSub();
    }

    /** SignUp, then AdminConfirmSignUp (no outbox round trip). */
    void signUpAdminConfirmed(String email, String password) {
        signUp(email, password);
        gatehouse.adminClient().adminConfirmSignUp(r -> r.userPoolId(
                        gatehouse.outputs().userPoolId())
                .username(email));
    }

    /**
     * A confirmed user of {@code poolId} with the password {@link TestUsers#PASSWORD} and a verified email, made as an
     * administrator would (AdminCreateUser without a message, then a permanent AdminSetUserPassword).
     */
    void confirmedUser(String poolId, String email) {
        gatehouse.adminClient().adminCreateUser(r -> r.userPoolId(poolId)
                .username(email)
                .messageAction(MessageActionType.SUPPRESS)
                .userAttributes(
                        AttributeType.builder().name("email").value(email).build(),
                        AttributeType.builder()
                                .name("email_verified")
                                .value("true")
                                .build()));
        gatehouse.adminClient().adminSetUserPassword(r -> r.userPoolId(poolId)
                .username(email)
                .password(TestUsers.PASSWORD)
                .permanent(true));
    }

    /** A new client of the default pool allowing password, SRP and refresh sign-in, with this existence-error setting. */
    String passwordClient(PreventUserExistenceErrorTypes prevent) {
        return gatehouse
                .adminClient()
                .createUserPoolClient(r -> r.userPoolId(gatehouse.outputs().userPoolId())
                        .clientName("prevent-" + prevent + "-" + TestUsers.suffix())
                        .preventUserExistenceErrors(prevent)
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
    }

    InitiateAuthResponse initiatePasswordAuth(String clientId, String username, String password) {
        return client().initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", username, "PASSWORD", password)));
    }

    /** USER_PASSWORD_AUTH with the default client; asserts tokens (no challenge) came back. */
    AuthenticationResultType signIn(String username, String password) {
        return signIn(clientId(), username, password);
    }

    AuthenticationResultType signIn(String clientId, String username, String password) {
        InitiateAuthResponse response = initiatePasswordAuth(clientId, username, password);
        assertThat(response.challengeName()).as("challenge").isNull();
        assertThat(response.authenticationResult()).as("AuthenticationResult").isNotNull();
        return response.authenticationResult();
    }

    /** An identity-pool identity and its temporary credentials: a new user signed up, confirmed and signed in. */
    record IdentityCredentials(String identityId, AwsSessionCredentials credentials) {}

    /** Signs up {@code email} (admin-confirmed), signs in, and exchanges the id token at the stack's identity pool. */
    IdentityCredentials identityCredentials(String email, String password) {
        signUpAdminConfirmed(email, password);
        String idToken = signIn(email, password).idToken();
        Map<String, String> logins = Map.of(
                "cognito-idp.us-east-1.amazonaws.com/" + gatehouse.outputs().userPoolId(), idToken);
        try (CognitoIdentityClient identity = gatehouse.newIdentityClient(AnonymousCredentialsProvider.create())) {
            String identityId = identity.getId(r ->
                            r.identityPoolId(gatehouse.output("IdentityPoolId")).logins(logins))
                    .identityId();
            Credentials credentials = identity.getCredentialsForIdentity(
                            r -> r.identityId(identityId).logins(logins))
                    .credentials();
            return new IdentityCredentials(
                    identityId,
                    AwsSessionCredentials.create(
                            credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken()));
        }
    }

    AuthenticationResultType refresh(String refreshToken) {
        InitiateAuthResponse response = client().initiateAuth(r -> r.clientId(clientId())
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(Map.of("REFRESH_TOKEN", refreshToken)));
        assertThat(response.authenticationResult()).as("AuthenticationResult").isNotNull();
        return response.authenticationResult();
    }
}
