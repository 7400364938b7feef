package dev.gatehouse.identity;

import static dev.gatehouse.identity.IdentityFixture.authRole;
import static dev.gatehouse.identity.IdentityFixture.awsKey;
import static dev.gatehouse.identity.IdentityFixture.mappingKey;
import static dev.gatehouse.identity.RoleSelectionTests.ADMIN;
import static dev.gatehouse.identity.RoleSelectionTests.READER;
import static dev.gatehouse.identity.RoleSelectionTests.rule;
import static dev.gatehouse.identity.RoleSelectionTests.rules;
import static dev.gatehouse.identity.RoleSelectionTests.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.identity.IdentityFixture.Response;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.ServiceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SetIdentityPoolRoles' checks of RoleMappings, and {@link RoleMapping} on claims the user pool cannot yet issue. */
class RoleMappingTests {

    private static final String INVALID_PARAMETER = "InvalidParameterException";

    private final IdentityFixture f = new IdentityFixture();

    static Stream<Arguments> invalidMappings() {
        String key = mappingKey();
        String goodRule = rule("email", "Equals", "ann@example.com", ADMIN);
        return Stream.of(
                Arguments.of("Type missing", key, "{\"AmbiguousRoleResolution\":\"Deny\"}"),
                Arguments.of(
                        "Type not Token or Rules", key, "{\"Type\":\"Groups\",\"AmbiguousRoleResolution\":\"Deny\"}"),
                Arguments.of("Type empty", key, "{\"Type\":\"\",\"AmbiguousRoleResolution\":\"Deny\"}"),
                Arguments.of("Token without AmbiguousRoleResolution", key, "{\"Type\":\"Token\"}"),
                Arguments.of(
                        "Rules without AmbiguousRoleResolution",
                        key,
                        "{\"Type\":\"Rules\",\"RulesConfiguration\":{\"Rules\":[" + goodRule + "]}}"),
                Arguments.of("AmbiguousRoleResolution not AuthenticatedRole or Deny", key, token("Allow")),
                Arguments.of(
                        "Rules without RulesConfiguration",
                        key,
                        "{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\"}"),
                Arguments.of(
                        "RulesConfiguration without Rules",
                        key,
                        "{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\",\"RulesConfiguration\":{}}"),
                Arguments.of("no rules", key, rules("Deny")),
                Arguments.of(
                        "26 rules",
                        key,
                        rules("Deny", Collections.nCopies(26, goodRule).toArray(String[]::new))),
                Arguments.of("MatchType unknown", key, rules("Deny", rule("email", "Regex", "a.*", ADMIN))),
                Arguments.of("MatchType empty", key, rules("Deny", rule("email", "", "a", ADMIN))),
                Arguments.of(
                        "MatchType missing",
                        key,
                        rules("Deny", "{\"Claim\":\"email\",\"Value\":\"a\",\"RoleARN\":\"" + ADMIN + "\"}")),
                Arguments.of(
                        "Claim missing",
                        key,
                        rules("Deny", "{\"MatchType\":\"Equals\",\"Value\":\"a\",\"RoleARN\":\"" + ADMIN + "\"}")),
                Arguments.of("Claim longer than 64", key, rules("Deny", rule("c".repeat(65), "Equals", "a", ADMIN))),
                Arguments.of("Claim with a space", key, rules("Deny", rule("custom: dept", "Equals", "a", ADMIN))),
                Arguments.of("Value empty", key, rules("Deny", rule("email", "Equals", "", ADMIN))),
                Arguments.of(
                        "Value longer than 128", key, rules("Deny", rule("email", "Equals", "v".repeat(129), ADMIN))),
                Arguments.of(
                        "RoleARN missing",
                        key,
                        rules("Deny", "{\"Claim\":\"email\",\"MatchType\":\"Equals\",\"Value\":\"a\"}")),
                Arguments.of(
                        "RoleARN not a role",
                        key,
                        rules("Deny", rule("email", "Equals", "a", "arn:aws:s3:::bucket-name"))),
                Arguments.of("key without the app client", awsKey(), token("Deny")),
                Arguments.of(
                        "key of a client the pool does not trust",
                        awsKey() + ":" + IdentityFixture.OTHER_CLIENT,
                        token("Deny")),
                Arguments.of(
                        "key of another user pool",
                        "cognito-idp.us-east-1.amazonaws.com/" + IdentityFixture.OTHER_USER_POOL + ":"
                                + IdentityFixture.CLIENT,
                        token("Deny")),
                Arguments.of("key of a social provider the pool does not trust", "accounts.google.com", token("Deny")),
                Arguments.of("key with a scheme", "https://" + mappingKey(), token("Deny")),
                Arguments.of("key longer than 128", "k".repeat(129), token("Deny")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMappings")
    void setIdentityPoolRolesWhenMappingInvalidThenInvalidParameter(String name, String key, String mapping) {
        String poolId = f.createPool(false);

        Response response = f.admin("SetIdentityPoolRoles", setRoles(poolId, key, mapping));

        assertThat(response.errorType()).isEqualTo(INVALID_PARAMETER);
        assertThat(f.ok("GetIdentityPoolRoles", "{\"IdentityPoolId\":\"" + poolId + "\"}")
                        .has("RoleMappings"))
                .isFalse();
    }

    @Test
    void setIdentityPoolRolesWhenKeyNotConfiguredThenCognitosMessage() {
        String poolId = f.createPool(false);
        String key = awsKey() + ":" + IdentityFixture.OTHER_CLIENT;

        Response response = f.admin("SetIdentityPoolRoles", setRoles(poolId, key, token("Deny")));

        assertThat(response.message())
                .isEqualTo(
                        "(" + key + ") is not a valid RoleMapping ProviderName or is not a " + "configured provider.");
    }

    @Test
    void setIdentityPoolRolesWhenMoreThanTenMappingsThenInvalidParameter() {
        String poolId = f.createPool(false);
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityPoolId", poolId);
        body.putObject("Roles").put("authenticated", authRole());
        ObjectNode mappings = body.putObject("RoleMappings");
        for (int i = 0; i < 11; i++) {
            mappings.set(mappingKey() + i, json(token("Deny")));
        }

        Response response = f.admin("SetIdentityPoolRoles", body.toString());

        assertThat(response.errorType()).isEqualTo(INVALID_PARAMETER);
    }

    @Test
    void setIdentityPoolRolesWhenMappingOfWrongJsonTypeThenSerializationException() {
        String poolId = f.createPool(false);

        Response response = f.admin(
                "SetIdentityPoolRoles",
                setRoles(
                        poolId,
                        mappingKey(),
                        "{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"Deny\",\"RulesConfiguration\":\"email=ann\"}"));

        assertThat(response.errorType()).isEqualTo("SerializationException");
    }

    @Test
    void getIdentityPoolRolesWhenMappingsSetThenReturnedInOrderWithTheirRules() {
        String poolId = f.createPool(false);
        String mapping = rules(
                "AuthenticatedRole",
                rule("custom:dept", "StartsWith", "sales", READER),
                rule("email", "NotEqual", "ann@example.com", ADMIN));
        f.ok("SetIdentityPoolRoles", setRoles(poolId, mappingKey(), mapping));

        JsonNode roles = f.ok("GetIdentityPoolRoles", "{\"IdentityPoolId\":\"" + poolId + "\"}");

        assertThat(roles.path("RoleMappings").path(mappingKey())).isEqualTo(json(mapping));
        assertThat(roles.path("Roles").path("authenticated").asText()).isEqualTo(authRole());
    }

    @Test
    void setIdentityPoolRolesWhenTokenMappingHasRulesThenRulesDropped() {
        String poolId = f.createPool(false);
        String mapping = "{\"Type\":\"Token\",\"AmbiguousRoleResolution\":\"Deny\",\"RulesConfiguration\":{\"Rules\":["
                + rule("email", "Equals", "a", ADMIN) + "]}}";

        f.ok("SetIdentityPoolRoles", setRoles(poolId, mappingKey(), mapping));

        JsonNode roles = f.ok("GetIdentityPoolRoles", "{\"IdentityPoolId\":\"" + poolId + "\"}");
        assertThat(roles.path("RoleMappings").path(mappingKey())).isEqualTo(json(token("Deny")));
    }

    @Test
    void setIdentityPoolRolesWhenTwentyFiveRulesThenAccepted() {
        String poolId = f.createPool(false);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < RoleMapping.MAX_RULES; i++) {
            many.add(rule("custom:n", "Equals", Integer.toString(i), ADMIN));
        }

        Response response = f.admin(
                "SetIdentityPoolRoles", setRoles(poolId, mappingKey(), rules("Deny", many.toArray(String[]::new))));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void chooseWhenCognitoRolesIsJsonArrayThenReadAsList() {
        RoleMapping mapping = RoleMapping.read(mappingKey(), json(token("Deny")));
        ObjectNode one = claims("{\"cognito:roles\":[\"" + ADMIN + "\"]}");
        ObjectNode two = claims("{\"cognito:roles\":[\"" + ADMIN + "\",\"" + READER + "\"]}");

        assertThat(mapping.choose(one, null)).contains(ADMIN);
        assertThat(mapping.choose(two, null)).isEmpty();
        assertThat(mapping.choose(two, READER)).contains(READER);
        assertThatThrownBy(() -> mapping.choose(two, authRole()))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.error().code()).isEqualTo("NotAuthorizedException"));
    }

    @Test
    void chooseWhenPreferredRoleEmptyThenIgnored() {
        RoleMapping mapping = RoleMapping.read(mappingKey(), json(token("Deny")));

        Optional<String> chosen =
                mapping.choose(claims("{\"cognito:preferred_role\":\"\",\"cognito:roles\":\"" + READER + "\"}"), null);

        assertThat(chosen).contains(READER);
    }

    @Test
    void chooseWhenClaimIsNumberOrArrayOrMissingThenComparedAsText() {
        RoleMapping number =
                RoleMapping.read(mappingKey(), json(rules("Deny", rule("custom:level", "Equals", "3", ADMIN))));
        RoleMapping groups =
                RoleMapping.read(mappingKey(), json(rules("Deny", rule("cognito:groups", "Equals", "a,b", READER))));
        RoleMapping notEqual =
                RoleMapping.read(mappingKey(), json(rules("Deny", rule("custom:level", "NotEqual", "3", READER))));

        assertThat(number.choose(claims("{\"custom:level\":3}"), null)).contains(ADMIN);
        assertThat(groups.choose(claims("{\"cognito:groups\":[\"a\",\"b\"]}"), null))
                .contains(READER);
        assertThat(notEqual.choose(claims("{\"custom:level\":null}"), null)).isEmpty();
        assertThat(notEqual.choose(claims("{\"custom:level\":4}"), null)).contains(READER);
    }

    private static String setRoles(String poolId, String key, String mapping) {
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityPoolId", poolId);
        body.putObject("Roles").put("authenticated", authRole());
        body.putObject("RoleMappings").set(key, json(mapping));
        return body.toString();
    }

    private static ObjectNode claims(String json) {
        return (ObjectNode) json(json);
    }

    private static JsonNode json(String text) {
        try {
            return AwsJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
