package dev.gatehouse.identity;

import static dev.gatehouse.identity.IdentityFixture.authRole;
import static dev.gatehouse.identity.IdentityFixture.awsKey;
import static dev.gatehouse.identity.IdentityFixture.forIdentity;
import static dev.gatehouse.identity.IdentityFixture.getId;
import static dev.gatehouse.identity.IdentityFixture.mappingKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.iam.SessionPrincipal;
import dev.gatehouse.identity.IdentityFixture.Response;
import dev.gatehouse.protocol.AwsJson;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GetCredentialsForIdentity's choice of role under the pool's RoleMappings, over the wire: each case asserts the role
 * sealed into the issued credentials, or the exact error code with nothing issued.
 *
 * <p>Token-mapping cases give {@code cognito:roles} and {@code cognito:preferred_role} to the token service as the
 * role claims a user's groups produce (a JSON array in the id token, as Cognito writes it); the guide's
 * comma-separated form is covered in {@link RoleMappingTests}.
 */
class RoleSelectionTests {

    static final String ADMIN = "arn:aws:iam::123456789012:role/notes-admin";
    static final String READER = "arn:aws:iam::123456789012:role/notes-reader";
    static final String PARTNER = "arn:aws:iam::210987654321:role/partner";
    static final String NOT_AUTHORIZED = "NotAuthorizedException";

    private final IdentityFixture f = new IdentityFixture();

