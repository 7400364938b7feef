package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.userpool.PoolFixture.Reply;
import org.junit.jupiter.api.Test;

class AliasPoolTests {

    private final PoolFixture f = new PoolFixture();
    private final String poolId = f.createPool(
            "{\"PoolName\":\"alias\",\"AliasAttributes\":[\"email\"]," + "\"AutoVerifiedAttributes\":[\"email\"]}");
    private final String clientId = f.createClient(
            poolId, "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\"," + "\"ALLOW_REFRESH_TOKEN_AUTH\"]");

    private Reply signUp(String username, String email) {
        return f.call(
                "SignUp",
                "{\"ClientId\":\"" + clientId + "\",\"Username\":\"" + username + "\",\"Password\":"
                        + "\"Passw0rd!\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"" + email + "\"}]}");
    }

    @Test
    void aliasWhenConfirmedThenSignInByEmailAndUsername() {
        signUp("jdoe", "jdoe@example.com").ok();
        assertThat(f.signIn(clientId, "jdoe@example.com", PoolFixture.PASSWORD).code())
                .isEqualTo(UserPoolErrors.USER_NOT_FOUND);
        f.confirm(clientId, "jdoe", f.lastCode()).ok();
        f.signIn(clientId, "jdoe@example.com", PoolFixture.PASSWORD).ok();
        f.signIn(clientId, "jdoe", PoolFixture.PASSWORD).ok();
    }

    @Test
    void aliasWhenTakenThenSignUpSucceedsAndConfirmFailsUnlessForced() {
        signUp("first", "same@example.com").ok();
        f.confirm(clientId, "first", f.lastCode()).ok();
        signUp("second", "same@example.com").ok();
        String code = f.lastCode();
        Reply taken = f.confirm(clientId, "second", code);
        assertThat(taken.code()).isEqualTo(UserPoolErrors.ALIAS_EXISTS);
        assertThat(taken.message()).isEqualTo("An account with the email already exists.");
        f.call(
                        "ConfirmSignUp",
                        "{\"ClientId\":\"" + clientId + "\",\"Username\":\"second\",\"ConfirmationCode\":\"" + code
                                + "\",\"ForceAliasCreation\":true}")
                .ok();
        assertThat(f.signIn(clientId, "same@example.com", PoolFixture.PASSWORD)
                        .ok()
                        .get("AuthenticationResult")
                        .isObject())
                .isTrue();
        f.call("AdminDeleteUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"first\"}")
                .ok();
        f.signIn(clientId, "same@example.com", PoolFixture.PASSWORD).ok();
    }

    @Test
    void signUpWhenUsernameIsAnEmailOrSelfVerifiesThenRefused() {
        assertThat(signUp("me@example.com", "me@example.com").message())
                .isEqualTo("Username cannot be of email format, since user pool is configured for email alias.");
        Reply selfVerified = f.call(
                "SignUp",
                "{\"ClientId\":\"" + clientId + "\",\"Username\":\"sneaky\",\"Password\":"
                        + "\"Passw0rd!\",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"v@example.com\"},"
                        + "{\"Name\":\"email_verified\",\"Value\":\"true\"}]}");
        assertThat(selfVerified.code()).isEqualTo(UserPoolErrors.NOT_AUTHORIZED);
    }
}
