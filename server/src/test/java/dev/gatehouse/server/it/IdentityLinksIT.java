package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.GetOpenIdTokenForDeveloperIdentityResponse;
import software.amazon.awssdk.services.cognitoidentity.model.UnprocessedIdentityId;

/**
 * LookupDeveloperIdentity, MergeDeveloperIdentities, UnlinkDeveloperIdentity, UnlinkIdentity and DeleteIdentities
 * through the jar with the AWS SDK, including the refusals, and that a deleted or merged identity gets no credentials.
 */
class IdentityLinksIT {

    private static final String DEV = "login.example";

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("identity-links");

    private static CognitoIdentityClient admin;
    private static CognitoIdentityClient anonymous;
    private static String poolId;

    @BeforeAll
    static void pool() {
        admin = GATEHOUSE.newIdentityClient(GATEHOUSE.adminCredentialsProvider());
        anonymous = GATEHOUSE.newIdentityClient(AnonymousCredentialsProvider.create());
        poolId = admin.createIdentityPool(r -> r.identityPoolName("links")
                        .allowUnauthenticatedIdentities(false)
                        .developerProviderName(DEV)
                        .cognitoIdentityProviders(p -> p.providerName(userPoolProvider())
                                .clientId(GATEHOUSE.outputs().userPoolClientId())))
                .identityPoolId();
        admin.setIdentityPoolRoles(
                r -> r.identityPoolId(poolId).roles(Map.of("authenticated", "arn:aws:iam::123456789012:role/dev")));
    }

    @AfterAll
    static void close() {
        admin.close();
        anonymous.close();
    }

    private static String userPoolProvider() {
        return "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId();
    }

    private static GetOpenIdTokenForDeveloperIdentityResponse token(String user) {
        return admin.getOpenIdTokenForDeveloperIdentity(
                r -> r.identityPoolId(poolId).logins(Map.of(DEV, user)));
    }

    private static void credentials(GetOpenIdTokenForDeveloperIdentityResponse token) {
        anonymous.getCredentialsForIdentity(
                r -> r.identityId(token.identityId()).logins(Map.of("cognito-identity.amazonaws.com", token.token())));
    }

    private static String user() {
        return "user-" + TestUsers.suffix();
    }

    @Test
    void mergeDeveloperIdentitiesWhenMergedThenLookupListsBothAndSourceIdentityGetsNoCredentials() {
        String one = user();
        String two = user();
        var destination = token(one);
        var source = token(two);

        var merged = admin.mergeDeveloperIdentities(r -> r.identityPoolId(poolId)
                .developerProviderName(DEV)
                .sourceUserIdentifier(two)
                .destinationUserIdentifier(one));

        assertThat(merged.identityId()).isEqualTo(destination.identityId());
        var byUser = admin.lookupDeveloperIdentity(r -> r.identityPoolId(poolId).developerUserIdentifier(two));
        assertThat(byUser.identityId()).isEqualTo(destination.identityId());
        assertThat(byUser.developerUserIdentifierList()).containsExactlyInAnyOrder(one, two);
        var firstPage = admin.lookupDeveloperIdentity(r ->
                r.identityPoolId(poolId).identityId(destination.identityId()).maxResults(1));
        assertThat(firstPage.developerUserIdentifierList()).hasSize(1);
        assertThat(firstPage.nextToken()).isNotNull();
        assertAwsError(() -> credentials(source), "ResourceNotFoundException");
        credentials(token(two));
        assertAwsError(
                () -> admin.mergeDeveloperIdentities(r -> r.identityPoolId(poolId)
                        .developerProviderName("other.example")
                        .sourceUserIdentifier(two)
                        .destinationUserIdentifier(one)),
                "NotAuthorizedException");
        assertAwsError(() -> admin.lookupDeveloperIdentity(r -> r.identityPoolId(poolId)), "InvalidParameterException");
        assertAwsError(
                () -> admin.lookupDeveloperIdentity(r -> r.identityPoolId(poolId)
                        .identityId(token(user()).identityId())
                        .developerUserIdentifier(one)),
                "ResourceConflictException");
        assertAwsError(
                () -> admin.lookupDeveloperIdentity(
                        r -> r.identityPoolId(poolId).developerUserIdentifier("nobody")),
                "ResourceNotFoundException");
    }

    @Test
    void mergeDeveloperIdentitiesWhenBothLinkedToDifferentUserPoolUsersThenResourceConflict() {
        Journeys journeys = new Journeys(GATEHOUSE);
        String one = user();
        String two = user();
        admin.getOpenIdTokenForDeveloperIdentity(r ->
                r.identityPoolId(poolId).identityId(userPoolIdentity(journeys)).logins(Map.of(DEV, one)));
        admin.getOpenIdTokenForDeveloperIdentity(r ->
                r.identityPoolId(poolId).identityId(userPoolIdentity(journeys)).logins(Map.of(DEV, two)));

        assertAwsError(
                () -> admin.mergeDeveloperIdentities(r -> r.identityPoolId(poolId)
                        .developerProviderName(DEV)
                        .sourceUserIdentifier(two)
                        .destinationUserIdentifier(one)),
                "ResourceConflictException");
    }

