package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.CreateIdentityPoolResponse;
import software.amazon.awssdk.services.cognitoidentity.model.IdentityPoolShortDescription;

/** UpdateIdentityPool and DeleteIdentityPool through the jar with the AWS SDK, and ValidationException. */
class IdentityPoolLifecycleIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("identity-lifecycle");

    private static CognitoIdentityClient admin;

    @BeforeAll
    static void client() {
        ProfileFile file = ProfileFile.builder()
                .content(GATEHOUSE.outputs().adminCredentialsFile())
                .type(ProfileFile.Type.CREDENTIALS)
                .build();
        admin = GATEHOUSE.newIdentityClient(ProfileCredentialsProvider.builder()
                .profileFile(file)
                .profileName("default")
                .build());
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static CreateIdentityPoolResponse newPool() {
        return admin.createIdentityPool(r -> r.identityPoolName("life " + TestUsers.suffix())
                .allowUnauthenticatedIdentities(true)
                .developerProviderName("login.example"));
    }

    @Test
    void updateIdentityPoolWhenGivenADescriptionThenItReplacesTheOldOne() {
        CreateIdentityPoolResponse pool = newPool();

        var updated = admin.updateIdentityPool(r -> r.identityPoolId(pool.identityPoolId())
                .identityPoolName("renamed")
                .allowUnauthenticatedIdentities(false));

        assertThat(updated.identityPoolId()).isEqualTo(pool.identityPoolId());
        assertThat(updated.identityPoolName()).isEqualTo("renamed");
        var described = admin.describeIdentityPool(r -> r.identityPoolId(pool.identityPoolId()));
        assertThat(described.allowUnauthenticatedIdentities()).isFalse();
        assertThat(described.developerProviderName()).as("a full replacement").isNull();
    }

    @Test
    void updateIdentityPoolWhenInputBreaksTheModelThenValidationExceptionEchoingTheValue() {
        CreateIdentityPoolResponse pool = newPool();
        assertAwsError(
                () -> admin.updateIdentityPool(r -> r.identityPoolId(pool.identityPoolId())
                        .identityPoolName("pool#name")
                        .allowUnauthenticatedIdentities(false)),
                "ValidationException",
                "1 validation error detected: Value 'pool#name' at 'identityPoolName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+");
        assertAwsError(
                () -> admin.updateIdentityPool(r -> r.identityPoolId("us-east-1:00000000-0000-0000-0000-000000000000")
                        .identityPoolName("x")
                        .allowUnauthenticatedIdentities(false)),
                "ResourceNotFoundException");
    }

    @Test
    void developerIdentityWhenTokenIssuedThenSameIdentityPerUserAndTokenBuysAuthenticatedCredentials() {
        CreateIdentityPoolResponse pool = newPool();
        String role = "arn:aws:iam::123456789012:role/dev-users";
        admin.setIdentityPoolRoles(r -> r.identityPoolId(pool.identityPoolId()).roles(Map.of("authenticated", role)));

        var first = admin.getOpenIdTokenForDeveloperIdentity(r -> r.identityPoolId(pool.identityPoolId())
                .logins(Map.of("login.example", "user-42"))
                .tokenDuration(600L));
        var again = admin.getOpenIdTokenForDeveloperIdentity(
                r -> r.identityPoolId(pool.identityPoolId()).logins(Map.of("login.example", "user-42")));
        assertThat(again.identityId()).isEqualTo(first.identityId());

        var credentials = GATEHOUSE
                .newIdentityClient(AnonymousCredentialsProvider.create())
                .getCredentialsForIdentity(r -> r.identityId(first.identityId())
                        .logins(Map.of("cognito-identity.amazonaws.com", first.token())))
                .credentials();
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(admin.describeIdentity(r -> r.identityId(first.identityId())).logins())
                .contains("login.example");

        String forged = first.token().substring(0, first.token().length() - 4) + "AAAA";
        assertAwsError(
                () -> GATEHOUSE
                        .newIdentityClient(AnonymousCredentialsProvider.create())
                        .getCredentialsForIdentity(r -> r.identityId(first.identityId())
                                .logins(Map.of("cognito-identity.amazonaws.com", forged))),
                "NotAuthorizedException");
        assertAwsError(
                () -> admin.getOpenIdTokenForDeveloperIdentity(
                        r -> r.identityPoolId(pool.identityPoolId()).logins(Map.of("other.example", "user-42"))),
                "NotAuthorizedException");
        assertAwsError(
                () -> admin.getOpenIdTokenForDeveloperIdentity(r -> r.identityPoolId(pool.identityPoolId())
                        .logins(Map.of("login.example", "user-42"))
                        .tokenDuration(100_000L)),
                "ValidationException");
    }

    @Test
    void developerIdentityWhenIdentityIdGivenThenTheUserIdIsLinkedToThatIdentity() {
        CreateIdentityPoolResponse pool = newPool();
        String guest = GATEHOUSE
                .newIdentityClient(AnonymousCredentialsProvider.create())
                .getId(r -> r.identityPoolId(pool.identityPoolId()))
                .identityId();

        var linked = admin.getOpenIdTokenForDeveloperIdentity(r ->
                r.identityPoolId(pool.identityPoolId()).identityId(guest).logins(Map.of("login.example", "user-7")));

        assertThat(linked.identityId()).isEqualTo(guest);
        assertThat(admin.describeIdentity(r -> r.identityId(guest)).logins()).containsExactly("login.example");
        assertAwsError(
                () -> admin.getOpenIdTokenForDeveloperIdentity(r -> r.identityPoolId(pool.identityPoolId())
                        .identityId(newPoolGuest())
                        .logins(Map.of("login.example", "user-7"))),
                "ResourceConflictException");
    }

    private static String newPoolGuest() {
        CreateIdentityPoolResponse other = newPool();
        return GATEHOUSE
                .newIdentityClient(AnonymousCredentialsProvider.create())
                .getId(r -> r.identityPoolId(other.identityPoolId()))
                .identityId();
    }

    @Test
    void deleteIdentityPoolWhenDeletedThenGoneFromDescribeAndList() {
        CreateIdentityPoolResponse pool = newPool();

        admin.deleteIdentityPool(r -> r.identityPoolId(pool.identityPoolId()));

        assertAwsError(
                () -> admin.describeIdentityPool(r -> r.identityPoolId(pool.identityPoolId())),
                "ResourceNotFoundException");
        assertThat(admin.listIdentityPools(r -> r.maxResults(60)).identityPools())
                .extracting(IdentityPoolShortDescription::identityPoolId)
                .doesNotContain(pool.identityPoolId());
        assertAwsError(
                () -> admin.deleteIdentityPool(r -> r.identityPoolId(pool.identityPoolId())),
                "ResourceNotFoundException");
        assertAwsError(() -> admin.deleteIdentityPool(r -> r.identityPoolId("no-colon")), "ValidationException");
    }
}
