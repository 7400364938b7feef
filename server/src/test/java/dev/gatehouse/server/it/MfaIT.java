package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static dev.gatehouse.server.it.UserJourneyIT.otherCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.userpool.SrpTestClient;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AdminGetUserResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ExplicitAuthFlowsType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GetUserPoolMfaConfigResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SetUserPoolMfaConfigRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolMfaType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.VerifySoftwareTokenResponseType;

/**
 * TOTP MFA through the jar with the AWS SDK: pool configuration, token setup by access token and during MFA_SETUP,
 * SOFTWARE_TOKEN_MFA after password and after SRP sign-in, and the refusals (wrong, replayed code; misused session).
 */
class MfaIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("mfa");

    private static final String PASSWORD = TestUsers.PASSWORD;

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    /** A pool, its password/SRP client and one confirmed user with password {@link TestUsers#PASSWORD}. */
    record Setup(String poolId, String clientId, String username) {}

    /** A pool with TOTP enabled and the given mode, its client and one confirmed user with an email. */
    private static Setup setup(UserPoolMfaType mode) {
        return setup(
                GATEHOUSE,
                SetUserPoolMfaConfigRequest.builder()
                        .softwareTokenMfaConfiguration(c -> c.enabled(true))
                        .mfaConfiguration(mode),
                Map.of("email", "mfa-" + TestUsers.suffix() + "@example.com"));
    }

    /** A pool with {@code mfa} applied, its password/SRP client and one confirmed user with {@code attributes}. */
    static Setup setup(
            GatehouseProcess gatehouse, SetUserPoolMfaConfigRequest.Builder mfa, Map<String, String> attributes) {
        CognitoIdentityProviderClient admin = gatehouse.adminClient();
        String poolId = admin.createUserPool(r -> r.poolName("mfa-" + TestUsers.suffix()))
                .userPool()
                .id();
        admin.setUserPoolMfaConfig(mfa.userPoolId(poolId).build());
        String clientId = admin.createUserPoolClient(r -> r.userPoolId(poolId)
                        .clientName("app")
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_USER_SRP_AUTH,
                                ExplicitAuthFlowsType.ALLOW_ADMIN_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
        String username = "user-" + TestUsers.suffix();
        List<AttributeType> given = new ArrayList<>();
        attributes.forEach((name, value) ->
                given.add(AttributeType.builder().name(name).value(value).build()));
        admin.adminCreateUser(r -> r.userPoolId(poolId)
                .username(username)
                .messageAction("SUPPRESS")
                .userAttributes(given));
        admin.adminSetUserPassword(
                r -> r.userPoolId(poolId).username(username).password(PASSWORD).permanent(true));
        return new Setup(poolId, clientId, username);
    }

    private static InitiateAuthResponse passwordSignIn(Setup s) {
        return passwordSignIn(client(), s);
    }

    static InitiateAuthResponse passwordSignIn(CognitoIdentityProviderClient client, Setup s) {
        return client.initiateAuth(r -> r.clientId(s.clientId())
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", s.username(), "PASSWORD", PASSWORD)));
    }

    private static RespondToAuthChallengeResponse answerTotp(Setup s, String session, String code) {
        return client().respondToAuthChallenge(r -> r.clientId(s.clientId())
                .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA)
                .session(session)
                .challengeResponses(Map.of("USERNAME", s.username(), "SOFTWARE_TOKEN_MFA_CODE", code)));
    }

    /** Enables TOTP for the signed-in user by access token; returns the secret. */
    private static String enrolByAccessToken(Setup s) {
        String accessToken = passwordSignIn(s).authenticationResult().accessToken();
        String secret =
                client().associateSoftwareToken(r -> r.accessToken(accessToken)).secretCode();
        assertThat(secret).matches("[A-Z2-7]{52}");
        assertThat(client().verifySoftwareToken(r -> r.accessToken(accessToken)
                                .userCode(code(secret, 0))
                                .friendlyDeviceName("phone"))
                        .status())
                .isEqualTo(VerifySoftwareTokenResponseType.SUCCESS);
        client().setUserMFAPreference(r -> r.accessToken(accessToken)
                .softwareTokenMfaSettings(m -> m.enabled(true).preferredMfa(true)));
        return secret;
    }

    @Test
    void setUserPoolMfaConfigWhenTotpEnabledThenGetAndDescribeEchoIt() {
        String poolId = admin().createUserPool(r -> r.poolName("cfg-" + TestUsers.suffix()))
                .userPool()
                .id();
        GetUserPoolMfaConfigResponse initial = admin().getUserPoolMfaConfig(r -> r.userPoolId(poolId));
        assertThat(initial.mfaConfiguration()).isEqualTo(UserPoolMfaType.OFF);
        assertThat(initial.softwareTokenMfaConfiguration())
                .as("never configured: left out")
                .isNull();
        assertAwsError(
                () -> admin().setUserPoolMfaConfig(r -> r.userPoolId(poolId).mfaConfiguration(UserPoolMfaType.ON)),
                "InvalidParameterException",
                "Invalid MFA configuration given, can't turn on MFA and have no enabled MFA options.");
        assertAwsError(
                () -> admin().updateUserPool(r -> r.userPoolId(poolId).mfaConfiguration(UserPoolMfaType.ON)),
                "InvalidParameterException");

        var set = admin().setUserPoolMfaConfig(r -> r.userPoolId(poolId)
                .softwareTokenMfaConfiguration(c -> c.enabled(true))
                .mfaConfiguration(UserPoolMfaType.OPTIONAL));

        assertThat(set.mfaConfiguration()).isEqualTo(UserPoolMfaType.OPTIONAL);
        assertThat(set.softwareTokenMfaConfiguration().enabled()).isTrue();
        assertThat(admin().getUserPoolMfaConfig(r -> r.userPoolId(poolId))
                        .softwareTokenMfaConfiguration()
                        .enabled())
                .isTrue();
        assertThat(admin().describeUserPool(r -> r.userPoolId(poolId))
                        .userPool()
                        .mfaConfiguration())
                .isEqualTo(UserPoolMfaType.OPTIONAL);
        admin().updateUserPool(r -> r.userPoolId(poolId).mfaConfiguration(UserPoolMfaType.ON));
        assertThat(admin().getUserPoolMfaConfig(r -> r.userPoolId(poolId)).mfaConfiguration())
                .isEqualTo(UserPoolMfaType.ON);
        assertAwsError(
                () -> admin().setUserPoolMfaConfig(r ->
                        r.userPoolId(poolId).smsMfaConfiguration(c -> c.smsAuthenticationMessage("no placeholder"))),
                "InvalidParameterException");
    }

    @Test
    void passwordSignInWhenTotpEnabledThenSoftwareTokenChallengeAndRightCodeGivesTokens() {
        Setup s = setup(UserPoolMfaType.OPTIONAL);
        String secret = enrolByAccessToken(s);
        AdminGetUserResponse user =
                admin().adminGetUser(r -> r.userPoolId(s.poolId()).username(s.username()));
        assertThat(user.userMFASettingList()).containsExactly("SOFTWARE_TOKEN_MFA");
        assertThat(user.preferredMfaSetting()).isEqualTo("SOFTWARE_TOKEN_MFA");

        InitiateAuthResponse challenge = passwordSignIn(s);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.SOFTWARE_TOKEN_MFA);
        assertThat(challenge.authenticationResult()).isNull();

        RespondToAuthChallengeResponse done = answerTotp(s, challenge.session(), code(secret, 1));
        assertThat(done.authenticationResult().idToken()).isNotBlank();
        var me = client().getUser(r -> r.accessToken(done.authenticationResult().accessToken()));
        assertThat(me.userMFASettingList()).containsExactly("SOFTWARE_TOKEN_MFA");

        var admin = admin().adminInitiateAuth(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", s.username(), "PASSWORD", PASSWORD)));
        assertThat(admin.challengeName()).isEqualTo(ChallengeNameType.SOFTWARE_TOKEN_MFA);
    }

    @Test
    void softwareTokenAnswerWhenWrongReplayedOrSessionReusedThenCognitosErrors() {
        Setup s = setup(UserPoolMfaType.OPTIONAL);
        String secret = enrolByAccessToken(s);

        String wrong = passwordSignIn(s).session();
        assertAwsError(
                () -> answerTotp(s, wrong, otherCode(code(secret, 1))),
                "CodeMismatchException",
                "Invalid code received for user");
        // one answer per session, right or wrong
        assertAwsError(() -> answerTotp(s, wrong, code(secret, 1)), "NotAuthorizedException");

        String first = passwordSignIn(s).session();
        String used = code(secret, 1);
        assertThat(answerTotp(s, first, used).authenticationResult()).isNotNull();
        assertAwsError(() -> answerTotp(s, first, used), "NotAuthorizedException");
        String second = passwordSignIn(s).session();
        assertAwsError(
                () -> answerTotp(s, second, used),
                "ExpiredCodeException",
                "Your software token has already been used once.");
        String third = passwordSignIn(s).session();
        assertAwsError(() -> answerTotp(s, third, code(secret, -1)), "ExpiredCodeException");

        String forged = "A".repeat(43);
        assertAwsError(() -> answerTotp(s, forged, code(secret, 1)), "NotAuthorizedException");
        String otherClient = admin().createUserPoolClient(r -> r.userPoolId(s.poolId())
                        .clientName("other")
                        .explicitAuthFlows(
                                ExplicitAuthFlowsType.ALLOW_USER_PASSWORD_AUTH,
                                ExplicitAuthFlowsType.ALLOW_REFRESH_TOKEN_AUTH))
                .userPoolClient()
                .clientId();
        String bound = passwordSignIn(s).session();
        assertAwsError(
                () -> client().respondToAuthChallenge(r -> r.clientId(otherClient)
                        .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA)
                        .session(bound)
                        .challengeResponses(
                                Map.of("USERNAME", s.username(), "SOFTWARE_TOKEN_MFA_CODE", code(secret, 1)))),
                "NotAuthorizedException");
    }

    @Test
    void wrongCodesWhenRepeatedThenUserLockedOutEvenWithRightPassword() {
        Setup s = setup(UserPoolMfaType.OPTIONAL);
        String secret = enrolByAccessToken(s);
        for (int i = 0; i < 5; i++) {
            String session = passwordSignIn(s).session();
            assertAwsError(() -> answerTotp(s, session, otherCode(code(secret, 1))), "CodeMismatchException");
        }
        assertAwsError(() -> passwordSignIn(s), "NotAuthorizedException", "Password attempts exceeded");
    }

    @Test
    void poolMfaOnWhenUserHasNoFactorThenMfaSetupBySessionThenTotpAfterSrp() {
        Setup s = setup(UserPoolMfaType.ON);
        InitiateAuthResponse setup = passwordSignIn(s);
        assertThat(setup.challengeName()).isEqualTo(ChallengeNameType.MFA_SETUP);
        assertThat(setup.challengeParameters()).containsEntry("MFAS_CAN_SETUP", "[\"SOFTWARE_TOKEN_MFA\"]");

        var associated = client().associateSoftwareToken(r -> r.session(setup.session()));
        assertThat(associated.session()).isNotBlank().isNotEqualTo(setup.session());
        assertAwsError(
                () -> client().associateSoftwareToken(r -> r.session(setup.session())), "NotAuthorizedException");
        String secret = associated.secretCode();
        assertAwsError(
                () -> client().verifySoftwareToken(
                                r -> r.session(associated.session()).userCode(otherCode(code(secret, 0)))),
                "EnableSoftwareTokenMFAException");
        var verified = client().verifySoftwareToken(
                        r -> r.session(associated.session()).userCode(code(secret, 0)));
        assertThat(verified.status()).isEqualTo(VerifySoftwareTokenResponseType.SUCCESS);
        assertAwsError(
                () -> client().respondToAuthChallenge(r -> r.clientId(s.clientId())
                        .challengeName(ChallengeNameType.MFA_SETUP)
                        .session(associated.session())
                        .challengeResponses(Map.of("USERNAME", s.username()))),
                "NotAuthorizedException");
        var done = client().respondToAuthChallenge(r -> r.clientId(s.clientId())
                .challengeName(ChallengeNameType.MFA_SETUP)
                .session(verified.session())
                .challengeResponses(Map.of("USERNAME", s.username())));
        assertThat(done.authenticationResult().accessToken()).isNotBlank();
        assertThat(admin().adminGetUser(r -> r.userPoolId(s.poolId()).username(s.username()))
                        .userMFASettingList())
                .containsExactly("SOFTWARE_TOKEN_MFA");

        RespondToAuthChallengeResponse afterSrp = srpSignIn(s);
        assertThat(afterSrp.challengeName()).isEqualTo(ChallengeNameType.SOFTWARE_TOKEN_MFA);
        assertThat(answerTotp(s, afterSrp.session(), code(secret, 1))
                        .authenticationResult()
                        .idToken())
                .isNotBlank();
        assertAwsError(
                () -> admin().adminSetUserMFAPreference(r -> r.userPoolId(s.poolId())
                        .username(s.username())
                        .softwareTokenMfaSettings(m -> m.enabled(false))),
                "InvalidParameterException");
    }

    @Test
    void adminFlowWhenTemporaryPasswordInPoolWithMfaOnThenNewPasswordThenSetupThenAdminAnswersCode() {
        Setup s = setup(UserPoolMfaType.ON);
        String temporary = "Temp-" + TestUsers.suffix() + "a1A!";
        admin().adminSetUserPassword(r -> r.userPoolId(s.poolId())
                .username(s.username())
                .password(temporary)
                .permanent(false));
        var started = admin().adminInitiateAuth(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", s.username(), "PASSWORD", temporary)));
        assertThat(started.challengeName()).isEqualTo(ChallengeNameType.NEW_PASSWORD_REQUIRED);
        var setup = admin().adminRespondToAuthChallenge(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .challengeName(ChallengeNameType.NEW_PASSWORD_REQUIRED)
                .session(started.session())
                .challengeResponses(Map.of("USERNAME", s.username(), "NEW_PASSWORD", PASSWORD)));
        assertThat(setup.challengeName()).isEqualTo(ChallengeNameType.MFA_SETUP);

        var associated = client().associateSoftwareToken(r -> r.session(setup.session()));
        var verified = client().verifySoftwareToken(
                        r -> r.session(associated.session()).userCode(code(associated.secretCode(), 0)));
        var done = admin().adminRespondToAuthChallenge(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .challengeName(ChallengeNameType.MFA_SETUP)
                .session(verified.session())
                .challengeResponses(Map.of("USERNAME", s.username())));
        assertThat(done.authenticationResult().refreshToken()).isNotBlank();

        var challenged = admin().adminInitiateAuth(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", s.username(), "PASSWORD", PASSWORD)));
        assertThat(challenged.challengeName()).isEqualTo(ChallengeNameType.SOFTWARE_TOKEN_MFA);
        var signedIn = admin().adminRespondToAuthChallenge(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .challengeName(ChallengeNameType.SOFTWARE_TOKEN_MFA)
                .session(challenged.session())
                .challengeResponses(
                        Map.of("USERNAME", s.username(), "SOFTWARE_TOKEN_MFA_CODE", code(associated.secretCode(), 1))));
        assertThat(signedIn.authenticationResult().accessToken()).isNotBlank();
        var refreshed = client().initiateAuth(r -> r.clientId(s.clientId())
                .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                .authParameters(
                        Map.of("REFRESH_TOKEN", done.authenticationResult().refreshToken())));
        assertThat(refreshed.challengeName()).as("refresh never asks for MFA").isNull();
    }

    @Test
    void softwareTokenOperationsWhenNotVerifiedOrPoolWithoutTotpThenRefused() {
        Setup s = setup(UserPoolMfaType.OPTIONAL);
        String accessToken = passwordSignIn(s).authenticationResult().accessToken();
        assertAwsError(
                () -> client().setUserMFAPreference(
                                r -> r.accessToken(accessToken).softwareTokenMfaSettings(m -> m.enabled(true))),
                "InvalidParameterException");
        assertAwsError(
                () -> client().verifySoftwareToken(
                                r -> r.accessToken(accessToken).userCode("123456")),
                "SoftwareTokenMFANotFoundException");
        assertAwsError(
                () -> client().verifySoftwareToken(
                                r -> r.accessToken(accessToken).userCode("12345")),
                "InvalidParameterException");
        String unused =
                client().associateSoftwareToken(r -> r.accessToken(accessToken)).secretCode();
        assertThat(unused).isNotBlank();
        assertThat(passwordSignIn(s).authenticationResult())
                .as("a token not verified is no factor")
                .isNotNull();

        admin().setUserPoolMfaConfig(r -> r.userPoolId(s.poolId())
                .softwareTokenMfaConfiguration(c -> c.enabled(false))
                .mfaConfiguration(UserPoolMfaType.OFF));
        assertAwsError(
                () -> client().associateSoftwareToken(r -> r.accessToken(accessToken)),
                "SoftwareTokenMFANotFoundException",
                "Software Token MFA has not been enabled by the userPool");
    }

    private static RespondToAuthChallengeResponse srpSignIn(Setup s) {
        return srpSignIn(client(), s.poolId(), s.clientId(), s.username());
    }

    /** USER_SRP_AUTH and the PASSWORD_VERIFIER answer (password {@link TestUsers#PASSWORD}); what that answer gave. */
    static RespondToAuthChallengeResponse srpSignIn(
            CognitoIdentityProviderClient client, String poolId, String clientId, String username) {
        SrpTestClient srp = SrpTestClient.random(new SecureRandom());
        InitiateAuthResponse challenge = client.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_SRP_AUTH)
                .authParameters(Map.of("USERNAME", username, "SRP_A", srp.srpA())));
        return client.respondToAuthChallenge(r -> r.clientId(clientId)
                .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                .session(challenge.session())
                .challengeResponses(
                        SrpAnswers.passwordVerifier(srp, poolId, PASSWORD, challenge.challengeParameters())));
    }

    /** What an authenticator app shows for {@code base32Secret}, {@code offset} 30-second steps from now. */
    static String code(String base32Secret, int offset) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(base32Decode(base32Secret), "HmacSHA1"));
            long counter = Instant.now().getEpochSecond() / 30 + offset;
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int at = hash[19] & 0xf;
            int value = ByteBuffer.wrap(hash, at, 4).getInt() & 0x7fffffff;
            return String.format("%06d", value % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] base32Decode(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteBuffer out = ByteBuffer.allocate(text.length() * 5 / 8);
        long buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >>> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }
}
