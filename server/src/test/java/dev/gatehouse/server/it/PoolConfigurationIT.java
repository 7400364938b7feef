package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.DomainStatusType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.IdentityProviderType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.IdentityProviderTypeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerScopeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ResourceServerType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;

/** Identity providers, resource servers, domains and AdminResetUserPassword through the jar with the AWS SDK. */
class PoolConfigurationIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("pool-config");

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static UserPoolType newPool() {
        return admin().createUserPool(r -> r.poolName("cfg-" + TestUsers.suffix()))
                .userPool();
    }

    private static ResourceServerScopeType scope(String name) {
        return ResourceServerScopeType.builder()
                .scopeName(name)
                .scopeDescription("may " + name)
                .build();
    }

    @Test
    void resourceServersWhenCreatedUpdatedListedDeletedThenAsCognito() {
        UserPoolType pool = newPool();
        ResourceServerType created = admin().createResourceServer(r -> r.userPoolId(pool.id())
                        .identifier("https://api.example.com")
                        .name("api")
                        .scopes(scope("read"), scope("write")))
                .resourceServer();
        assertThat(created.scopes())
                .extracting(ResourceServerScopeType::scopeName)
                .containsExactly("read", "write");

        assertAwsError(
                () -> admin().createResourceServer(r -> r.userPoolId(pool.id())
                        .identifier("https://api.example.com")
                        .name("again")),
                "InvalidParameterException");
        admin().updateResourceServer(r -> r.userPoolId(pool.id())
                .identifier("https://api.example.com")
                .name("api2")
                .scopes(scope("admin")));
        ResourceServerType described = admin().describeResourceServer(
                        r -> r.userPoolId(pool.id()).identifier("https://api.example.com"))
                .resourceServer();
        assertThat(described.name()).isEqualTo("api2");
        assertThat(described.scopes())
                .extracting(ResourceServerScopeType::scopeName)
                .containsExactly("admin");
        assertThat(admin().listResourceServers(r -> r.userPoolId(pool.id()).maxResults(10))
                        .resourceServers())
                .extracting(ResourceServerType::identifier)
                .containsExactly("https://api.example.com");

        assertThat(admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                                .clientName("m2m")
                                .generateSecret(true)
                                .allowedOAuthFlowsWithStrings("client_credentials")
                                .allowedOAuthFlowsUserPoolClient(true)
                                .allowedOAuthScopes("https://api.example.com/admin"))
                        .userPoolClient()
                        .allowedOAuthScopes())
                .containsExactly("https://api.example.com/admin");
        assertAwsError(
                () -> admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                        .clientName("m2m")
                        .generateSecret(true)
                        .allowedOAuthFlowsWithStrings("client_credentials")
                        .allowedOAuthScopes("https://api.example.com/read")),
                "ScopeDoesNotExistException");
        admin().deleteResourceServer(r -> r.userPoolId(pool.id()).identifier("https://api.example.com"));
        assertAwsError(
                () -> admin().describeResourceServer(
                                r -> r.userPoolId(pool.id()).identifier("https://api.example.com")),
                "ResourceNotFoundException");
        assertAwsError(
                () -> admin().createResourceServer(
                                r -> r.userPoolId(pool.id()).identifier("x").name("bad name!")),
                "InvalidParameterException");
    }

    @Test
    void identityProvidersWhenCreatedThenDescribedWithCognitosDetailsAndUsableByClients() {
        UserPoolType pool = newPool();
        admin().createIdentityProvider(r -> r.userPoolId(pool.id())
                .providerName("Google")
                .providerType(IdentityProviderTypeType.GOOGLE)
                .providerDetails(Map.of(
                        "client_id", "cid", "client_secret", "secret", "authorize_scopes", "email profile openid"))
                .attributeMapping(Map.of("email", "email"))
                .idpIdentifiers("gmail"));

        IdentityProviderType described = admin().describeIdentityProvider(
                        r -> r.userPoolId(pool.id()).providerName("Google"))
                .identityProvider();
        assertThat(described.providerDetails())
                .containsEntry("client_id", "cid")
                .containsEntry("oidc_issuer", "https://accounts.google.com")
                .containsKey("token_url");
        assertThat(described.attributeMapping()).containsEntry("email", "email");
        assertThat(admin().getIdentityProviderByIdentifier(
                                r -> r.userPoolId(pool.id()).idpIdentifier("gmail"))
                        .identityProvider()
                        .providerName())
                .isEqualTo("Google");
        assertThat(admin().listIdentityProviders(r -> r.userPoolId(pool.id())).providers())
                .hasSize(1);
        assertThat(admin().createUserPoolClient(r -> r.userPoolId(pool.id())
                                .clientName("web")
                                .supportedIdentityProviders("COGNITO", "Google"))
                        .userPoolClient()
                        .supportedIdentityProviders())
                .containsExactly("COGNITO", "Google");

        assertAwsError(
                () -> admin().createIdentityProvider(r -> r.userPoolId(pool.id())
                        .providerName("Google")
                        .providerType(IdentityProviderTypeType.GOOGLE)
                        .providerDetails(Map.of("client_id", "c", "client_secret", "s", "authorize_scopes", "email"))),
                "DuplicateProviderException");
        assertAwsError(
                () -> admin().createIdentityProvider(r -> r.userPoolId(pool.id())
                        .providerName("MyOidc")
                        .providerType(IdentityProviderTypeType.OIDC)
                        .providerDetails(Map.of("client_id", "c"))),
                "InvalidParameterException");
        admin().updateIdentityProvider(r -> r.userPoolId(pool.id())
                .providerName("Google")
                .attributeMapping(Map.of("email", "email", "name", "name")));
        admin().deleteIdentityProvider(r -> r.userPoolId(pool.id()).providerName("Google"));
        assertAwsError(
                () -> admin().describeIdentityProvider(
                                r -> r.userPoolId(pool.id()).providerName("Google")),
                "ResourceNotFoundException");
    }

    @Test
    void userPoolDomainWhenCreatedThenActiveOnThePoolAndUniqueAndFreeNamesDescribeEmpty() {
        UserPoolType pool = newPool();
        String prefix = "gh-" + TestUsers.suffix().toLowerCase(java.util.Locale.ROOT);
        admin().createUserPoolDomain(r -> r.userPoolId(pool.id()).domain(prefix));

        var description = admin().describeUserPoolDomain(r -> r.domain(prefix)).domainDescription();
        assertThat(description.userPoolId()).isEqualTo(pool.id());
        assertThat(description.status()).isEqualTo(DomainStatusType.ACTIVE);
        assertThat(admin().describeUserPool(r -> r.userPoolId(pool.id()))
                        .userPool()
                        .domain())
                .isEqualTo(prefix);
        assertThat(admin().describeUserPoolDomain(r -> r.domain("free-" + prefix))
                        .domainDescription()
                        .userPoolId())
                .isNull();
        UserPoolType other = newPool();
        assertAwsError(
                () -> admin().createUserPoolDomain(r -> r.userPoolId(other.id()).domain(prefix)),
                "InvalidParameterException");
        assertAwsError(
                () -> admin().createUserPoolDomain(r -> r.userPoolId(pool.id()).domain("Not_A_Prefix")),
                "InvalidParameterException");
        assertAwsError(() -> admin().deleteUserPool(r -> r.userPoolId(pool.id())), "InvalidParameterException");

        admin().deleteUserPoolDomain(r -> r.userPoolId(pool.id()).domain(prefix));
        assertThat(admin().describeUserPool(r -> r.userPoolId(pool.id()))
                        .userPool()
                        .domain())
                .isNull();
        admin().deleteUserPool(r -> r.userPoolId(pool.id()));
    }

    @Test
    void adminResetUserPasswordWhenDoneThenSignInNeedsResetAndTheMailedCodeSetsANewPassword() {
        String email = TestUsers.email("reset");
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpConfirmed(email, TestUsers.PASSWORD);

        admin().adminResetUserPassword(
                        r -> r.userPoolId(GATEHOUSE.outputs().userPoolId()).username(email));

        assertAwsError(
                () -> journeys.initiatePasswordAuth(GATEHOUSE.outputs().userPoolClientId(), email, TestUsers.PASSWORD),
                "PasswordResetRequiredException");
        String code = GATEHOUSE.outbox().latestCode(email);
        GATEHOUSE.client().confirmForgotPassword(r -> r.clientId(
                        GATEHOUSE.outputs().userPoolClientId())
                .username(email)
                .confirmationCode(code)
                .password(TestUsers.OTHER_PASSWORD));
        assertThat(journeys.signIn(email, TestUsers.OTHER_PASSWORD).accessToken())
                .isNotEmpty();
        assertAwsError(
                () -> admin().adminResetUserPassword(r ->
                        r.userPoolId(GATEHOUSE.outputs().userPoolId()).username("nobody@example.com")),
                "UserNotFoundException");
    }
}