    /** One user signing in: the pool's mapping for CLIENT (none when null), their claims, and the CustomRoleArn. */
    record Case(
            String name,
            @Nullable String mapping,
            Map<String, String> claims,
            List<String> groups,
            @Nullable String customRoleArn,
            String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case chosen(
            String name, @Nullable String mapping, Map<String, String> claims, @Nullable String custom, String role) {
        return new Case(name, mapping, claims, List.of(), custom, role);
    }

    static String token(String ambiguous) {
        return "{\"Type\":\"Token\",\"AmbiguousRoleResolution\":\"" + ambiguous + "\"}";
    }

    static String rules(String ambiguous, String... rules) {
        return "{\"Type\":\"Rules\",\"AmbiguousRoleResolution\":\"" + ambiguous
                + "\",\"RulesConfiguration\":{\"Rules\":[" + String.join(",", rules) + "]}}";
    }

    static String rule(String claim, String matchType, String value, String roleArn) {
        return "{\"Claim\":\"" + claim + "\",\"MatchType\":\"" + matchType + "\",\"Value\":\"" + value
                + "\",\"RoleARN\":\"" + roleArn + "\"}";
    }

    static Stream<Case> cases() {
        Map<String, String> none = Map.of();
        Map<String, String> twoRoles = Map.of("cognito:roles", ADMIN + "," + READER);
        Map<String, String> sales = Map.of("custom:dept", "sales-emea", "email", "ann@example.com");
        return Stream.of(
                chosen("no mapping: the authenticated role", null, none, null, authRole()),
                chosen("no mapping: CustomRoleArn the authenticated role", null, none, authRole(), authRole()),
                chosen("no mapping: CustomRoleArn another role", null, none, ADMIN, NOT_AUTHORIZED),
                chosen(
                        "Token: cognito:preferred_role",
                        token("Deny"),
                        Map.of("cognito:preferred_role", READER, "cognito:roles", ADMIN + "," + READER),
                        null,
                        READER),
                chosen(
                        "Token: the only cognito:roles entry",
                        token("Deny"),
                        Map.of("cognito:roles", ADMIN),
                        null,
                        ADMIN),
                chosen(
                        "Token: a role in another account",
                        token("Deny"),
                        Map.of("cognito:preferred_role", PARTNER),
                        null,
                        PARTNER),
                chosen(
                        "Token: two roles, no preference, AuthenticatedRole",
                        token("AuthenticatedRole"),
                        twoRoles,
                        null,
                        authRole()),
                chosen("Token: two roles, no preference, Deny", token("Deny"), twoRoles, null, NOT_AUTHORIZED),
                chosen("Token: no role claims, AuthenticatedRole", token("AuthenticatedRole"), none, null, authRole()),
                chosen("Token: no role claims, Deny", token("Deny"), none, null, NOT_AUTHORIZED),
                chosen(
                        "Token: CustomRoleArn in cognito:roles beats the preferred role",
                        token("Deny"),
                        Map.of("cognito:preferred_role", READER, "cognito:roles", ADMIN + "," + READER),
                        ADMIN,
                        ADMIN),
                chosen(
                        "Token: CustomRoleArn not in cognito:roles",
                        token("AuthenticatedRole"),
                        twoRoles,
                        PARTNER,
                        NOT_AUTHORIZED),
                chosen(
                        "Token: CustomRoleArn the authenticated role, not in cognito:roles",
                        token("AuthenticatedRole"),
                        twoRoles,
                        authRole(),
                        NOT_AUTHORIZED),
                chosen(
                        "Rules: Equals on email",
                        rules("Deny", rule("email", "Equals", "ann@example.com", ADMIN)),
                        sales,
                        null,
                        ADMIN),
                chosen(
                        "Rules: the first matching rule wins",
                        rules(
                                "Deny",
                                rule("email", "Equals", "bob@example.com", PARTNER),
                                rule("custom:dept", "StartsWith", "sales", READER),
                                rule("email", "Contains", "@example.com", ADMIN)),
                        sales,
                        null,
                        READER),
                chosen(
                        "Rules: Contains on a custom attribute",
                        rules("Deny", rule("custom:dept", "Contains", "emea", ADMIN)),
                        sales,
                        null,
                        ADMIN),
                chosen(
                        "Rules: StartsWith does not match a suffix",
                        rules("AuthenticatedRole", rule("custom:dept", "StartsWith", "emea", ADMIN)),
                        sales,
                        null,
                        authRole()),
                chosen(
                        "Rules: Equals is case-sensitive",
                        rules("Deny", rule("custom:dept", "Equals", "Sales-EMEA", ADMIN)),
                        sales,
                        null,
                        NOT_AUTHORIZED),
                chosen(
                        "Rules: NotEqual on a different value",
                        rules("Deny", rule("custom:dept", "NotEqual", "hr", ADMIN)),
                        sales,
                        null,
                        ADMIN),
                chosen(
                        "Rules: NotEqual on a missing claim is not evaluated",
                        rules("AuthenticatedRole", rule("custom:tier", "NotEqual", "gold", ADMIN)),
                        sales,
                        null,
                        authRole()),
                chosen(
                        "Rules: Equals on aud, the app client",
                        rules("Deny", rule("aud", "Equals", IdentityFixture.CLIENT, READER)),
                        none,
                        null,
                        READER),
                chosen(
                        "Rules: Equals on a boolean claim",
                        rules("Deny", rule("email_verified", "Equals", "true", READER)),
                        Map.of("email_verified", "true"),
                        null,
                        READER),
                chosen(
                        "Rules: no match, AuthenticatedRole",
                        rules("AuthenticatedRole", rule("email", "Equals", "bob@example.com", ADMIN)),
                        sales,
                        null,
                        authRole()),
                chosen(
                        "Rules: no match, Deny",
                        rules("Deny", rule("email", "Equals", "bob@example.com", ADMIN)),
                        sales,
                        null,
                        NOT_AUTHORIZED),
                chosen(
                        "Rules: CustomRoleArn picks a later matching rule",
                        rules(
                                "Deny",
                                rule("custom:dept", "StartsWith", "sales", READER),
                                rule("email", "Contains", "@example.com", ADMIN)),
                        sales,
                        ADMIN,
                        ADMIN),
                chosen(
                        "Rules: CustomRoleArn of a rule that does not match",
                        rules(
                                "AuthenticatedRole",
                                rule("custom:dept", "StartsWith", "sales", READER),
                                rule("email", "Equals", "bob@example.com", ADMIN)),
                        sales,
                        ADMIN,
                        NOT_AUTHORIZED),
                chosen(
                        "Rules: CustomRoleArn the authenticated role when no rule matches",
                        rules("AuthenticatedRole", rule("email", "Equals", "bob@example.com", ADMIN)),
                        sales,
                        authRole(),
                        NOT_AUTHORIZED),
                new Case(
                        "Rules: Contains on cognito:groups",
                        rules("Deny", rule("cognito:groups", "Contains", "editors", ADMIN)),
                        none,
                        List.of("readers", "editors"),
                        null,
                        ADMIN),
                new Case(
                        "Rules: Equals on cognito:groups of one group",
                        rules("Deny", rule("cognito:groups", "Equals", "readers", READER)),
                        none,
                        List.of("readers"),
                        null,
                        READER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void getCredentialsWhenMappedThenRoleChosenOrError(Case c) {
        String poolId = f.createPool(false);
        if (c.mapping() != null) {
            setMapping(poolId, mappingKey(), c.mapping());
        }
        String token = f.idToken("user-a", c.claims(), c.groups());
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        Response response = f.call("GetCredentialsForIdentity", withCustomRole(identityId, token, c.customRoleArn()));

        if (c.expected().equals(NOT_AUTHORIZED)) {
            assertThat(response.errorType()).isEqualTo(NOT_AUTHORIZED);
            assertThat(response.body().has("Credentials")).isFalse();
        } else {
            assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
            assertThat(sealedRole(response.body())).isEqualTo(c.expected());
        }
    }

    @Test
    void getCredentialsWhenDeniedThenCognitosAmbiguousRoleMessage() {
        String poolId = f.createPool(false);
        setMapping(poolId, mappingKey(), rules("Deny", rule("email", "Equals", "bob@example.com", ADMIN)));
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        Response response = f.call("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));

        assertThat(response.errorType()).isEqualTo(NOT_AUTHORIZED);
        assertThat(response.message())
                .isEqualTo("The ambiguous role mapping rules for: " + mappingKey() + " denied this request.");
    }

    @Test
    void getCredentialsWhenMappedRoleInAnotherAccountThenSessionOfThatAccount() {
        String poolId = f.createPool(false);
        setMapping(poolId, mappingKey(), token("Deny"));
        String token = f.idToken("user-a", Map.of("cognito:preferred_role", PARTNER), List.of());
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        JsonNode response = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));

        SessionPrincipal principal = principal(response);
        assertThat(principal.roleArn()).isEqualTo(PARTNER);
        assertThat(principal.accountId()).isEqualTo("210987654321");
        assertThat(principal.identityId()).isEqualTo(identityId);
    }

    @Test
    void getCredentialsWhenMappingKeyInLocalIssuerFormThenMappingApplies() {
        String poolId = f.createPool(false);
        setMapping(
                poolId,
                IdentityFixture.localKey() + ":" + IdentityFixture.CLIENT,
                rules("Deny", rule("email", "Contains", "@example.com", READER)));
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        JsonNode response = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));

        assertThat(sealedRole(response)).isEqualTo(READER);
    }

    @Test
    void getCredentialsWhenMappingForAnotherClientThenAuthenticatedRole() {
        String poolId = poolWithTwoClients();
        setMapping(poolId, awsKey() + ":" + IdentityFixture.OTHER_CLIENT, token("Deny"));
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        JsonNode response = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));

