package dev.gatehouse.identity;

import static dev.gatehouse.identity.IdentityFixture.awsKey;
import static dev.gatehouse.identity.IdentityFixture.getId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.identity.IdentityFixture.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminOperationsTests {

    private final IdentityFixture f = new IdentityFixture();

    @Test
    void createIdentityPoolWhenValidThenDescribedWithRegionUuidId() {
        JsonNode created = f.ok(
                "CreateIdentityPool",
                "{\"IdentityPoolName\":\"notes app\","
                        + "\"AllowUnauthenticatedIdentities\":false,\"CognitoIdentityProviders\":[{\"ProviderName\":"
                        + "\"cognito-idp.us-east-1.amazonaws.com/us-east-1_GateHouse1\",\"ClientId\":\"abc123\"}]}");
        String poolId = created.path("IdentityPoolId").asText();

        JsonNode described = f.ok("DescribeIdentityPool", "{\"IdentityPoolId\":\"" + poolId + "\"}");

        assertThat(poolId).matches("us-east-1:[0-9a-f-]{36}");
        assertThat(described).isEqualTo(created);
        assertThat(described.path("IdentityPoolName").asText()).isEqualTo("notes app");
        assertThat(described.path("AllowUnauthenticatedIdentities").asBoolean()).isFalse();
        assertThat(described
                        .path("CognitoIdentityProviders")
                        .get(0)
                        .path("ClientId")
                        .asText())
                .isEqualTo("abc123");
        assertThat(described
                        .path("CognitoIdentityProviders")
                        .get(0)
                        .path("ServerSideTokenCheck")
                        .isBoolean())
                .isTrue();
    }

    @Test
    void createIdentityPoolWhenRequiredMembersMissingThenInvalidParameter() {
        Response response = f.admin("CreateIdentityPool", "{\"IdentityPoolName\":\"bad/name\"}");

        assertThat(response.errorType()).isEqualTo("InvalidParameterException");
        assertThat(response.message())
                .startsWith("2 validation errors detected:")
                .contains("'identityPoolName'")
                .contains("'allowUnauthenticatedIdentities'");
    }

    @Test
    void createIdentityPoolWhenMemberHasWrongJsonTypeThenSerializationException() {
        Response response = f.admin(
                "CreateIdentityPool", "{\"IdentityPoolName\":\"p\",\"AllowUnauthenticatedIdentities\":\"yes\"}");

        assertThat(response.errorType()).isEqualTo("SerializationException");
    }

    @Test
    void adminOperationWhenUnsignedThenMissingAuthenticationToken() {
        Response response =
                f.call("CreateIdentityPool", "{\"IdentityPoolName\":\"p\",\"AllowUnauthenticatedIdentities\":true}");

        assertThat(response.errorType()).isEqualTo("MissingAuthenticationTokenException");
    }

    @Test
    void describeIdentityPoolWhenUnknownThenResourceNotFound() {
        Response response = f.admin(
                "DescribeIdentityPool", "{\"IdentityPoolId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}");

        assertThat(response.errorType()).isEqualTo("ResourceNotFoundException");
        assertThat(response.message())
                .isEqualTo("IdentityPool 'us-east-1:00000000-0000-0000-0000-000000000000' not found.");
    }

    @Test
    void listIdentityPoolsWhenMoreThanPageThenNextTokenWalksAll() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(f.ok(
                            "CreateIdentityPool",
                            "{\"IdentityPoolName\":\"p" + i + "\",\"AllowUnauthenticatedIdentities\":true}")
                    .path("IdentityPoolId")
                    .asText());
        }

        Set<String> listed = new HashSet<>();
        String next = null;
        int pages = 0;
        do {
            JsonNode page = f.ok(
                    "ListIdentityPools",
                    "{\"MaxResults\":2" + (next == null ? "" : ",\"NextToken\":\"" + next + "\"") + "}");
            page.path("IdentityPools")
                    .forEach(p -> listed.add(p.path("IdentityPoolId").asText()));
            assertThat(page.path("IdentityPools")
                            .get(0)
                            .path("IdentityPoolName")
                            .asText())
                    .startsWith("p");
            next = page.has("NextToken") ? page.path("NextToken").asText() : null;
            pages++;
        } while (next != null);

        assertThat(listed).isEqualTo(created);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void listIdentityPoolsWhenMaxResultsMissingOrTooLargeThenInvalidParameter() {
        assertThat(f.admin("ListIdentityPools", "{}").errorType()).isEqualTo("InvalidParameterException");
        assertThat(f.admin("ListIdentityPools", "{\"MaxResults\":61}").errorType())
                .isEqualTo("InvalidParameterException");
        assertThat(f.admin("ListIdentityPools", "{\"MaxResults\":5,\"NextToken\":\"garbage\"}")
                        .errorType())
                .isEqualTo("InvalidParameterException");
    }

    @Test
    void setIdentityPoolRolesWhenSetThenGetReturnsThem() {
        String poolId = f.createPool(false);

        JsonNode roles = f.ok("GetIdentityPoolRoles", "{\"IdentityPoolId\":\"" + poolId + "\"}");

        assertThat(roles.path("IdentityPoolId").asText()).isEqualTo(poolId);
        assertThat(roles.path("Roles").path("authenticated").asText()).isEqualTo(IdentityFixture.authRole());
        assertThat(roles.path("Roles").path("unauthenticated").asText()).isEqualTo(IdentityFixture.unauthRole());
    }

    @Test
    void setIdentityPoolRolesWhenBadRoleTypeOrArnThenInvalidParameter() {
        String poolId = f.createPool(false);

        Response badType = f.admin(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"Roles\":{\"admin\":\"" + IdentityFixture.authRole() + "\"}}");
        Response badArn = f.admin(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + poolId
                        + "\",\"Roles\":{\"authenticated\":\"arn:aws:s3:::bucket-name-here\"}}");
        Response missing = f.admin("SetIdentityPoolRoles", "{\"IdentityPoolId\":\"" + poolId + "\"}");

        assertThat(badType.errorType()).isEqualTo("InvalidParameterException");
        assertThat(badArn.errorType()).isEqualTo("InvalidParameterException");
        assertThat(missing.errorType()).isEqualTo("InvalidParameterException");
    }

    @Test
    void setIdentityPoolRolesWhenPoolUnknownThenResourceNotFound() {
        Response response = f.admin("SetIdentityPoolRoles", "{\"IdentityPoolId\":\"us-east-1:0000\",\"Roles\":{}}");

        assertThat(response.errorType()).isEqualTo("ResourceNotFoundException");
    }

    @Test
    void listIdentitiesWhenMoreThanPageThenNextTokenWalksAllOnce() {
        String poolId = f.createPool(false);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(f.ok("GetId", getId(poolId, awsKey(), f.idToken("user-" + i)))
                    .path("IdentityId")
                    .asText());
        }

        List<String> listed = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = f.ok(
                    "ListIdentities",
                    "{\"IdentityPoolId\":\"" + poolId + "\",\"MaxResults\":3"
                            + (next == null ? "" : ",\"NextToken\":\"" + next + "\"") + "}");
            assertThat(page.path("IdentityPoolId").asText()).isEqualTo(poolId);
            assertThat(page.path("Identities").size()).isLessThanOrEqualTo(3);
            page.path("Identities").forEach(i -> listed.add(i.path("IdentityId").asText()));
            next = page.has("NextToken") ? page.path("NextToken").asText() : null;
        } while (next != null);

        assertThat(listed).doesNotHaveDuplicates();
        assertThat(new HashSet<>(listed)).isEqualTo(created);
    }

    @Test
    void describeIdentityWhenAuthenticatedThenLoginsAndDates() {
        String poolId = f.createPool(false);
        String identityId = f.ok("GetId", getId(poolId, IdentityFixture.localKey(), f.idToken("user-a")))
                .path("IdentityId")
                .asText();

        JsonNode described = f.ok("DescribeIdentity", "{\"IdentityId\":\"" + identityId + "\"}");

        assertThat(described.path("IdentityId").asText()).isEqualTo(identityId);
        assertThat(described.path("Logins").get(0).asText()).isEqualTo(awsKey());
        assertThat(described.path("CreationDate").asLong())
                .isEqualTo(f.clock.instant().getEpochSecond());
        assertThat(described.path("LastModifiedDate").isNumber()).isTrue();
    }

    @Test
    void describeIdentityWhenUnknownThenResourceNotFound() {
        Response response =
                f.admin("DescribeIdentity", "{\"IdentityId\":\"us-east-1:00000000-0000-0000-0000-000000000000\"}");

        assertThat(response.errorType()).isEqualTo("ResourceNotFoundException");
    }
}
