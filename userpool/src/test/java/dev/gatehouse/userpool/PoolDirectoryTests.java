package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolDirectoryTests {

    private final PoolFixture f = new PoolFixture();

    @Test
    void createUserPoolWhenDefaultsThenCognitoDefaultsAndIdsInAwsForm() {
        JsonNode pool = f.call("CreateUserPool", "{\"PoolName\":\"p\"}").ok().get("UserPool");
        assertThat(pool.path("Id").asText()).matches("us-east-1_[0-9A-Za-z]{9}");
        assertThat(pool.path("Arn").asText())
                .isEqualTo("arn:aws:cognito-idp:us-east-1:123456789012:userpool/"
                        + pool.path("Id").asText());
        assertThat(pool.path("Policies").path("PasswordPolicy").toString())
                .isEqualTo("{\"MinimumLength\":8,"
                        + "\"RequireUppercase\":true,\"RequireLowercase\":true,\"RequireNumbers\":true,\"RequireSymbols\":true,"
                        + "\"TemporaryPasswordValidityDays\":7}");
        assertThat(pool.path("MfaConfiguration").asText()).isEqualTo("OFF");
        assertThat(pool.path("VerificationMessageTemplate").path("EmailMessage").asText())
                .isEqualTo("Your verification code is {####}. ");
        assertThat(pool.path("SchemaAttributes").size()).isEqualTo(20);
        assertThat(pool.path("CreationDate").isNumber()).isTrue();
        Reply described = f.call(
                        "DescribeUserPool",
                        "{\"UserPoolId\":\"" + pool.path("Id").asText() + "\"}")
                .ok();
        assertThat(described.get("UserPool")).isEqualTo(pool);
        assertThat(f.call("DescribeUserPool", "{\"UserPoolId\":\"us-east-1_missing00\"}")
                        .message())
                .isEqualTo("User pool us-east-1_missing00 does not exist.");
    }

    @Test
    void describeUserPoolWhenUsersCreatedAndDeletedThenEstimatedNumberCountsThisPoolsUsers() {
        String poolId = f.createPool("{\"PoolName\":\"p\"}");
        String otherPoolId = f.createPool("{\"PoolName\":\"q\"}");
        for (String name : List.of("a", "b", "c")) {
            f.call("AdminCreateUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + name + "\"}")
                    .ok();
        }
        f.call("AdminCreateUser", "{\"UserPoolId\":\"" + otherPoolId + "\",\"Username\":\"a\"}")
                .ok();
        f.call("AdminDeleteUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"b\"}")
                .ok();

        assertThat(f.call("DescribeUserPool", "{\"UserPoolId\":\"" + poolId + "\"}")
                        .ok()
                        .get("UserPool")
                        .path("EstimatedNumberOfUsers")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void createUserPoolWhenBadInputThenInvalidParameterAndUnsignedRefused() {
        assertThat(f.call("CreateUserPool", "{}").code()).isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call(
                                "CreateUserPool",
                                "{\"PoolName\":\"p\",\"UsernameAttributes\":[\"email\"],"
                                        + "\"AliasAttributes\":[\"email\"]}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call(
                                "CreateUserPool",
                                "{\"PoolName\":\"p\",\"Policies\":{\"PasswordPolicy\":{\"MinimumLength\":5}}}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.unsigned("CreateUserPool", "{\"PoolName\":\"p\"}").code())
                .isEqualTo("MissingAuthenticationTokenException");
        assertThat(f.call("ListUserPools", "{\"MaxResults\":60}").ok().get("UserPools"))
                .isEmpty();
    }

    @Test
    void listUserPoolsWhenMaxResultsThenPagesThroughAll() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(f.createPool("{\"PoolName\":\"p" + i + "\"}"));
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            Reply reply = f.call(
                            "ListUserPools",
                            "{\"MaxResults\":2" + (next == null ? "" : ",\"NextToken\":\"" + next + "\"") + "}")
                    .ok();
            reply.get("UserPools").forEach(p -> seen.add(p.path("Id").asText()));
            next = reply.get("NextToken").isMissingNode()
                    ? null
                    : reply.get("NextToken").asText();
        } while (next != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(created);
        assertThat(f.call("ListUserPools", "{}").code()).isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void createUserPoolClientWhenDefaultsThenModelDefaults() {
        String poolId = f.createPool("{\"PoolName\":\"p\"}");
        JsonNode client = f.call("CreateUserPoolClient", "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"c\"}")
                .ok()
                .get("UserPoolClient");
        assertThat(client.path("ClientId").asText()).matches("[a-z0-9]{26}");
        assertThat(client.has("ClientSecret")).isFalse();
        assertThat(client.path("ExplicitAuthFlows").toString())
                .isEqualTo("[\"ALLOW_REFRESH_TOKEN_AUTH\",\"ALLOW_USER_SRP_AUTH\",\"ALLOW_CUSTOM_AUTH\"]");
        assertThat(client.path("RefreshTokenValidity").asInt()).isEqualTo(30);
        assertThat(client.path("AccessTokenValidity").asInt()).isEqualTo(1);
        assertThat(client.path("TokenValidityUnits").toString())
                .isEqualTo("{\"AccessToken\":\"hours\",\"IdToken\":\"hours\",\"RefreshToken\":\"days\"}");
        assertThat(client.path("PreventUserExistenceErrors").asText()).isEqualTo("LEGACY");
        assertThat(client.path("EnableTokenRevocation").asBoolean()).isTrue();
        Reply described = f.call(
                        "DescribeUserPoolClient",
                        "{\"UserPoolId\":\"" + poolId + "\",\"ClientId\":\""
                                + client.path("ClientId").asText() + "\"}")
                .ok();
        assertThat(described.get("UserPoolClient")).isEqualTo(client);
        assertThat(f.call("DescribeUserPoolClient", "{\"UserPoolId\":\"" + poolId + "\",\"ClientId\":\"nope\"}")
                        .code())
                .isEqualTo(UserPoolErrors.RESOURCE_NOT_FOUND);
    }

    @Test
    void createUserPoolClientWhenValidityInMinutesThenTokensLastThatLong() {
        String poolId = f.createPool("{\"PoolName\":\"p\"}");
        String clientId = f.createClient(
                poolId,
                "\"AccessTokenValidity\":10,\"IdTokenValidity\":15,"
                        + "\"TokenValidityUnits\":{\"AccessToken\":\"minutes\",\"IdToken\":\"minutes\"},"
                        + "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"v\",\"MessageAction\":\"SUPPRESS\"}")
                .ok();
        f.call(
                        "AdminSetUserPassword",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"v\",\"Password\":\"Passw0rd!\","
                                + "\"Permanent\":true}")
                .ok();
        assertThat(f.signIn(clientId, "v", "Passw0rd!")
                        .ok()
                        .get("AuthenticationResult")
                        .path("ExpiresIn")
                        .asLong())
                .isEqualTo(600);
        assertThat(f.call(
                                "CreateUserPoolClient",
                                "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"c\","
                                        + "\"AccessTokenValidity\":2,\"TokenValidityUnits\":{\"AccessToken\":\"minutes\"}}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call(
                                "CreateUserPoolClient",
                                "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"c\","
                                        + "\"ExplicitAuthFlows\":[\"ALLOW_MAGIC\"]}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call("CreateUserPoolClient", "{\"UserPoolId\":\"us-east-1_missing00\",\"ClientName\":\"c\"}")
                        .code())
                .isEqualTo(UserPoolErrors.RESOURCE_NOT_FOUND);
        assertThat(f.call("CreateUserPoolClient", "{\"UserPoolId\":\"" + "x".repeat(2000) + "\",\"ClientName\":\"c\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void ensureDefaultStackWhenCalledTwiceOrFromAnotherNodeThenSameIds() {
        DefaultStack first = f.api.ensureDefaultStack();
        DefaultStack second = f.api.ensureDefaultStack();
        UserPoolApi otherNode = new UserPoolApi(
                f.store,
                f.tokens,
                f.mail,
                f.clock,
                "us-east-1",
                "123456789012",
                new PasswordHasher(64, 1, new SecureRandom()),
                new SecureRandom());
        assertThat(second).isEqualTo(first);
        assertThat(f.api.poolExists(first.userPoolId())).isTrue();
        assertThat(f.api.poolExists("us-east-1_missing00")).isFalse();
        assertThat(f.api.poolExists("../etc")).isFalse();
        assertThat(otherNode.ensureDefaultStack()).isEqualTo(first);
        JsonNode client = f.call(
                        "DescribeUserPoolClient",
                        "{\"UserPoolId\":\"" + first.userPoolId() + "\",\"ClientId\":\"" + first.clientId() + "\"}")
                .ok()
                .get("UserPoolClient");
        assertThat(client.path("ExplicitAuthFlows").toString())
                .contains(
                        "ALLOW_USER_PASSWORD_AUTH",
                        "ALLOW_USER_SRP_AUTH",
                        "ALLOW_REFRESH_TOKEN_AUTH",
                        "ALLOW_ADMIN_USER_PASSWORD_AUTH");
        assertThat(client.has("ClientSecret")).isFalse();
        f.signedUpAndIn(first.clientId(), "Recipe@Example.com");
        f.signIn(first.clientId(), "recipe@example.com", PoolFixture.PASSWORD).ok();
    }
}
