package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdminUserTests {

    private final PoolFixture f = new PoolFixture();
    private final String[] ids = f.emailPool("");
    private final String poolId = ids[0];
    private final String clientId = ids[1];

    private Reply adminCreate(String username, String temporary) {
        return f.call(
                "AdminCreateUser",
                "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"" + username + "\",\"TemporaryPassword\":\""
                        + temporary + "\"}");
    }

    @Test
    void adminCreateUserWhenTemporaryPasswordThenNewPasswordChallengeThenTokens() throws Exception {
        Reply created = adminCreate("new@example.com", "Temp0rary!").ok();
        assertThat(created.get("User").path("UserStatus").asText()).isEqualTo("FORCE_CHANGE_PASSWORD");
        assertThat(created.get("User").path("Enabled").asBoolean()).isTrue();
        assertThat(created.get("User").path("Attributes").toString()).contains("\"Name\":\"sub\"");
        assertThat(f.mail.last().body()).contains("Temp0rary!").contains("new@example.com");
        Reply challenge = f.signIn(clientId, "new@example.com", "Temp0rary!").ok();
        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("NEW_PASSWORD_REQUIRED");
        assertThat(challenge.get("Session").asText().length()).isBetween(20, 2048);
        JsonNode userAttributes = AwsJson.mapper()
                .readTree(challenge
                        .get("ChallengeParameters")
                        .path("userAttributes")
                        .asText());
        assertThat(userAttributes.path("email").asText()).isEqualTo("new@example.com");
        assertThat(challenge
                        .get("ChallengeParameters")
                        .path("requiredAttributes")
                        .asText())
                .isEqualTo("[]");
        String answer = "{\"ClientId\":\"" + clientId + "\",\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",\"Session\":\""
                + challenge.get("Session").asText() + "\",\"ChallengeResponses\":{\"USERNAME\":\"new@example.com\","
                + "\"NEW_PASSWORD\":\"Final-Passw0rd\"}}";
        Reply done = f.call("RespondToAuthChallenge", answer).ok();
        assertThat(done.get("ChallengeParameters").toString()).isEqualTo("{}");
        assertThat(done.get("AuthenticationResult").has("RefreshToken")).isTrue();
        Reply reused = f.call("RespondToAuthChallenge", answer);
        assertThat(reused.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        f.signIn(clientId, "new@example.com", "Final-Passw0rd").ok();
        assertThat(f.call("AdminGetUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"new@example.com\"}")
                        .ok()
                        .get("UserStatus")
                        .asText())
                .isEqualTo("CONFIRMED");
    }

    @Test
    void respondToChallengeWhenNoSessionOrOtherUserOrExpiredThenRefused() {
        adminCreate("one@example.com", "Temp0rary!").ok();
        adminCreate("two@example.com", "Temp0rary!").ok();
        String session = f.signIn(clientId, "one@example.com", "Temp0rary!")
                .ok()
                .get("Session")
                .asText();
        String base = "{\"ClientId\":\"" + clientId + "\",\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",";
        assertThat(f.call(
                                "RespondToAuthChallenge",
                                base + "\"ChallengeResponses\":{\"USERNAME\":\"one@example.com\","
                                        + "\"NEW_PASSWORD\":\"Final-Passw0rd\"}}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.call(
                                "RespondToAuthChallenge",
                                base + "\"Session\":\"" + session + "\",\"ChallengeResponses\":"
                                        + "{\"USERNAME\":\"two@example.com\",\"NEW_PASSWORD\":\"Final-Passw0rd\"}}")
                        .code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        String otherClient = f.createClient(
                poolId, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\"," + "\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        assertThat(f.call(
                                "RespondToAuthChallenge",
                                base.replace(clientId, otherClient) + "\"Session\":\"" + session
                                        + "\",\"ChallengeResponses\":{\"USERNAME\":\"one@example.com\",\"NEW_PASSWORD\":\"Final-Passw0rd\"}}")
                        .code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(f.call(
                                "RespondToAuthChallenge",
                                base + "\"Session\":\"" + "\u00e9".repeat(600) + "\","
                                        + "\"ChallengeResponses\":{\"USERNAME\":\"one@example.com\",\"NEW_PASSWORD\":\"Final-Passw0rd\"}}")
                        .code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        f.clock.advance(Duration.ofMinutes(3));
        Reply expired = f.call(
                "RespondToAuthChallenge",
                base + "\"Session\":\"" + session + "\",\"ChallengeResponses\":"
                        + "{\"USERNAME\":\"one@example.com\",\"NEW_PASSWORD\":\"Final-Passw0rd\"}}");
        assertThat(expired.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(expired.message()).isEqualTo("Invalid session for the user, session is expired.");
    }

    @Test
    void adminCreateUserWhenRequiredAttributeMissingThenChallengeAsksForIt() throws Exception {
        String pool = f.createPool("{\"PoolName\":\"req\",\"Schema\":[{\"Name\":\"name\",\"Required\":true}]}");
        String client = f.createClient(
                pool, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\"," + "\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + pool + "\",\"Username\":\"zed\",\"TemporaryPassword\":"
                                + "\"Temp0rary!\",\"MessageAction\":\"SUPPRESS\"}")
                .ok();
        assertThat(f.mail.sent).isEmpty();
        Reply challenge = f.signIn(client, "zed", "Temp0rary!").ok();
        assertThat(challenge
                        .get("ChallengeParameters")
                        .path("requiredAttributes")
                        .asText())
                .isEqualTo("[\"userAttributes.name\"]");
        String base = "{\"ClientId\":\"" + client + "\",\"ChallengeName\":\"NEW_PASSWORD_REQUIRED\",\"Session\":\""
                + challenge.get("Session").asText() + "\",\"ChallengeResponses\":{\"USERNAME\":\"zed\","
                + "\"NEW_PASSWORD\":\"Final-Passw0rd\"";
        Reply missing = f.call("RespondToAuthChallenge", base + "}}");
        assertThat(missing.message()).isEqualTo("Invalid attributes given, name is missing");
        f.call("RespondToAuthChallenge", base + ",\"userAttributes.name\":\"Zed\"}}")
                .ok();
    }

    @Test
    void adminCreateUserWhenTemporaryPasswordExpiredThenRefused() {
        adminCreate("late@example.com", "Temp0rary!").ok();
        f.clock.advance(Duration.ofDays(7));
        assertThat(f.signIn(clientId, "late@example.com", "Temp0rary!").code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
    }

    @Test
    void adminCreateUserWhenGeneratedPasswordThenItMeetsPolicyAndIsMailed() {
        f.call("AdminCreateUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"gen@example.com\"}")
                .ok();
        String body = f.mail.last().body();
        String password = f.mail.last().code();
        assertThat(body).contains(password);
        assertThat(f.signIn(clientId, "gen@example.com", password)
                        .ok()
                        .get("ChallengeName")
                        .asText())
                .isEqualTo("NEW_PASSWORD_REQUIRED");
        assertThat(adminCreate("gen@example.com", "Temp0rary!").code()).isEqualTo(UserPoolErrors.USERNAME_EXISTS);
    }

    @Test
    void adminSetUserPasswordWhenPermanentThenConfirmedElseForceChange() {
        adminCreate("set@example.com", "Temp0rary!").ok();
        String body =
                "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"set@example.com\",\"Password\":\"Perm-Passw0rd\"";
        f.call("AdminSetUserPassword", body + ",\"Permanent\":true}").ok();
        assertThat(f.signIn(clientId, "set@example.com", "Perm-Passw0rd")
                        .ok()
                        .get("AuthenticationResult")
                        .isObject())
                .isTrue();
        f.call("AdminSetUserPassword", body + "}").ok();
        assertThat(f.signIn(clientId, "set@example.com", "Perm-Passw0rd")
                        .ok()
                        .get("ChallengeName")
                        .asText())
                .isEqualTo("NEW_PASSWORD_REQUIRED");
        assertThat(f.call("AdminSetUserPassword", body.replace("Perm-Passw0rd", "short1A!") + ",\"Permanent\":true}")
                        .ok()
                        .status())
                .isEqualTo(200);
        assertThat(f.call("AdminSetUserPassword", body.replace("Perm-Passw0rd", "nouppercase1!") + "}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PASSWORD);
    }

    @Test
    void adminGetUserWhenUnknownThenUserNotFoundAndUnknownPoolResourceNotFound() {
        Reply missing = f.call("AdminGetUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"x@example.com\"}");
        assertThat(missing.code()).isEqualTo(UserPoolErrors.USER_NOT_FOUND);
        assertThat(missing.message()).isEqualTo("User does not exist.");
        assertThat(f.call("AdminGetUser", "{\"UserPoolId\":\"us-east-1_nope12345\",\"Username\":\"x\"}")
                        .code())
                .isEqualTo(UserPoolErrors.RESOURCE_NOT_FOUND);
        assertThat(f.call("AdminGetUser", "{\"UserPoolId\":\"bad pool\",\"Username\":\"x\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void adminDeleteUserWhenSignedInThenSessionsEnd() {
        String access = f.signedUpAndIn(clientId, "del@example.com");
        f.call("AdminDeleteUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"del@example.com\"}")
                .ok();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}").code())
                .isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(f.call("AdminDeleteUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"del@example.com\"}")
                        .code())
                .isEqualTo(UserPoolErrors.USER_NOT_FOUND);
    }

    @Test
    void adminUserGlobalSignOutWhenCalledThenAccessTokenRevoked() {
        String access = f.signedUpAndIn(clientId, "out@example.com");
        f.call("AdminUserGlobalSignOut", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"out@example.com\"}")
                .ok();
        assertThat(f.call("GetUser", "{\"AccessToken\":\"" + access + "\"}").message())
                .isEqualTo("Access Token has been revoked");
    }

    @Test
    void forgotPasswordWhenVerifiedEmailThenResetCodeSetsPasswordWithinOneHour() {
        f.signedUpAndIn(clientId, "fp@example.com");
        Reply forgot = f.call("ForgotPassword", "{\"ClientId\":\"" + clientId + "\",\"Username\":\"fp@example.com\"}")
                .ok();
        assertThat(forgot.get("CodeDeliveryDetails").path("Destination").asText())
                .isEqualTo("f***@e***");
        String code = f.lastCode();
        String confirm = "{\"ClientId\":\"" + clientId + "\",\"Username\":\"fp@example.com\",\"ConfirmationCode\":\""
                + code + "\",\"Password\":\"Reset-Passw0rd\"}";
        f.clock.advance(Duration.ofMinutes(59));
        f.call("ConfirmForgotPassword", confirm).ok();
        f.signIn(clientId, "fp@example.com", "Reset-Passw0rd").ok();
        assertThat(f.call("ConfirmForgotPassword", confirm).code()).isEqualTo(UserPoolErrors.EXPIRED_CODE);
        f.call("ForgotPassword", "{\"ClientId\":\"" + clientId + "\",\"Username\":\"fp@example.com\"}")
                .ok();
        String late = f.lastCode();
        f.clock.advance(Duration.ofHours(1));
        assertThat(f.call("ConfirmForgotPassword", confirm.replace(code, late)).code())
                .isEqualTo(UserPoolErrors.EXPIRED_CODE);
    }

    @Test
    void forgotPasswordWhenEmailNotVerifiedThenInvalidParameter() {
        f.signUp(clientId, "nv@example.com", PoolFixture.PASSWORD).ok();
        f.call("AdminConfirmSignUp", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"nv@example.com\"}")
                .ok();
        assertThat(f.call("ForgotPassword", "{\"ClientId\":\"" + clientId + "\",\"Username\":\"nv@example.com\"}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }
}
