package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.AmbiguousRoleResolutionType;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentity.model.MappingRule;
import software.amazon.awssdk.services.cognitoidentity.model.MappingRuleMatchType;
import software.amazon.awssdk.services.cognitoidentity.model.RoleMapping;
import software.amazon.awssdk.services.cognitoidentity.model.RoleMappingType;

/**
 * Role mappings against the real jar with the AWS SDK's CognitoIdentityClient: a Rules mapping set by signed
 * SetIdentityPoolRoles chooses each user's role in GetCredentialsForIdentity, and the gateway evaluates that role's
 * policy on {@code GET /private} (a role without a policy is implicitly denied).
 */
class RoleMappingIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("role-mapping");

    private static @Nullable CognitoIdentityClient publicClient;
    private static @Nullable CognitoIdentityClient adminClient;

    @BeforeAll
    static void clients() {
        publicClient = identityClient(AnonymousCredentialsProvider.create());
        ProfileFile file = ProfileFile.builder()
                .content(GATEHOUSE.outputs().adminCredentialsFile())
                .type(ProfileFile.Type.CREDENTIALS)
                .build();
        adminClient = identityClient(ProfileCredentialsProvider.builder()
                .profileFile(file)
                .profileName("default")
                .build());
    }

    @AfterAll
    static void closeClients() {
        if (publicClient != null) {
            publicClient.close();
        }
        if (adminClient != null) {
            adminClient.close();
        }
    }

    @Test
    void getCredentialsWhenRulesMappingThenRoleOfFirstMatchingRuleAndItsPolicyDecides() {
        String authRole = admin().getIdentityPoolRoles(r -> r.identityPoolId(poolId()))
                .roles()
                .get("authenticated");
        String account = authRole.split(":")[4];
        String readerRole = "arn:aws:iam::" + account + ":role/gatehouse-reader";
        String readerEmail = TestUsers.email("reader");
        setMapping(
                authRole,
                AmbiguousRoleResolutionType.DENY,
                rule("email", MappingRuleMatchType.EQUALS, readerEmail, readerRole),
                rule("aud", MappingRuleMatchType.EQUALS, GATEHOUSE.outputs().userPoolClientId(), authRole));

        SignedIn reader = signIn(readerEmail);
        SignedIn other = signIn(TestUsers.email("other"));
        HttpResponse<String> readerResponse = getPrivate(reader.credentials());
        HttpResponse<String> otherResponse = getPrivate(other.credentials());

        assertThat(readerResponse.statusCode()).as(readerResponse.body()).isEqualTo(403);
        assertThat(readerResponse.body())
                .contains(
                        "User: arn:aws:sts::" + account
                                + ":assumed-role/gatehouse-reader/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke");
        assertThat(otherResponse.statusCode()).as(otherResponse.body()).isEqualTo(200);
        assertThat(otherResponse.body()).isEqualTo("Hello " + other.identityId() + "!");
    }

    @Test
    void getCredentialsWhenTokenMappingThenPreferredRoleOfTheUsersGroupsDecides() {
        String authRole = authRole();
        String readerRole = authRole.substring(0, authRole.lastIndexOf(":role/")) + ":role/gatehouse-reader";
        String email = TestUsers.email("grouped");
        String group = "readers-" + TestUsers.suffix();
        new Journeys(GATEHOUSE).signUpAdminConfirmed(email, TestUsers.PASSWORD);
        var users = GATEHOUSE.adminClient();
        users.createGroup(r -> r.userPoolId(GATEHOUSE.outputs().userPoolId())
                .groupName(group)
                .roleArn(readerRole)
                .precedence(0));
        users.adminAddUserToGroup(r ->
                r.userPoolId(GATEHOUSE.outputs().userPoolId()).groupName(group).username(email));
        admin().setIdentityPoolRoles(r -> r.identityPoolId(poolId())
                .roles(Map.of("authenticated", authRole))
                .roleMappings(Map.of(
                        mappingKey(),
                        RoleMapping.builder()
                                .type(RoleMappingType.TOKEN)
                                .ambiguousRoleResolution(AmbiguousRoleResolutionType.AUTHENTICATED_ROLE)
                                .build())));

        SignedIn reader = signIn(email, false);
        HttpResponse<String> response = getPrivate(reader.credentials());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
        assertThat(response.body()).contains("assumed-role/gatehouse-reader/CognitoIdentityCredentials");
    }

    @Test
    void getCredentialsWhenNoRuleMatchesAndDenyThenNotAuthorized() {
        String authRole = admin().getIdentityPoolRoles(r -> r.identityPoolId(poolId()))
                .roles()
                .get("authenticated");
        String email = TestUsers.email("nobody");
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        Map<String, String> logins =
                logins(journeys.signIn(email, TestUsers.PASSWORD).idToken());
        String identityId =
                identity().getId(r -> r.identityPoolId(poolId()).logins(logins)).identityId();
        setMapping(
                authRole,
                AmbiguousRoleResolutionType.DENY,
                rule("custom:tier", MappingRuleMatchType.EQUALS, "gold", authRole));

        assertAwsError(
                () -> identity()
                        .getCredentialsForIdentity(r -> r.identityId(identityId).logins(logins)),
                "NotAuthorizedException",
                "The ambiguous role mapping rules for: " + mappingKey() + " denied this request.");
    }

    @Test
    void setIdentityPoolRolesWhenProviderNotConfiguredThenInvalidParameter() {
        String authRole = admin().getIdentityPoolRoles(r -> r.identityPoolId(poolId()))
                .roles()
                .get("authenticated");
        String key =
                "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId() + ":notaclient";

        assertAwsError(
                () -> admin().setIdentityPoolRoles(r -> r.identityPoolId(poolId())
                        .roles(Map.of("authenticated", authRole))
                        .roleMappings(Map.of(
                                key,
                                RoleMapping.builder()
                                        .type(RoleMappingType.TOKEN)
                                        .ambiguousRoleResolution(AmbiguousRoleResolutionType.AUTHENTICATED_ROLE)
                                        .build()))),
                "InvalidParameterException",
                "(" + key + ") is not a valid RoleMapping ProviderName or is not a configured " + "provider.");
    }

    private record SignedIn(String identityId, Credentials credentials) {}

    private static SignedIn signIn(String email) {
        return signIn(email, true);
    }

    private static SignedIn signIn(String email, boolean signUp) {
        Journeys journeys = new Journeys(GATEHOUSE);
        if (signUp) {
            journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        }
        Map<String, String> logins =
                logins(journeys.signIn(email, TestUsers.PASSWORD).idToken());
        String identityId =
                identity().getId(r -> r.identityPoolId(poolId()).logins(logins)).identityId();
        return new SignedIn(
                identityId,
                identity()
                        .getCredentialsForIdentity(r -> r.identityId(identityId).logins(logins))
                        .credentials());
    }

    private static void setMapping(String authRole, AmbiguousRoleResolutionType ambiguous, MappingRule... rules) {
        admin().setIdentityPoolRoles(r -> r.identityPoolId(poolId())
                .roles(Map.of("authenticated", authRole))
                .roleMappings(Map.of(
                        mappingKey(),
                        RoleMapping.builder()
                                .type(RoleMappingType.RULES)
                                .ambiguousRoleResolution(ambiguous)
                                .rulesConfiguration(c -> c.rules(rules))
                                .build())));
    }

    private static String authRole() {
        return admin().getIdentityPoolRoles(r -> r.identityPoolId(poolId()))
                .roles()
                .get("authenticated");
    }

    private static MappingRule rule(String claim, MappingRuleMatchType matchType, String value, String roleArn) {
        return MappingRule.builder()
                .claim(claim)
                .matchType(matchType)
                .value(value)
                .roleARN(roleArn)
                .build();
    }

    private static String mappingKey() {
        return "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId() + ":"
                + GATEHOUSE.outputs().userPoolClientId();
    }

    private static Map<String, String> logins(String idToken) {
        return Map.of(
                "cognito-idp.us-east-1.amazonaws.com/" + GATEHOUSE.outputs().userPoolId(), idToken);
    }

    private static String poolId() {
        return GATEHOUSE.output("IdentityPoolId");
    }

    private static HttpResponse<String> getPrivate(Credentials credentials) {
        return ApiCalls.getSigned(URI.create(GATEHOUSE.output("ApiEndpoint") + "/private"), credentials);
    }

    private static CognitoIdentityClient identityClient(AwsCredentialsProvider credentials) {
        return GATEHOUSE.newIdentityClient(credentials);
    }

    private static CognitoIdentityClient identity() {
        CognitoIdentityClient c = publicClient;
        if (c == null) {
            throw new IllegalStateException("not started");
        }
        return c;
    }

    private static CognitoIdentityClient admin() {
        CognitoIdentityClient c = adminClient;
        if (c == null) {
            throw new IllegalStateException("not started");
        }
        return c;
    }
}