        assertThat(sealedRole(response)).isEqualTo(authRole());
    }

    @Test
    void getCredentialsWhenGuestThenUnauthenticatedRoleWhateverTheMapping() {
        String poolId = f.createPool(true);
        setMapping(poolId, mappingKey(), token("Deny"));
        String identityId = f.ok("GetId", "{\"IdentityPoolId\":\"" + poolId + "\"}")
                .path("IdentityId")
                .asText();

        JsonNode response = f.ok("GetCredentialsForIdentity", forIdentity(identityId, "", ""));
        Response custom = f.call(
                "GetCredentialsForIdentity",
                "{\"IdentityId\":\"" + identityId + "\",\"CustomRoleArn\":\"" + ADMIN + "\"}");

        assertThat(sealedRole(response)).isEqualTo(IdentityFixture.unauthRole());
        assertThat(custom.errorType()).isEqualTo(NOT_AUTHORIZED);
    }

    @Test
    void getCredentialsWhenMappingReplacedThenNewMappingApplies() {
        String poolId = f.createPool(false);
        setMapping(poolId, mappingKey(), rules("Deny", rule("email", "Contains", "@", ADMIN)));
        f.ok(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"Roles\":{\"authenticated\":\"" + authRole() + "\"}}");
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        JsonNode response = f.ok("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));

        assertThat(sealedRole(response)).isEqualTo(authRole());
    }

    @Test
    void getCredentialsWhenStoredMappingUncheckedThenInvalidIdentityPoolConfiguration() {
        String poolId = f.createPool(false);
        PoolRepository repository = new PoolRepository(f.store);
        StoredPool pool = repository.find(poolId).orElseThrow();
        ObjectNode roles = pool.roles().deepCopy();
        roles.putObject("RoleMappings").putObject(mappingKey()).put("Type", "Rules");
        repository.setRoles(pool, roles);
        String token = f.idToken("user-a");
        String identityId =
                f.ok("GetId", getId(poolId, awsKey(), token)).path("IdentityId").asText();

        Response response = f.call("GetCredentialsForIdentity", forIdentity(identityId, awsKey(), token));

        assertThat(response.errorType()).isEqualTo("InvalidIdentityPoolConfigurationException");
    }

    private String poolWithTwoClients() {
        ObjectNode body = AwsJson.mapper()
                .createObjectNode()
                .put("IdentityPoolName", "two clients")
                .put("AllowUnauthenticatedIdentities", false);
        body.putArray("CognitoIdentityProviders")
                .add(AwsJson.mapper()
                        .createObjectNode()
                        .put("ProviderName", awsKey())
                        .put("ClientId", IdentityFixture.CLIENT))
                .add(AwsJson.mapper()
                        .createObjectNode()
                        .put("ProviderName", awsKey())
                        .put("ClientId", IdentityFixture.OTHER_CLIENT));
        String poolId = f.ok("CreateIdentityPool", body.toString())
                .path("IdentityPoolId")
                .asText();
        f.ok(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"Roles\":{\"authenticated\":\"" + authRole() + "\"}}");
        return poolId;
    }

    private void setMapping(String poolId, String key, String mapping) {
        f.ok(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"Roles\":{\"authenticated\":\""
                        + authRole() + "\",\"unauthenticated\":\"" + IdentityFixture.unauthRole()
                        + "\"},\"RoleMappings\":{\""
                        + key + "\":" + mapping + "}}");
    }

    private static String withCustomRole(String identityId, String token, @Nullable String customRoleArn) {
        ObjectNode body = (ObjectNode) AwsJson.mapper().valueToTree(Map.of("IdentityId", identityId));
        body.putObject("Logins").put(awsKey(), token);
        if (customRoleArn != null) {
            body.put("CustomRoleArn", customRoleArn);
        }
        return body.toString();
    }

    private String sealedRole(JsonNode response) {
        return principal(response).roleArn();
    }

    private SessionPrincipal principal(JsonNode response) {
        JsonNode credentials = response.path("Credentials");
        return f.api.credentialResolver()
                .resolve(
                        credentials.path("AccessKeyId").asText(),
                        credentials.path("SessionToken").asText())
                .orElseThrow()
                .principal();
    }
}
