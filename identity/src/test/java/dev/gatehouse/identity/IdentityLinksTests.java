package dev.gatehouse.identity;

import static dev.gatehouse.identity.IdentityFixture.awsKey;
import static dev.gatehouse.identity.IdentityFixture.forIdentity;
import static dev.gatehouse.identity.IdentityFixture.getId;
import static dev.gatehouse.identity.IdentityFixture.localKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.identity.IdentityFixture.Response;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.store.Key;
import dev.gatehouse.store.Query;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityLinksTests {

    private static final String DEV = "login.example";

    private final IdentityFixture f = new IdentityFixture();
    private final String poolId = createDeveloperPool();

    private String createDeveloperPool() {
        ObjectNode body = AwsJson.mapper()
                .createObjectNode()
                .put("IdentityPoolName", "dev app")
                .put("AllowUnauthenticatedIdentities", false)
                .put("DeveloperProviderName", DEV);
        body.putArray("CognitoIdentityProviders")
                .addObject()
                .put("ProviderName", awsKey())
                .put("ClientId", IdentityFixture.CLIENT);
        String id = f.ok("CreateIdentityPool", body.toString())
                .path("IdentityPoolId")
                .asText();
        f.ok(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + id + "\",\"Roles\":{\"authenticated\":\"" + IdentityFixture.authRole()
                        + "\"}}");
        return id;
    }

    private JsonNode developerToken(String user, String identityId) {
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityPoolId", poolId);
        body.putObject("Logins").put(DEV, user);
        if (!identityId.isEmpty()) {
            body.put("IdentityId", identityId);
        }
        return f.ok("GetOpenIdTokenForDeveloperIdentity", body.toString());
    }

    private String developerIdentity(String user) {
        return developerToken(user, "").path("IdentityId").asText();
    }

    private Response credentials(JsonNode token) {
        return f.call(
                "GetCredentialsForIdentity",
                forIdentity(
                        token.path("IdentityId").asText(),
                        DeveloperIdentities.COGNITO_PROVIDER,
                        token.path("Token").asText()));
    }

    private Response lookup(String members) {
        return f.admin("LookupDeveloperIdentity", "{\"IdentityPoolId\":\"" + poolId + "\"" + members + "}");
    }

    private Response merge(String source, String destination) {
        return f.admin(
                "MergeDeveloperIdentities",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"DeveloperProviderName\":\"" + DEV
                        + "\",\"SourceUserIdentifier\":\"" + source + "\",\"DestinationUserIdentifier\":\""
                        + destination + "\"}");
    }

    private String userPoolIdentity(String sub) {
        return f.ok("GetId", getId(poolId, awsKey(), f.idToken(sub)))
                .path("IdentityId")
                .asText();
    }

    @Test
    void lookupWhenByUserOrByIdentityThenTheIdentityAndItsUsersPageByPage() {
        String identityId = developerIdentity("user-1");
        merge("user-2", "user-1");

        JsonNode byUser = lookup(",\"DeveloperUserIdentifier\":\"user-1\"").body();
        JsonNode firstPage = lookup(",\"IdentityId\":\"" + identityId + "\",\"MaxResults\":1")
                .body();
        JsonNode secondPage = lookup(",\"IdentityId\":\"" + identityId + "\",\"MaxResults\":1,\"NextToken\":\""
                        + firstPage.path("NextToken").asText() + "\"")
                .body();

        assertThat(byUser.path("IdentityId").asText()).isEqualTo(identityId);
        assertThat(byUser.path("DeveloperUserIdentifierList").toString()).isEqualTo("[\"user-1\",\"user-2\"]");
        assertThat(firstPage.path("DeveloperUserIdentifierList").toString()).isEqualTo("[\"user-1\"]");
        assertThat(secondPage.path("DeveloperUserIdentifierList").toString()).isEqualTo("[\"user-2\"]");
        assertThat(secondPage.has("NextToken")).isFalse();
    }

    @Test
    void lookupWhenNeitherMismatchedOrUnknownThenCognitoErrors() {
        String identityId = developerIdentity("user-1");
        String other = developerIdentity("user-9");

        assertThat(lookup("").errorType()).isEqualTo("InvalidParameterException");
        assertThat(lookup(",\"DeveloperUserIdentifier\":\"user-1\",\"IdentityId\":\"" + other + "\"")
                        .errorType())
                .isEqualTo("ResourceConflictException");
        assertThat(lookup(",\"DeveloperUserIdentifier\":\"nobody\"").errorType())
                .isEqualTo("ResourceNotFoundException");
        assertThat(lookup(",\"IdentityId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"")
                        .errorType())
                .isEqualTo("ResourceNotFoundException");
        assertThat(lookup(",\"IdentityId\":\"" + identityId + "\",\"MaxResults\":61")
                        .errorType())
                .isEqualTo("ValidationException");
    }

    @Test
    void mergeWhenTwoDeveloperUsersThenSourceIdentityGoneAndItsTokenRefused() {
        JsonNode source = developerToken("user-2", "");
        String destination = developerIdentity("user-1");

        JsonNode merged = merge("user-2", "user-1").body();

        assertThat(merged.path("IdentityId").asText()).isEqualTo(destination);
        assertThat(developerIdentity("user-2")).isEqualTo(destination);
        Response refused = credentials(source);
        assertThat(refused.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(refused.message())
                .isEqualTo("Identity '" + source.path("IdentityId").asText() + "' not found.");
        assertThat(f.admin(
                                "DescribeIdentity",
                                "{\"IdentityId\":\"" + source.path("IdentityId").asText() + "\"}")
                        .errorType())
                .isEqualTo("ResourceNotFoundException");
        assertThat(credentials(developerToken("user-2", "")).status()).isEqualTo(200);
    }

    @Test
    void mergeWhenIdentitiesLinkedToDifferentUsersOfOneUserPoolThenResourceConflict() {
        developerToken("user-1", userPoolIdentity("sub-1"));
        developerToken("user-2", userPoolIdentity("sub-2"));

        Response response = merge("user-2", "user-1");

        assertThat(response.errorType()).isEqualTo("ResourceConflictException");
        assertThat(response.message()).contains(awsKey());
    }

    @Test
    void mergeWhenProviderWrongOrDestinationUnknownThenRefused() {
        developerIdentity("user-1");

        Response wrongProvider = f.admin(
                "MergeDeveloperIdentities",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"DeveloperProviderName\":\"other.example\","
                        + "\"SourceUserIdentifier\":\"a\",\"DestinationUserIdentifier\":\"user-1\"}");

        assertThat(wrongProvider.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(merge("user-1", "nobody").errorType()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void mergeWhenSourceUserUnseenThenLinkedToDestination() {
        String destination = developerIdentity("user-1");

        merge("new-user", "user-1");

        assertThat(developerIdentity("new-user")).isEqualTo(destination);
    }

    @Test
    void unlinkDeveloperIdentityWhenLastLoginThenIdentityGoneAndUserGetsANewOne() {
        JsonNode token = developerToken("user-1", "");
        String identityId = token.path("IdentityId").asText();

        f.ok(
                "UnlinkDeveloperIdentity",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"IdentityId\":\"" + identityId
                        + "\",\"DeveloperProviderName\":\"" + DEV + "\",\"DeveloperUserIdentifier\":\"user-1\"}");

        assertThat(credentials(token).errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(developerIdentity("user-1")).isNotEqualTo(identityId);
    }

    @Test
    void unlinkDeveloperIdentityWhenOneOfTwoUsersThenIdentityKeepsTheOther() {
        String identityId = developerIdentity("user-1");
        merge("user-2", "user-1");

        f.ok(
                "UnlinkDeveloperIdentity",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"IdentityId\":\"" + identityId
                        + "\",\"DeveloperProviderName\":\"" + DEV + "\",\"DeveloperUserIdentifier\":\"user-2\"}");

        assertThat(lookup(",\"IdentityId\":\"" + identityId + "\"")
                        .body()
                        .path("DeveloperUserIdentifierList")
                        .toString())
                .isEqualTo("[\"user-1\"]");
        assertThat(developerIdentity("user-2")).isNotEqualTo(identityId);
        Response notLinked = f.admin(
                "UnlinkDeveloperIdentity",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"IdentityId\":\"" + identityId
                        + "\",\"DeveloperProviderName\":\"" + DEV + "\",\"DeveloperUserIdentifier\":\"user-2\"}");
        assertThat(notLinked.errorType()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void unlinkIdentityWhenUserPoolLoginRemovedThenDeveloperLoginStaysAndUserGetsANewIdentity() {
        String identityId = userPoolIdentity("sub-1");
        developerToken("user-1", identityId);
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityId", identityId);
        body.putObject("Logins").put(localKey(), f.idToken("sub-1"));
        body.putArray("LoginsToRemove").add(localKey());

        f.ok("UnlinkIdentity", body.toString());

        JsonNode described = f.ok("DescribeIdentity", "{\"IdentityId\":\"" + identityId + "\"}");
        assertThat(described.path("Logins").toString()).isEqualTo("[\"" + DEV + "\"]");
        assertThat(userPoolIdentity("sub-1")).isNotEqualTo(identityId);
        assertThat(developerIdentity("user-1")).isEqualTo(identityId);
    }

    @Test
    void unlinkIdentityWhenLoginsDoNotProveTheIdentityThenNotAuthorized() {
        String identityId = userPoolIdentity("sub-1");
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityId", identityId);
        body.putObject("Logins").put(awsKey(), f.idToken("sub-2"));
        body.putArray("LoginsToRemove").add(awsKey());

        Response response = f.call("UnlinkIdentity", body.toString());

        assertThat(response.errorType()).isEqualTo("NotAuthorizedException");
        assertThat(userPoolIdentity("sub-1")).isEqualTo(identityId);
    }

    @Test
    void deleteIdentitiesWhenDeletedThenCredentialsRefusedAndLoginGetsANewIdentity() {
        JsonNode token = developerToken("user-1", "");
        String identityId = token.path("IdentityId").asText();
        String userPoolIdentity = userPoolIdentity("sub-1");

        JsonNode answer = f.ok(
                "DeleteIdentities",
                "{\"IdentityIdsToDelete\":[\"" + identityId + "\",\"" + userPoolIdentity
                        + "\",\"us-east-1:00000000-0000-0000-0000-000000000000\"]}");

        assertThat(answer.path("UnprocessedIdentityIds").size()).isZero();
        assertThat(credentials(token).errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(developerIdentity("user-1")).isNotEqualTo(identityId);
        assertThat(userPoolIdentity("sub-1")).isNotEqualTo(userPoolIdentity);
        assertThat(f.store
                        .query(IdentityRepository.LINKS, Query.partition(identityId))
                        .items())
                .isEmpty();
    }

    @Test
    void deleteIdentitiesWhenTooManyOrMalformedThenValidationException() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 61; i++) {
            ids.add("\"us-east-1:00000000-0000-0000-0000-0000000000" + (10 + i) + "\"");
        }
        assertThat(f.admin("DeleteIdentities", "{\"IdentityIdsToDelete\":[" + String.join(",", ids) + "]}")
                        .errorType())
                .isEqualTo("ValidationException");
        assertThat(f.admin("DeleteIdentities", "{\"IdentityIdsToDelete\":[\"not an id\"]}")
                        .errorType())
                .isEqualTo("ValidationException");
        assertThat(f.call("DeleteIdentities", "{\"IdentityIdsToDelete\":[]}").errorType())
                .isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void getIdWhenLoginLinkedBeforeLinksExistedAndIdentityDeletedThenNewIdentity() {
        String identityId = userPoolIdentity("sub-1");
        f.store
                .query(IdentityRepository.LINKS, Query.partition(identityId))
                .items()
                .forEach(item ->
                        f.store.delete(IdentityRepository.LINKS, item.key(), dev.gatehouse.store.Condition.none()));

        f.ok("DeleteIdentities", "{\"IdentityIdsToDelete\":[\"" + identityId + "\"]}");

        assertThat(f.store.get(IdentityRepository.IDENTITIES, Key.of(identityId, "identity")))
                .isEmpty();
        assertThat(userPoolIdentity("sub-1")).isNotEqualTo(identityId);
    }
}
