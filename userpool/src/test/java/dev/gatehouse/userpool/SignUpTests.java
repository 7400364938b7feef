package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignUpTests {

    private final PoolFixture f = new PoolFixture();
    private final String[] ids = f.emailPool("");
    private final String clientId = ids[1];

    @Test
    void signUpWhenEmailPoolThenUnconfirmedUserAndMaskedCodeDelivery() {
        Reply reply =
                f.signUp(clientId, "alice@example.com", PoolFixture.PASSWORD).ok();
        assertThat(reply.get("UserConfirmed").asBoolean()).isFalse();
        assertThat(reply.get("UserSub").asText()).matches("[0-9a-f-]{36}");
        assertThat(reply.get("CodeDeliveryDetails").toString())
                .isEqualTo("{\"Destination\":\"a***@e***\",\"DeliveryMedium\":\"EMAIL\",\"AttributeName\":\"email\"}");
        assertThat(f.mail.last().destination()).isEqualTo("alice@example.com");
        assertThat(f.mail.last().body()).isEqualTo("Your verification code is " + f.lastCode() + ". ");
        Reply user = f.call("AdminGetUser", "{\"UserPoolId\":\"" + ids[0] + "\",\"Username\":\"alice@example.com\"}")
                .ok();
        assertThat(user.get("UserStatus").asText()).isEqualTo("UNCONFIRMED");
        assertThat(user.get("Username").asText()).isEqualTo(reply.get("UserSub").asText());
    }

    @Test
    void confirmSignUpWhenRightCodeThenConfirmedVerifiedAndSignInIssuesTokens() throws Exception {
        f.signUp(clientId, "bob@example.com", PoolFixture.PASSWORD).ok();
        f.confirm(clientId, "bob@example.com", f.lastCode()).ok();
        Reply signIn =
                f.signIn(clientId, "bob@example.com", PoolFixture.PASSWORD).ok();
        assertThat(signIn.get("ChallengeParameters").toString()).isEqualTo("{}");
        assertThat(signIn.get("AuthenticationResult").path("TokenType").asText())
                .isEqualTo("Bearer");
        assertThat(signIn.get("AuthenticationResult").path("ExpiresIn").asLong())
                .isEqualTo(3600);
        assertThat(signIn.get("AuthenticationResult").has("RefreshToken")).isTrue();
        JWTClaimsSet id = SignedJWT.parse(
                        signIn.get("AuthenticationResult").path("IdToken").asText())
                .getJWTClaimsSet();
        assertThat(id.getStringClaim("email")).isEqualTo("bob@example.com");
        assertThat(id.getBooleanClaim("email_verified")).isTrue();
        assertThat(id.getStringClaim("cognito:username")).isEqualTo(id.getSubject());
        assertThat(id.getStringClaim("token_use")).isEqualTo("id");
        assertThat(id.getAudience()).containsExactly(clientId);
    }

    @Test
    void signUpWhenEmailTakenThenUsernameExists() {
        f.signUp(clientId, "carol@example.com", PoolFixture.PASSWORD).ok();
        Reply again = f.signUp(clientId, "carol@example.com", PoolFixture.PASSWORD);
        assertThat(again.code()).isEqualTo(UserPoolErrors.USERNAME_EXISTS);
        assertThat(again.message()).isEqualTo("An account with the given email already exists.");
    }

    @Test
    void signUpWhenNotAnEmailInEmailPoolThenInvalidParameter() {
        assertThat(f.signUp(clientId, "carol", PoolFixture.PASSWORD).code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }

    @Test
    void signInWhenUnconfirmedThenUserNotConfirmed() {
        f.signUp(clientId, "dan@example.com", PoolFixture.PASSWORD).ok();
        assertThat(f.signIn(clientId, "dan@example.com", PoolFixture.PASSWORD).code())
                .isEqualTo(UserPoolErrors.USER_NOT_CONFIRMED);
    }

    @Test
    void confirmWhenWrongCodeThenCodeMismatchAndFiveWrongKillTheCode() {
        f.signUp(clientId, "eve@example.com", PoolFixture.PASSWORD).ok();
        String code = f.lastCode();
        String wrong = code.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < OneTimeCode.MAX_ATTEMPTS; i++) {
            assertThat(f.confirm(clientId, "eve@example.com", wrong).code()).isEqualTo(UserPoolErrors.CODE_MISMATCH);
        }
        assertThat(f.confirm(clientId, "eve@example.com", code).code()).isEqualTo(UserPoolErrors.LIMIT_EXCEEDED);
    }

    @Test
    void confirmWhenCodeOlderThan24HoursThenExpiredCode() {
        f.signUp(clientId, "fay@example.com", PoolFixture.PASSWORD).ok();
        String code = f.lastCode();
        f.clock.advance(Duration.ofHours(24));
        Reply reply = f.confirm(clientId, "fay@example.com", code);
        assertThat(reply.code()).isEqualTo(UserPoolErrors.EXPIRED_CODE);
        assertThat(reply.message()).isEqualTo("Invalid code provided, please request a code again.");
    }

    @Test
    void confirmWhenUsedTwiceThenSecondIsRefused() {
        f.signUp(clientId, "gus@example.com", PoolFixture.PASSWORD).ok();
        String code = f.lastCode();
        f.confirm(clientId, "gus@example.com", code).ok();
        Reply again = f.confirm(clientId, "gus@example.com", code);
        assertThat(again.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        assertThat(again.message()).isEqualTo("User cannot be confirmed. Current status is CONFIRMED");
    }

    @Test
    void resendWhenCalledThenNewCodeReplacesOld() {
        f.signUp(clientId, "hal@example.com", PoolFixture.PASSWORD).ok();
        String first = f.lastCode();
        Reply resent = f.call(
                        "ResendConfirmationCode",
                        "{\"ClientId\":\"" + clientId + "\",\"Username\":\"hal@example.com\"}")
                .ok();
        assertThat(resent.get("CodeDeliveryDetails").path("Destination").asText())
                .isEqualTo("h***@e***");
        String second = f.lastCode();
        if (!first.equals(second)) {
            assertThat(f.confirm(clientId, "hal@example.com", first).code()).isEqualTo(UserPoolErrors.CODE_MISMATCH);
        }
        f.confirm(clientId, "hal@example.com", second).ok();
    }

    @Test
    void signUpWhenPasswordBreaksPolicyThenInvalidPasswordAndNothingStored() {
        int before = f.userCount(ids[0]);
        Reply reply = f.signUp(clientId, "ivy@example.com", "password1!");
        assertThat(reply.code()).isEqualTo(UserPoolErrors.INVALID_PASSWORD);
        assertThat(reply.message())
                .isEqualTo(
                        "Password did not conform with password policy: " + "Password must have uppercase characters");
        assertThat(f.signUp(clientId, "ivy@example.com", "Pa1!").code()).isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.userCount(ids[0])).isEqualTo(before);
    }

    @Test
    void signUpWhenBadInputThenAwsErrorsAndNothingStored() {
        int before = f.userCount(ids[0]);
        Reply missing = f.call("SignUp", "{\"Username\":\"a@example.com\",\"Password\":\"Passw0rd!\"}");
        assertThat(missing.code()).isEqualTo("InvalidParameterException");
        assertThat(missing.message())
                .isEqualTo("1 validation error detected: Value at 'clientId' failed to satisfy "
                        + "constraint: Member must not be null");
        assertThat(f.call("SignUp", "{\"ClientId\":5,\"Username\":\"a@example.com\",\"Password\":\"Passw0rd!\"}")
                        .code())
                .isEqualTo("SerializationException");
        assertThat(f.signUp("nosuchclient", "a@example.com", PoolFixture.PASSWORD)
                        .code())
                .isEqualTo(UserPoolErrors.RESOURCE_NOT_FOUND);
        assertThat(f.call(
                                "SignUp",
                                "{\"ClientId\":\"" + clientId + "\",\"Username\":\"a@example.com\","
                                        + "\"Password\":\"Passw0rd!\",\"UserAttributes\":[{\"Name\":\"shoe_size\",\"Value\":\"9\"}]}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
        assertThat(f.userCount(ids[0])).isEqualTo(before);
    }

    @Test
    void signUpWhenMailFailsThenCodeDeliveryFailure() {
        f.mail.failing = true;
        assertThat(f.signUp(clientId, "jo@example.com", PoolFixture.PASSWORD).code())
                .isEqualTo(UserPoolErrors.CODE_DELIVERY_FAILURE);
    }

    @Test
    void plainUsernamePoolWhenSignUpThenUsernameIsKeptAndSignInByUsername() {
        String poolId = f.createPool("{\"PoolName\":\"plain\",\"AutoVerifiedAttributes\":[\"email\"]}");
        String client = f.createClient(
                poolId, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\"," + "\"ALLOW_REFRESH_TOKEN_AUTH\"]");
        f.call(
                        "SignUp",
                        "{\"ClientId\":\"" + client + "\",\"Username\":\"kim\",\"Password\":\"Passw0rd!\","
                                + "\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"kim@example.com\"}]}")
                .ok();
        f.confirm(client, "kim", f.lastCode()).ok();
        assertThat(f.signIn(client, "kim", PoolFixture.PASSWORD)
                        .ok()
                        .get("AuthenticationResult")
                        .has("IdToken"))
                .isTrue();
        assertThat(f.signUp(client, "kim", PoolFixture.PASSWORD).message()).isEqualTo("User already exists");
        assertThat(f.signIn(client, "KIM", PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.USER_NOT_FOUND);
    }

    @Test
    void signUpWhenAdminOnlyPoolThenNotAuthorizedAndCustomTemplateUsedOtherwise() {
        String adminOnly = f.createPool(
                "{\"PoolName\":\"closed\",\"AdminCreateUserConfig\":" + "{\"AllowAdminCreateUserOnly\":true}}");
        String closedClient = f.createClient(adminOnly, "");
        assertThat(f.signUp(closedClient, "x", PoolFixture.PASSWORD).code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
        String custom = f.createPool("{\"PoolName\":\"custom\",\"UsernameAttributes\":[\"email\"],"
                + "\"AutoVerifiedAttributes\":[\"email\"],\"VerificationMessageTemplate\":{\"EmailMessage\":"
                + "\"Welcome! Code: {####}\",\"EmailSubject\":\"Hi\"}}");
        f.signUp(f.createClient(custom, ""), "t@example.com", PoolFixture.PASSWORD)
                .ok();
        assertThat(f.mail.last().subject()).isEqualTo("Hi");
        assertThat(f.mail.last().body()).isEqualTo("Welcome! Code: " + f.lastCode());
        assertThat(f.call(
                                "CreateUserPool",
                                "{\"PoolName\":\"bad\",\"VerificationMessageTemplate\":"
                                        + "{\"EmailMessage\":\"no code here\"}}")
                        .code())
                .isEqualTo(UserPoolErrors.INVALID_PARAMETER);
    }
}