    private static String userPoolIdentity(Journeys journeys) {
        String email = TestUsers.email("links");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String idToken = journeys.signIn(email, TestUsers.PASSWORD).idToken();
        return anonymous
                .getId(r -> r.identityPoolId(poolId).logins(Map.of(userPoolProvider(), idToken)))
                .identityId();
    }

    @Test
    void unlinkIdentityWhenUserPoolLoginRemovedThenTheUserGetsANewIdentity() {
        Journeys journeys = new Journeys(GATEHOUSE);
        String email = TestUsers.email("unlink");
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        Map<String, String> logins = Map.of(
                userPoolProvider(), journeys.signIn(email, TestUsers.PASSWORD).idToken());
        String identityId =
                anonymous.getId(r -> r.identityPoolId(poolId).logins(logins)).identityId();
        String developerUser = user();
        admin.getOpenIdTokenForDeveloperIdentity(
                r -> r.identityPoolId(poolId).identityId(identityId).logins(Map.of(DEV, developerUser)));

        anonymous.unlinkIdentity(r -> r.identityId(identityId).logins(logins).loginsToRemove(userPoolProvider()));

        assertThat(admin.describeIdentity(r -> r.identityId(identityId)).logins())
                .containsExactly(DEV);
        assertThat(anonymous.getId(r -> r.identityPoolId(poolId).logins(logins)).identityId())
                .isNotEqualTo(identityId);
        assertAwsError(
                () -> anonymous.unlinkIdentity(
                        r -> r.identityId(identityId).logins(logins).loginsToRemove(userPoolProvider())),
                "NotAuthorizedException");
    }

    @Test
    void unlinkDeveloperIdentityWhenLastLoginThenIdentityGoneAndUserGetsANewOne() {
        String developerUser = user();
        var token = token(developerUser);

        admin.unlinkDeveloperIdentity(r -> r.identityPoolId(poolId)
                .identityId(token.identityId())
                .developerProviderName(DEV)
                .developerUserIdentifier(developerUser));

        assertAwsError(() -> credentials(token), "ResourceNotFoundException");
        assertAwsError(
                () -> admin.unlinkDeveloperIdentity(r -> r.identityPoolId(poolId)
                        .identityId(token.identityId())
                        .developerProviderName(DEV)
                        .developerUserIdentifier(developerUser)),
                "ResourceNotFoundException");
        assertThat(token(developerUser).identityId()).isNotEqualTo(token.identityId());
    }

    @Test
    void deleteIdentitiesWhenDeletedThenDescribeAndCredentialsRefused() {
        var token = token(user());

        var answer = admin.deleteIdentities(
                r -> r.identityIdsToDelete(token.identityId(), "us-east-1:00000000-0000-0000-0000-000000000000"));

        assertThat(answer.unprocessedIdentityIds())
                .extracting(UnprocessedIdentityId::identityId)
                .isEmpty();
        assertAwsError(() -> credentials(token), "ResourceNotFoundException");
        assertAwsError(
                () -> admin.describeIdentity(r -> r.identityId(token.identityId())), "ResourceNotFoundException");
        assertAwsError(() -> admin.deleteIdentities(r -> r.identityIdsToDelete("not-an-id")), "ValidationException");
        assertAwsError(
                () -> anonymous.deleteIdentities(r -> r.identityIdsToDelete(token.identityId())),
                "MissingAuthenticationTokenException");
    }

    @Test
    void tagResourceWhenTaggedAndUntaggedThenListedAndUnknownArnRefused() {
        String account = GATEHOUSE
                .adminClient()
                .describeUserPool(r -> r.userPoolId(GATEHOUSE.outputs().userPoolId()))
                .userPool()
                .arn()
                .split(":")[4];
        String arn = "arn:aws:cognito-identity:us-east-1:" + account + ":identitypool/" + poolId;

        admin.tagResource(r -> r.resourceArn(arn).tags(Map.of("team", "blue", "env", "test")));
        admin.untagResource(r -> r.resourceArn(arn).tagKeys("env"));

        assertThat(admin.listTagsForResource(r -> r.resourceArn(arn)).tags())
                .containsExactly(Map.entry("team", "blue"));
        assertThat(admin.describeIdentityPool(r -> r.identityPoolId(poolId)).identityPoolTags())
                .containsExactly(Map.entry("team", "blue"));
        assertAwsError(
                () -> admin.listTagsForResource(r -> r.resourceArn(arn.replace("identitypool/", "identitypool/x"))),
                "ResourceNotFoundException");
    }
}
