package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static dev.gatehouse.server.it.AwsErrors.assertAwsErrorIn;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PasswordPolicyType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UsernameAttributeType;

/** CreateUserPool / CreateUserPoolClient and their Describe / List operations, and sign-in in the new pools. */
class PoolsAndClientsIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("pools-clients");

    private static final List<ExplicitAuthFlowsType> PASSWORD_FLOWS =
            List.of(ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    private static UserPoolType createPlainPool() {
        return admin().createUserPool(r -> r.poolName("plain-" + TestUsers.suffix()))
                .userPool();
    }

    private static UserPoolClientType createClient(String poolId, boolean secret) {
        return admin().createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("app-" + TestUsers.suffix())
                        .generateSecret(secret)
                        .explicitAuthFlows(PASSWORD_FLOWS))
                .userPoolClient();
    }

    @Test
    void describeUserPoolWhenDefaultPoolThenEmailIsTheUsernameAttributeAndClientAllowsTheDocumentedFlows() {
        UserPoolType pool = admin().describeUserPool(
                        r -> r.userPoolId(GATEHOUSE.outputs().userPoolId()))
                .userPool();
        assertThat(pool.id()).isEqualTo(GATEHOUSE.outputs().userPoolId());
        assertThat(pool.usernameAttributes()).containsExactly(UsernameAttributeType.EMAIL);

        UserPoolClientType client = admin().describeUserPoolClient(
                        r -> r.userPoolId(GATEHOUSE.outputs().userPoolId())
                                .clientId(GATEHOUSE.outputs().userPoolClientId()))
                .userPoolClient();
        assertThat(client.clientId())
                .isEqualTo(GATEHOUSE.outputs().userPoolClientId())
                .matches("[a-z0-9]{26}");
        assertThat(client.clientSecret()).isNull();
        assertThat(client.explicitAuthFlows())
                .contains(
                        ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                        ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                        ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH,
                        ExplicitAuthFlowsType.ALLOW_ADMIN_USER_PASSWORD_AUTH);
    }

    @Test
    void createUserPoolWhenOnlyANameThenCognitoDefaultsAndDescribedAndListed() {
        UserPoolType created = createPlainPool();

        String region = GATEHOUSE.outputs().region();
        assertThat(created.id()).matches(region + "_[0-9A-Za-z]{9}");
        assertThat(created.arn()).matches("arn:aws:cognito-idp:" + region + ":\\d{12}:userpool/" + created.id());
        assertThat(created.usernameAttributes()).isEmpty();
        assertThat(created.creationDate()).isNotNull();
        PasswordPolicyType policy = created.policies().passwordPolicy();
        assertThat(policy.minimumLength()).isEqualTo(8);
        assertThat(policy.requireUppercase()).isTrue();
        assertThat(policy.requireLowercase()).isTrue();
        assertThat(policy.requireNumbers()).isTrue();
        assertThat(policy.requireSymbols()).isTrue();

        UserPoolType described =
                admin().describeUserPool(r -> r.userPoolId(created.id())).userPool();
        assertThat(described.id()).isEqualTo(created.id());
        assertThat(described.name()).isEqualTo(created.name());

        List<String> listed = admin().listUserPools(r -> r.maxResults(60)).userPools().stream()
                .map(UserPoolDescriptionType::id)
                .toList();
        assertThat(listed).contains(created.id(), GATEHOUSE.outputs().userPoolId());
    }

    @Test
    void describeUserPoolWhenUnknownThenResourceNotFound() {
        assertAwsError(
                () -> admin().describeUserPool(r -> r.userPoolId("us-east-1_NoSuchPoo")), "ResourceNotFoundException");
        assertAwsError(
                () -> admin().createUserPoolClient(
                                r -> r.userPoolId("us-east-1_NoSuchPoo").clientName("x")),
                "ResourceNotFoundException");
    }

    @Test
    void signInWhenPlainUsernamePoolThenTokensNameTheUserAndVerifyAgainstThatPoolsJwks() {
        UserPoolType pool = createPlainPool();
        UserPoolClientType app = createClient(pool.id(), false);
        assertThat(app.clientId()).matches("[a-z0-9]{26}");
        assertThat(app.clientSecret()).isNull();
        UserPoolClientType described = admin().describeUserPoolClient(
                        r -> r.userPoolId(pool.id()).clientId(app.clientId()))
                .userPoolClient();
        assertThat(described.clientName()).isEqualTo(app.clientName());
        assertThat(described.userPoolId()).isEqualTo(pool.id());
        assertThat(described.explicitAuthFlows()).containsExactlyInAnyOrderElementsOf(PASSWORD_FLOWS);
        String username = TestUsers.username("alice");
        String email = TestUsers.email("plain");

        client().signUp(r -> r.clientId(app.clientId())
                .username(username)
                .password(TestUsers.PASSWORD)
                .userAttributes(
                        AttributeType.builder().name("email").value(email).build()));
        admin().adminConfirmSignUp(r -> r.userPoolId(pool.id()).username(username));
        AuthenticationResultType tokens = client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", username, "PASSWORD", TestUsers.PASSWORD)))
                .authenticationResult();

        CognitoTokens verifier = CognitoTokens.discover(GATEHOUSE.outputs().issuer(pool.id()));
        JWTClaimsSet id = verifier.verifyIdToken(tokens.idToken(), app.clientId());
        assertThat(id.getClaim("cognito:username")).isEqualTo(username);
        assertThat(id.getClaim("email")).isEqualTo(email);
        JWTClaimsSet access = verifier.verifyAccessToken(tokens.accessToken(), app.clientId());
        assertThat(access.getClaim("username")).isEqualTo(username);
        assertThat(client().getUser(r -> r.accessToken(tokens.accessToken())).username())
                .isEqualTo(username);
        // the default pool's client does not know this user (its client prevents user-existence errors)
        assertAwsErrorIn(
                () -> client().initiateAuth(r -> r.clientId(GATEHOUSE.outputs().userPoolClientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", username, "PASSWORD", TestUsers.PASSWORD))),
                "UserNotFoundException",
                "NotAuthorizedException");
    }

    @Test
    void createUserPoolClientWhenGenerateSecretThenSecretHashIsRequiredEverywhere() {
        UserPoolType pool = createPlainPool();
        UserPoolClientType app = createClient(pool.id(), true);
        String secret = app.clientSecret();
        assertThat(secret).isNotBlank();
        assertThat(admin().describeUserPoolClient(r -> r.userPoolId(pool.id()).clientId(app.clientId()))
                        .userPoolClient()
                        .clientSecret())
                .isEqualTo(secret);
        String username = TestUsers.username("secret");
        String hash = TestUsers.secretHash(username, app.clientId(), secret);

        assertAwsError(
                () -> client().signUp(r ->
                        r.clientId(app.clientId()).username(username).password(TestUsers.PASSWORD)),
                "NotAuthorizedException");
        assertAwsError(
                () -> client().signUp(r -> r.clientId(app.clientId())
                        .username(username)
                        .password(TestUsers.PASSWORD)
                        .secretHash(TestUsers.secretHash(username, app.clientId(), secret + "x"))),
                "NotAuthorizedException");
        client().signUp(r -> r.clientId(app.clientId())
                .username(username)
                .password(TestUsers.PASSWORD)
                .secretHash(hash)
                .userAttributes(AttributeType.builder()
                        .name("email")
                        .value(TestUsers.email("secret"))
                        .build()));
        admin().adminConfirmSignUp(r -> r.userPoolId(pool.id()).username(username));

        assertAwsError(
                () -> client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(Map.of("USERNAME", username, "PASSWORD", TestUsers.PASSWORD))),
                "NotAuthorizedException");
        Map<String, String> parameters =
                new HashMap<>(Map.of("USERNAME", username, "PASSWORD", TestUsers.PASSWORD, "SECRET_HASH", hash));
        AuthenticationResultType tokens = client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                        .authParameters(parameters))
                .authenticationResult();
        assertThat(tokens.refreshToken()).isNotBlank();

        AuthenticationResultType refreshed = client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                        .authParameters(Map.of("REFRESH_TOKEN", tokens.refreshToken(), "SECRET_HASH", hash)))
                .authenticationResult();
        assertThat(refreshed.accessToken()).isNotBlank();
        client().revokeToken(
                        r -> r.clientId(app.clientId()).clientSecret(secret).token(tokens.refreshToken()));
    }

    @Test
    void createUserPoolWhenCustomPasswordPolicyThenSignUpEnforcesIt() {
        UserPoolType pool = admin().createUserPool(r -> r.poolName("policy-" + TestUsers.suffix())
                        .policies(p -> p.passwordPolicy(pp -> pp.minimumLength(12)
                                .requireSymbols(false)
                                .requireUppercase(true)
                                .requireLowercase(true)
                                .requireNumbers(true))))
                .userPool();
        UserPoolClientType app = createClient(pool.id(), false);
        assertThat(pool.policies().passwordPolicy().minimumLength()).isEqualTo(12);

        assertAwsError(
                () -> client().signUp(r -> r.clientId(app.clientId())
                        .username(TestUsers.username("short"))
                        .password("Abcdefgh1!")),
                "InvalidPasswordException");
        client().signUp(r ->
                r.clientId(app.clientId()).username(TestUsers.username("long")).password("Abcdefghijk1"));
    }
}
