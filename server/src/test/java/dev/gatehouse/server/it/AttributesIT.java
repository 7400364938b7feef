package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeDataType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RecoveryOptionNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolType;

/** Schema, custom attributes and attribute changes through the jar with the AWS SDK. */
class AttributesIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("attributes");

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static SchemaAttributeType custom(String name, AttributeDataType type) {
        return SchemaAttributeType.builder().name(name).attributeDataType(type).build();
    }

    private static AttributeType attribute(String name, String value) {
        return AttributeType.builder().name(name).value(value).build();
    }

    private static Map<String, String> attributes(String poolId, String username) {
        return admin().adminGetUser(r -> r.userPoolId(poolId).username(username)).userAttributes().stream()
                .collect(Collectors.toMap(AttributeType::name, AttributeType::value));
    }

    @Test
    void createUserPoolWhenSchemaGivenThenEchoedAsCognitoAndBadEntriesRefusedWithItsMessages() {
        UserPoolType pool = admin().createUserPool(r -> r.poolName("schema-" + TestUsers.suffix())
                        .schema(
                                custom("tier", AttributeDataType.STRING).toBuilder()
                                        .stringAttributeConstraints(
                                                c -> c.minLength("1").maxLength("10"))
                                        .build(),
                                custom("secret", AttributeDataType.NUMBER).toBuilder()
                                        .developerOnlyAttribute(true)
                                        .build(),
                                SchemaAttributeType.builder()
                                        .name("given_name")
                                        .required(true)
                                        .build()))
                .userPool();

        Map<String, SchemaAttributeType> schema =
                pool.schemaAttributes().stream().collect(Collectors.toMap(SchemaAttributeType::name, a -> a));
        assertThat(schema)
                .containsKeys("sub", "email", "email_verified", "updated_at", "custom:tier", "dev:custom:secret");
        assertThat(schema.get("custom:tier").stringAttributeConstraints().maxLength())
                .isEqualTo("10");
        assertThat(schema.get("dev:custom:secret").developerOnlyAttribute()).isTrue();
        assertThat(schema.get("given_name").required()).isTrue();
        assertThat(schema.get("email_verified").stringAttributeConstraints()).isNull();

        assertAwsError(
                () -> admin().createUserPool(r -> r.poolName("bad")
                        .schema(custom("x", AttributeDataType.STRING).toBuilder()
                                .required(true)
                                .build())),
                "InvalidParameterException",
                "Required custom attributes are not supported currently.");
        assertAwsError(
                () -> admin().createUserPool(r -> r.poolName("bad")
                        .schema(SchemaAttributeType.builder().name("x").build())),
                "InvalidParameterException",
                "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.");
        assertAwsError(
                () -> admin().createUserPool(r -> r.poolName("bad")
                        .schema(SchemaAttributeType.builder()
                                .name("email")
                                .attributeDataType(AttributeDataType.NUMBER)
                                .build())),
                "InvalidParameterException",
                "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email");
        assertAwsError(
                () -> admin().createUserPool(r -> r.poolName("bad")
                        .schema(custom("y", AttributeDataType.STRING).toBuilder()
                                .stringAttributeConstraints(
                                        c -> c.minLength("5").maxLength("2"))
                                .build())),
                "InvalidParameterException",
                "user.custom:y: Max length cannot be less than min length.");
    }

    @Test
    void addCustomAttributesWhenNewThenInSchemaAndWritableAndDuplicateRefused() {
        UserPoolType pool = admin().createUserPool(r -> r.poolName("add-" + TestUsers.suffix()))
                .userPool();
        admin().addCustomAttributes(
                        r -> r.userPoolId(pool.id()).customAttributes(custom("plan", AttributeDataType.STRING)));

        assertThat(admin().describeUserPool(r -> r.userPoolId(pool.id()))
                        .userPool()
                        .schemaAttributes())
                .extracting(SchemaAttributeType::name)
                .contains("custom:plan");
        assertAwsError(
                () -> admin().addCustomAttributes(r ->
                        r.userPoolId(pool.id()).customAttributes(custom("plan", AttributeDataType.STRING))),
                "InvalidParameterException",
                "custom:plan: Existing attribute already has name custom:plan.");
        admin().adminCreateUser(r -> r.userPoolId(pool.id())
                .username("fay")
                .messageAction("SUPPRESS")
                .userAttributes(attribute("custom:plan", "gold")));
        assertThat(attributes(pool.id(), "fay")).containsEntry("custom:plan", "gold");
    }

    @Test
    void adminUpdateAndDeleteUserAttributesWhenAppliedThenStoredAndRulesHeld() {
        UserPoolType pool = admin().createUserPool(
                        r -> r.poolName("upd-" + TestUsers.suffix()).schema(custom("plan", AttributeDataType.STRING)))
                .userPool();
        admin().adminCreateUser(r -> r.userPoolId(pool.id())
                .username("gus")
                .messageAction("SUPPRESS")
                .userAttributes(attribute("email", "gus@example.com")));

        admin().adminUpdateUserAttributes(r -> r.userPoolId(pool.id())
                .username("gus")
                .userAttributes(
                        attribute("email", "gus2@example.com"),
                        attribute("email_verified", "True"),
                        attribute("custom:plan", "pro"),
                        attribute("name", "Gus")));
        assertThat(attributes(pool.id(), "gus"))
                .containsEntry("email", "gus2@example.com")
                .containsEntry("email_verified", "true")
                .containsEntry("custom:plan", "pro")
                .containsEntry("name", "Gus");

        admin().adminUpdateUserAttributes(r ->
                r.userPoolId(pool.id()).username("gus").userAttributes(attribute("email", "gus3@example.com")));
        assertThat(attributes(pool.id(), "gus"))
                .as("a new email is unverified")
                .containsEntry("email_verified", "false");

        admin().adminDeleteUserAttributes(
                        r -> r.userPoolId(pool.id()).username("gus").userAttributeNames("name"));
        assertThat(attributes(pool.id(), "gus")).doesNotContainKey("name");

        assertAwsError(
                () -> admin().adminUpdateUserAttributes(r ->
                        r.userPoolId(pool.id()).username("gus").userAttributes(attribute("custom:unknown", "x"))),
                "InvalidParameterException");
        assertAwsError(
                () -> admin().adminDeleteUserAttributes(
                                r -> r.userPoolId(pool.id()).username("gus").userAttributeNames("sub")),
                "NotAuthorizedException");
        assertAwsError(
                () -> admin().adminUpdateUserAttributes(
                                r -> r.userPoolId(pool.id()).username("nobody").userAttributes(attribute("name", "x"))),
                "UserNotFoundException",
                "User does not exist.");
    }

    @Test
    void deleteUserAttributesWhenSignedInThenOwnAttributeRemoved() {
        String email = TestUsers.email("selfdelete");
        Journeys journeys = new Journeys(GATEHOUSE);
        journeys.signUpAdminConfirmed(email, TestUsers.PASSWORD);
        String poolId = GATEHOUSE.outputs().userPoolId();
        admin().adminUpdateUserAttributes(
                        r -> r.userPoolId(poolId).username(email).userAttributes(attribute("nickname", "nick")));
        String token = journeys.signIn(email, TestUsers.PASSWORD).accessToken();

        GATEHOUSE.client().deleteUserAttributes(r -> r.accessToken(token).userAttributeNames("nickname"));

        assertThat(attributes(poolId, email)).doesNotContainKey("nickname");
        assertAwsError(
                () -> GATEHOUSE.client().deleteUserAttributes(r -> r.accessToken(token)
                        .userAttributeNames("email")),
                "InvalidParameterException");
    }

    @Test
    void forgotPasswordWhenRecoveryIsAdminOnlyThenNotAuthorized() {
        UserPoolType pool = admin().createUserPool(r -> r.poolName("admin-only-" + TestUsers.suffix())
                        .accountRecoverySetting(s -> s.recoveryMechanisms(
                                m -> m.name(RecoveryOptionNameType.ADMIN_ONLY).priority(1))))
                .userPool();
        String clientId = admin().createUserPoolClient(
                        r -> r.userPoolId(pool.id()).clientName("app"))
                .userPoolClient()
                .clientId();
        admin().adminCreateUser(r -> r.userPoolId(pool.id())
                .username("hal")
                .messageAction("SUPPRESS")
                .userAttributes(attribute("email", "hal@example.com"), attribute("email_verified", "True")));

        assertAwsError(
                () -> GATEHOUSE.client().forgotPassword(r -> r.clientId(clientId)
                        .username("hal")),
                "NotAuthorizedException",
                "Contact administrator to reset password.");
        assertThat(attributes(pool.id(), "hal")).containsEntry("email_verified", "true");
        assertThat(List.of(pool.accountRecoverySetting()
                        .recoveryMechanisms()
                        .get(0)
                        .name()))
                .containsExactly(RecoveryOptionNameType.ADMIN_ONLY);
    }
}
