package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DeletionProtectionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.OAuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.TimeUnitsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolMfaType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifiedAttributeType;

/** Changing and removing pools and app clients through the jar with the AWS SDK. */
class PoolLifecycleIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("pool-lifecycle");

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static UserPoolType newPool() {
        return admin().createUserPool(r -> r.poolName("life-" + TestUsers.suffix())
                        .autoVerifiedAttributes(VerifiedAttributeType.EMAIL)
                        .policies(
                                p -> p.passwordPolicy(pp -> pp.minimumLength(12).requireSymbols(false))))
                .userPool();
    }

    private static void addUser(String poolId, String name) {
        admin().adminCreateUser(r -> r.userPoolId(poolId)
                .username(name)
                .messageAction("SUPPRESS")
                .userAttributes(AttributeType.builder()
                        .name("email")
                        .value(name + "@example.com")
                        .build()));
    }

    @Test
    void updateUserPoolWhenMembersOmittedThenDocumentedOnesResetAndMeasuredOnesKept() {
        UserPoolType pool = newPool();
        admin().updateUserPool(r -> r.userPoolId(pool.id())
                .deletionProtection(DeletionProtectionType.ACTIVE)
                .userPoolTags(Map.of("team", "blue")));

        UserPoolType after =
                admin().describeUserPool(r -> r.userPoolId(pool.id())).userPool();
        assertThat(after.name()).isEqualTo(pool.name());
        assertThat(after.deletionProtection()).isEqualTo(DeletionProtectionType.ACTIVE);
        assertThat(after.policies().passwordPolicy().minimumLength()).as("kept").isEqualTo(12);
        assertThat(after.autoVerifiedAttributes()).as("reset when omitted").isEmpty();
        assertThat(after.userPoolTags()).containsEntry("team", "blue");
        assertThat(after.creationDate()).isEqualTo(pool.creationDate());
        assertThat(after.schemaAttributes()).hasSameSizeAs(pool.schemaAttributes());
        assertAwsError(
                () -> admin().updateUserPool(r -> r.userPoolId(pool.id()).mfaConfiguration(UserPoolMfaType.ON)),
                "InvalidParameterException");
        assertAwsError(
                () -> admin().updateUserPool(r -> r.userPoolId("us-east-1_NoSuchPoo")), "ResourceNotFoundException");
    }

    @Test
    void deleteUserPoolWhenProtectedThenRefusedAndOtherwiseEverythingInItGoes() {
        UserPoolType pool = newPool();
        addUser(pool.id(), "carol");
        addUser(pool.id(), "dave");
        UserPoolClientType app = admin().createUserPoolClient(
                        r -> r.userPoolId(pool.id()).clientName("app"))
                .userPoolClient();
        admin().createGroup(r -> r.userPoolId(pool.id()).groupName("g"));
        assertThat(admin().describeUserPool(r -> r.userPoolId(pool.id()))
                        .userPool()
                        .estimatedNumberOfUsers())
                .isEqualTo(2);
        admin().updateUserPool(r -> r.userPoolId(pool.id()).deletionProtection(DeletionProtectionType.ACTIVE));

        assertAwsError(
                () -> admin().deleteUserPool(r -> r.userPoolId(pool.id())),
                "InvalidParameterException",
                "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be "
                        + "inactivated first.");
        admin().updateUserPool(r -> r.userPoolId(pool.id()).deletionProtection(DeletionProtectionType.INACTIVE));
        admin().deleteUserPool(r -> r.userPoolId(pool.id()));

        assertAwsError(() -> admin().describeUserPool(r -> r.userPoolId(pool.id())), "ResourceNotFoundException");
        assertAwsError(
                () -> admin().adminGetUser(r -> r.userPoolId(pool.id()).username("carol")),
                "ResourceNotFoundException");
        assertAwsError(
                () -> GATEHOUSE.client().initiateAuth(r -> r.clientId(app.clientId())
                        .authFlow(AuthFlowType.USER_SRP_AUTH)
                        .authParameters(Map.of("USERNAME", "carol", "SRP_A", "1"))),
                "ResourceNotFoundException");
        assertAwsError(() -> admin().deleteUserPool(r -> r.userPoolId(pool.id())), "ResourceNotFoundException");
    }

    @Test
    void createUserPoolClientWhenOAuthMembersGivenThenEveryOneIsKeptAndDescribed() {
        UserPoolType pool = newPool();
        UserPoolClientType created = admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientName("web")
                        .allowedOAuthFlowsUserPoolClient(true)
                        .allowedOAuthFlows(OAuthFlowType.CODE)
                        .allowedOAuthScopes("openid", "email")
                        .callbackURLs("https://app.example.com/cb", "http://localhost:3000/")
                        .logoutURLs("https://app.example.com/bye")
                        .defaultRedirectURI("https://app.example.com/cb")
                        .supportedIdentityProviders("COGNITO")
                        .accessTokenValidity(30)
                        .idTokenValidity(30)
                        .refreshTokenValidity(7)
                        .tokenValidityUnits(u -> u.accessToken(TimeUnitsType.MINUTES)
                                .idToken(TimeUnitsType.MINUTES)
                                .refreshToken(TimeUnitsType.DAYS))
                        .enableTokenRevocation(false))
                .userPoolClient();

        UserPoolClientType described = admin().describeUserPoolClient(
                        r -> r.userPoolId(pool.id()).clientId(created.clientId()))
                .userPoolClient();
        assertThat(described.allowedOAuthFlowsUserPoolClient()).isTrue();
        assertThat(described.allowedOAuthFlows()).containsExactly(OAuthFlowType.CODE);
        assertThat(described.allowedOAuthScopes()).containsExactly("openid", "email");
        assertThat(described.callbackURLs()).containsExactly("https://app.example.com/cb", "http://localhost:3000/");
        assertThat(described.logoutURLs()).containsExactly("https://app.example.com/bye");
        assertThat(described.defaultRedirectURI()).isEqualTo("https://app.example.com/cb");
        assertThat(described.supportedIdentityProviders()).containsExactly("COGNITO");
        assertThat(described.accessTokenValidity()).isEqualTo(30);
        assertThat(described.tokenValidityUnits().accessToken()).isEqualTo(TimeUnitsType.MINUTES);
        assertThat(described.refreshTokenValidity()).isEqualTo(7);
        assertThat(described.enableTokenRevocation()).isFalse();
    }

    @Test
    void createUserPoolClientWhenOAuthRulesBrokenThenCognitosErrors() {
        UserPoolType pool = newPool();
        assertAwsError(
                () -> admin().createUserPoolClient(
                                r -> r.userPoolId(pool.id()).clientName("a").allowedOAuthFlows(OAuthFlowType.CODE)),
                "InvalidOAuthFlowException",
                "CallbackUrls can not be empty when code flow or implicit flow is selected");
        assertAwsError(
                () -> admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientName("a")
                        .allowedOAuthFlows(OAuthFlowType.CODE)
                        .callbackURLs("http://app.example.com/cb")),
                "InvalidParameterException");
        assertAwsError(
                () -> admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientName("a")
                        .allowedOAuthFlowsWithStrings("code", "token")
                        .callbackURLs("https://app.example.com/cb")),
                "InvalidParameterException",
                "1 validation error detected: Value '[code, token]' at 'allowedOAuthFlows' "
                        + "failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
                        + "[code, implicit, client_credentials]]");
        assertAwsError(
                () -> admin().createUserPoolClient(
                                r -> r.userPoolId(pool.id()).clientName("a").supportedIdentityProviders("Google")),
                "InvalidParameterException");
    }

    @Test
    void updateUserPoolClientWhenGivenSomeMembersThenOthersResetAndSecretAndNameKept() {
        UserPoolType pool = newPool();
        UserPoolClientType created = admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientName("svc")
                        .generateSecret(true)
                        .callbackURLs("https://a.example.com/")
                        .enableTokenRevocation(false))
                .userPoolClient();

        UserPoolClientType updated = admin().updateUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientId(created.clientId())
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient();

        assertThat(updated.clientName()).isEqualTo("svc");
        assertThat(updated.clientSecret()).isEqualTo(created.clientSecret());
        assertThat(updated.callbackURLs()).as("reset when omitted").isEmpty();
        assertThat(updated.enableTokenRevocation()).isTrue();
        assertThat(updated.explicitAuthFlows())
                .containsExactly(
                        ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH, ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH);
        assertThat(updated.creationDate()).isEqualTo(created.creationDate());
        assertAwsError(
                () -> admin().updateUserPoolClient(r -> r.userPoolId(pool.id()).clientId("nosuchclient")),
                "ResourceNotFoundException");
    }

    @Test
    void listAndDeleteUserPoolClientsWhenPagedThenEachOnceAndDeletedOneGone() {
        UserPoolType pool = newPool();
        List<String> ids = new ArrayList<>();
        for (String name : List.of("one", "two", "three")) {
            ids.add(admin().createUserPoolClient(r -> r.userPoolId(pool.id()).clientName(name))
                    .userPoolClient()
                    .clientId());
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            var page = admin().listUserPoolClients(
                            r -> r.userPoolId(pool.id()).maxResults(2).nextToken(next));
            page.userPoolClients().forEach(c -> assertThat(c.userPoolId()).isEqualTo(pool.id()));
            page.userPoolClients().stream()
                    .map(UserPoolClientDescription::clientId)
                    .forEach(seen::add);
            token = page.nextToken();
        } while (token != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

        admin().deleteUserPoolClient(r -> r.userPoolId(pool.id()).clientId(ids.get(0)));
        assertAwsError(
                () -> admin().describeUserPoolClient(
                                r -> r.userPoolId(pool.id()).clientId(ids.get(0))),
                "ResourceNotFoundException");
        assertThat(admin().listUserPoolClients(r -> r.userPoolId(pool.id())).userPoolClients())
                .extracting(UserPoolClientDescription::clientId)
                .containsExactlyInAnyOrder(ids.get(1), ids.get(2));
    }

    @Test
    void initiateAuthWhenClientHasLegacyFlowsOnlyThenSrpStillAllowed() {
        UserPoolType pool = newPool();
        UserPoolClientType app = admin().createUserPoolClient(r ->
                        r.userPoolId(pool.id()).clientName("legacy").explicitAuthFlowsWithStrings("USER_PASSWORD_AUTH"))
                .userPoolClient();
        addUser(pool.id(), "erin");
        admin().adminSetUserPassword(r -> r.userPoolId(pool.id())
                .username("erin")
                .password(TestUsers.PASSWORD)
                .permanent(true));

        var response = GATEHOUSE.client().initiateAuth(r -> r.clientId(app.clientId())
                .authFlow(AuthFlowType.USER_SRP_AUTH)
                .authParameters(Map.of("USERNAME", "erin", "SRP_A", "abcdef0123456789")));

        assertThat(response.challengeName()).isEqualTo(ChallengeNameType.PASSWORD_VERIFIER);
        assertThat(app.explicitAuthFlowsAsStrings()).containsExactly("USER_PASSWORD_AUTH");
    }
}
