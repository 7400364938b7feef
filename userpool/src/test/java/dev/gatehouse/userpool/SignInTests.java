package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.userpool.PoolFixture.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInTests {

    private static final String USER = "alice@example.com";
    private final PoolFixture f = new PoolFixture();
    private final String[] ids = f.emailPool("");
    private final String poolId = ids[0];
    private final String clientId = ids[1];

    private void registered() {
        f.signUp(clientId, USER, PoolFixture.PASSWORD).ok();
        f.confirm(clientId, USER, f.lastCode()).ok();
    }

    @Test
    void signInWhenWrongPasswordThenIncorrectUsernameOrPassword() {
        registered();
        Reply reply = f.signIn(clientId, USER, "Wrong0rd!");
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Incorrect username or password.");
    }

    @Test
    void signInWhenFiveFailuresThenLockedOutOnCognitosSchedule() {
        registered();
        for (int i = 0; i < 4; i++) {
            assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        }
        f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
        // The success reset the count: five more failures, the fifth locks for 2^0 = 1 s.
        for (int i = 0; i < 5; i++) {
            assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        }
        assertThat(f.signIn(clientId, USER, PoolFixture.PASSWORD).message()).isEqualTo("Password attempts exceeded");
        f.clock.advance(Duration.ofSeconds(1));
        // Sixth failure locks for 2 s; attempts while locked do not lengthen it.
        assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        f.clock.advance(Duration.ofMillis(1999));
        assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Password attempts exceeded");
        f.clock.advance(Duration.ofMillis(1));
        assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        f.clock.advance(Duration.ofMillis(3999));
        assertThat(f.signIn(clientId, USER, PoolFixture.PASSWORD).message()).isEqualTo("Password attempts exceeded");
        f.clock.advance(Duration.ofMillis(1));
        f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
    }

    @Test
    void signInWhenManyFailuresThenLockoutCapsAtFifteenMinutesAndQuietResets() {
        registered();
        for (int i = 0; i < 20; i++) {
            f.signIn(clientId, USER, "Wrong0rd!");
            f.clock.advance(Duration.ofMinutes(14));
        }
        assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        f.clock.advance(Duration.ofMinutes(14).plusSeconds(59));
        assertThat(f.signIn(clientId, USER, PoolFixture.PASSWORD).message()).isEqualTo("Password attempts exceeded");
        f.clock.advance(Duration.ofMinutes(15));
        f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
        // After 15 quiet minutes the count started again: four failures do not lock.
        for (int i = 0; i < 4; i++) {
            f.signIn(clientId, USER, "Wrong0rd!");
        }
        f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
    }

    @Test
    void signInWhenUnknownUserAndLegacyThenUserNotFound() {
        Reply reply = f.signIn(clientId, "nobody@example.com", PoolFixture.PASSWORD);
        assertThat(reply.code()).isEqualTo(UserPoolErrors.USER_NOT_FOUND);
        assertThat(reply.message()).isEqualTo("User does not exist.");
    }

    @Test
    void preventUserExistenceErrorsWhenEnabledThenUnknownUserLooksLikeWrongPassword() {
        String hiding = f.createClient(
                poolId,
                "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\","
                        + "\"ALLOW_REFRESH_TOKEN_AUTH\"],\"PreventUserExistenceErrors\":\"ENABLED\"");
        Reply reply = f.signIn(hiding, "nobody@example.com", PoolFixture.PASSWORD);
        assertThat(reply.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(reply.message()).isEqualTo("Incorrect username or password.");
        Reply forgot = f.call("ForgotPassword", "{\"ClientId\":\"" + hiding + "\",\"Username\":\"nobody@example.com\"}")
                .ok();
        assertThat(forgot.get("CodeDeliveryDetails").path("Destination").asText())
                .isEqualTo("n***@e***");
        f.call("ResendConfirmationCode", "{\"ClientId\":\"" + hiding + "\",\"Username\":\"nobody@example.com\"}")
                .ok();
        assertThat(f.call(
                                "ConfirmForgotPassword",
                                "{\"ClientId\":\"" + hiding + "\",\"Username\":\"nobody@example.com\","
                                        + "\"ConfirmationCode\":\"123456\",\"Password\":\"Passw0rd!\"}")
                        .code())
                .isEqualTo(UserPoolErrors.CODE_MISMATCH);
        assertThat(f.mail.sent).isEmpty();
        assertThat(f.call("ForgotPassword", "{\"ClientId\":\"" + clientId + "\",\"Username\":\"nobody@example.com\"}")
                        .code())
                .isEqualTo(UserPoolErrors.USER_NOT_FOUND);
    }

    @Test
    void preventUserExistenceErrorsWhenEnabledThenDisabledUserWithWrongPasswordLooksLikeWrongPassword() {
        String hiding = f.createClient(
                poolId,
                "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\","
                        + "\"ALLOW_REFRESH_TOKEN_AUTH\"],\"PreventUserExistenceErrors\":\"ENABLED\"");
        registered();
        f.call("AdminDisableUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER + "\"}")
                .ok();
        assertThat(f.signIn(hiding, USER, "Wrong0rd!").message()).isEqualTo("Incorrect username or password.");
        assertThat(f.signIn(hiding, USER, PoolFixture.PASSWORD).message()).isEqualTo("User is disabled.");
        assertThat(f.signIn(clientId, USER, "Wrong0rd!").message()).isEqualTo("User is disabled.");
    }

    @Test
    void initiateAuthWhenFlowNotEnabledOrAdminOnlyThenInvalidParameter() {
        String srpOnly = f.createClient(poolId, "");
        Reply disabled = f.signIn(srpOnly, USER, PoolFixture.PASSWORD);
        assertThat(disabled.code()).isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(disabled.message()).isEqualTo("USER_PASSWORD_AUTH flow not enabled for this client");
        Reply adminFlow = f.call(
                "InitiateAuth",
                "{\"AuthFlow\":\"ADMIN_USER_PASSWORD_AUTH\",\"ClientId\":\"" + clientId
                        + "\",\"AuthParameters\":{\"USERNAME\":\"a\",\"PASSWORD\":\"b\"}}");
        assertThat(adminFlow.message()).isEqualTo("Initiate Auth method not supported.");
        assertThat(f.call("InitiateAuth", "{\"AuthFlow\":\"MAGIC\",\"ClientId\":\"" + clientId + "\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        Reply srp = f.call(
                "InitiateAuth",
                "{\"AuthFlow\":\"USER_SRP_AUTH\",\"ClientId\":\"" + srpOnly
                        + "\",\"AuthParameters\":{\"USERNAME\":\"a\",\"SRP_A\":\"1\"}}");
        // SRP is on by default; SRP_A = 1 is degenerate and refused.
        assertThat(srp.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(srp.get("AuthenticationResult").isMissingNode()).isTrue();
        assertThat(f.call(
                                "InitiateAuth",
                                "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"" + clientId
                                        + "\",\"AuthParameters\":{\"USERNAME\":\"a\"}}")
                        .message())
                .isEqualTo("Missing required parameter PASSWORD");
    }

    @Test
    void adminInitiateAuthWhenAdminFlowThenTokensAndUnsignedRefused() {
        registered();
        String body = "{\"UserPoolId\":\"" + poolId + "\",\"ClientId\":\"" + clientId + "\",\"AuthFlow\":"
                + "\"ADMIN_USER_PASSWORD_AUTH\",\"AuthParameters\":{\"USERNAME\":\"" + USER + "\",\"PASSWORD\":\""
                + PoolFixture.PASSWORD + "\"}}";
        assertThat(f.call("AdminInitiateAuth", body)
                        .ok()
                        .get("AuthenticationResult")
                        .has("AccessToken"))
                .isTrue();
        assertThat(f.unsigned("AdminInitiateAuth", body).code()).isEqualTo("MissingAuthenticationTokenException");
        String other = f.createPool("{\"PoolName\":\"other\"}");
        assertThat(f.call("AdminInitiateAuth", body.replace(poolId, other)).code())
                .isEqualTo(UserPoolErrors.RESOURCE_NOT_FOUND);
    }

    @Test
    void secretHashWhenClientHasSecretThenRequiredAndChecked() {
        Reply created = f.call(
                        "CreateUserPoolClient",
                        "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"s\","
                                + "\"GenerateSecret\":true,"
                                + "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]}")
                .ok();
        String secretClient = created.get("UserPoolClient").path("ClientId").asText();
        String secret = created.get("UserPoolClient").path("ClientSecret").asText();
        assertThat(secretClient).matches("[a-z0-9]{26}");
        assertThat(secret).matches("[a-z0-9]{51}");
        String hash = PoolContext.secretHash(secret, USER, secretClient);
        assertThat(f.signUp(secretClient, USER, PoolFixture.PASSWORD).message())
                .isEqualTo("Client " + secretClient + " is configured for secret but secret was not received");
        Reply wrong = f.call(
                "SignUp",
                "{\"ClientId\":\"" + secretClient + "\",\"Username\":\"" + USER
                        + "\",\"Password\":\"Passw0rd!\",\"SecretHash\":\""
                        + PoolContext.secretHash(secret, "x", secretClient) + "\"}");
        assertThat(wrong.message()).isEqualTo("Unable to verify secret hash for client " + secretClient);
        f.call(
                        "SignUp",
                        "{\"ClientId\":\"" + secretClient + "\",\"Username\":\"" + USER
                                + "\",\"Password\":\"Passw0rd!\"," + "\"SecretHash\":\"" + hash + "\"}")
                .ok();
        f.call(
                        "ConfirmSignUp",
                        "{\"ClientId\":\"" + secretClient + "\",\"Username\":\"" + USER + "\",\"SecretHash\":\"" + hash
                                + "\",\"ConfirmationCode\":\"" + f.lastCode() + "\"}")
                .ok();
        assertThat(f.signIn(secretClient, USER, PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        f.call(
                        "InitiateAuth",
                        "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"" + secretClient
                                + "\",\"AuthParameters\":{\"USERNAME\":\"" + USER
                                + "\",\"PASSWORD\":\"Passw0rd!\",\"SECRET_HASH\":\"" + hash
                                + "\"}}")
                .ok();
        assertThat(f.call(
                                "SignUp",
                                "{\"ClientId\":\"" + clientId + "\",\"Username\":\"z@example.com\","
                                        + "\"Password\":\"Passw0rd!\",\"SecretHash\":\"abc\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void refreshWhenValidThenNewTokensWithoutRefreshTokenAndRevokedAfterGlobalSignOut() {
        registered();
        Reply signIn = f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
        String refresh = signIn.get("AuthenticationResult").path("RefreshToken").asText();
        String access = signIn.get("AuthenticationResult").path("AccessToken").asText();
        for (String flow : new String[] {"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"}) {
            Reply refreshed = f.call(
                            "InitiateAuth",
                            "{\"AuthFlow\":\"" + flow + "\",\"ClientId\":\"" + clientId
                                    + "\",\"AuthParameters\":{\"REFRESH_TOKEN\":\"" + refresh + "\"}}")
                    .ok();
            assertThat(refreshed.get("AuthenticationResult").has("AccessToken")).isTrue();
            assertThat(refreshed.get("AuthenticationResult").has("RefreshToken"))
                    .isFalse();
        }
        f.call("GlobalSignOut", "{\"AccessToken\":\"" + access + "\"}").ok();
        Reply getUser = f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}");
        assertThat(getUser.message()).isEqualTo("Access Token has been revoked");
        Reply afterSignOut = f.call(
                "InitiateAuth",
                "{\"AuthFlow\":\"REFRESH_TOKEN_AUTH\",\"ClientId\":\"" + clientId
                        + "\",\"AuthParameters\":{\"REFRESH_TOKEN\":\"" + refresh + "\"}}");
        assertThat(afterSignOut.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
    }

    @Test
    void revokeTokenWhenRefreshTokenThenItsSessionEndsAndAccessTokenIsRefused() {
        registered();
        Reply signIn = f.signIn(clientId, USER, PoolFixture.PASSWORD).ok();
        String refresh = signIn.get("AuthenticationResult").path("RefreshToken").asText();
        String access = signIn.get("AuthenticationResult").path("AccessToken").asText();
        assertThat(f.call("RevokeToken", "{\"Token\":\"" + access + "\",\"ClientId\":\"" + clientId + "\"}")
                        .code())
                .isEqualTo(UserPoolErrors.UNSUPPORTED_TOKEN_TYPE);
        f.call("RevokeToken", "{\"Token\":\"" + refresh + "\",\"ClientId\":\"" + clientId + "\"}")
                .ok();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}").message())
                .isEqualTo("Access Token has been revoked");
    }

    @Test
    void caseInsensitivePoolWhenDifferentCaseThenSameUser() {
        String insensitive = f.createPool("{\"PoolName\":\"ci\",\"UsernameConfiguration\":{\"CaseSensitive\":false}}");
        String client = f.createClient(
                insensitive, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\"," + "\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        f.signUp(client, "Mixed", PoolFixture.PASSWORD).ok();
        assertThat(f.signUp(client, "mIXED", PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.USERNAME_EXISTS);
        f.call("AdminConfirmSignUp", "{\"UserPoolId\":\"" + insensitive + "\",\"Username\":\"MIXED\"}")
                .ok();
        Reply signIn = f.signIn(client, "mixed", PoolFixture.PASSWORD).ok();
        String access = signIn.get("AuthenticationResult").path("AccessToken").asText();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}")
                        .ok()
                        .get("Username")
                        .asText())
                .isEqualTo("Mixed");
    }

    @Test
    void accessTokenOperationsWhenUserDeletedOrDisabledThenRefused() {
        String access = f.signedUpAndIn(clientId, USER);
        Reply user = f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}").ok();
        assertThat(user.get("UserAttributes").toString()).contains("\"Name\":\"email\",\"Value\":\"" + USER + "\"");
        f.call("AdminDisableUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER + "\"}")
                .ok();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}").code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        f.call("AdminEnableUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + USER + "\"}")
                .ok();
        String again = f.signIn(clientId, USER, PoolFixture.PASSWORD)
                .ok()
                .get("AuthenticationResult")
                .path("AccessToken")
                .asText();
        f.call("DeleteUser", "{\"AccessToken\":\"" + again + "\"}").ok();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + again + "\"}").code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(f.signIn(clientId, USER, PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.USER_NOT_FOUND);
        f.signUp(clientId, USER, PoolFixture.PASSWORD).ok();
    }

    @Test
    void changePasswordWhenPreviousRightThenNewPasswordWorks() {
        String access = f.signedUpAndIn(clientId, USER);
        assertThat(f.call(
                                "ChangePassword",
                                "{\"AccessToken\":\"" + access + "\",\"PreviousPassword\":\"Wrong0rd!\","
                                        + "\"ProposedPassword\":\"N3w-Passw0rd\"}")
                        .code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(f.call(
                                "ChangePassword",
                                "{\"AccessToken\":\"" + access + "\",\"PreviousPassword\":\"Passw0rd!\","
                                        + "\"ProposedPassword\":\"weak\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        f.call(
                        "ChangePassword",
                        "{\"AccessToken\":\"" + access + "\",\"PreviousPassword\":\"Passw0rd!\","
                                + "\"ProposedPassword\":\"N3w-Passw0rd\"}")
                .ok();
        f.signIn(clientId, USER, "N3w-Passw0rd").ok();
        assertThat(f.signIn(clientId, USER, PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
    }

    @Test
    void updateUserAttributesWhenEmailChangesThenUnverifiedAndCodeSent() {
        String access = f.signedUpAndIn(clientId, USER);
        Reply reply = f.call(
                        "UpdateUserAttributes",
                        "{\"AccessToken\":\"" + access + "\",\"UserAttributes\":["
                                + "{\"Name\":\"email\",\"Value\":\"new@example.com\"},{\"Name\":\"name\",\"Value\":\"Alice\"}]}")
                .ok();
        assertThat(reply.get("CodeDeliveryDetailsList")
                        .get(0)
                        .path("Destination")
                        .asText())
                .isEqualTo("n***@e***");
        Reply user = f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}").ok();
        assertThat(user.get("UserAttributes").toString())
                .contains("{\"Name\":\"email_verified\",\"Value\":\"false\"}")
                .contains("{\"Name\":\"name\",\"Value\":\"Alice\"}");
        f.signIn(clientId, "new@example.com", PoolFixture.PASSWORD).ok();
        assertThat(f.signIn(clientId, USER, PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.USER_NOT_FOUND);
        assertThat(f.call(
                                "UpdateUserAttributes",
                                "{\"AccessToken\":\"" + access + "\",\"UserAttributes\":["
                                        + "{\"Name\":\"email_verified\",\"Value\":\"true\"}]}")
                        .code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        String code = f.lastCode();
        String wrong = code.equals("000000") ? "111111" : "000000";
        assertThat(f.call(
                                "VerifyUserAttribute",
                                "{\"AccessToken\":\"" + access + "\",\"AttributeName\":\"email\"," + "\"Code\":\""
                                        + wrong + "\"}")
                        .code())
                .isEqualTo(UserPoolErrors.CODE_MISMATCH);
        f.call(
                        "VerifyUserAttribute",
                        "{\"AccessToken\":\"" + access + "\",\"AttributeName\":\"email\",\"Code\":\"" + code + "\"}")
                .ok();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}")
                        .ok()
                        .get("UserAttributes")
                        .toString())
                .contains("{\"Name\":\"email_verified\",\"Value\":\"true\"}");
    }
}
