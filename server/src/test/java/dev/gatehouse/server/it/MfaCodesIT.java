package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.it.MfaIT.Setup;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SetUserPoolMfaConfigRequest;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolMfaType;

/**
 * SMS and email one-time codes through the jar with the AWS SDK: SMS_MFA after password, SRP and admin sign-in with
 * the code read from the outbox, EMAIL_OTP, SELECT_MFA_TYPE, a pool with MFA ON forcing setup (by email), the lockout
 * after wrong codes and the session rules.
 */
class MfaCodesIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("mfa-codes");

    private static CognitoIdentityProviderClient admin() {
        return GATEHOUSE.adminClient();
    }

    private static CognitoIdentityProviderClient client() {
        return GATEHOUSE.client();
    }

    private static Setup setup(SetUserPoolMfaConfigRequest.Builder mfa, Map<String, String> attributes) {
        return MfaIT.setup(GATEHOUSE, mfa, attributes);
    }

    /** A pool with SMS MFA (OPTIONAL) and the message given, and a user with {@code phone}. */
    private static Setup smsPool(String phone, String message) {
        return setup(
                SetUserPoolMfaConfigRequest.builder()
                        .smsMfaConfiguration(c -> c.smsAuthenticationMessage(message))
                        .mfaConfiguration(UserPoolMfaType.OPTIONAL),
                Map.of("phone_number", phone));
    }

    private static String phone() {
        return "+1555" + String.format("%07d", Math.floorMod(TestUsers.suffix().hashCode(), 10_000_000));
    }

    private static InitiateAuthResponse passwordSignIn(Setup s) {
        return MfaIT.passwordSignIn(client(), s);
    }

    private static RespondToAuthChallengeResponse answer(
            Setup s, ChallengeNameType challenge, String session, String name, String value) {
        return client().respondToAuthChallenge(r -> r.clientId(s.clientId())
                .challengeName(challenge)
                .session(session)
                .challengeResponses(Map.of("USERNAME", s.username(), name, value)));
    }

    /** The code of the {@code n}th message of {@code purpose} to {@code recipient}. */
    private static String code(String recipient, String purpose, int n) {
        return GATEHOUSE.outbox().awaitNth(recipient, purpose, n).code();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void signInWhenSmsMfaPreferredThenSmsCodeAfterPasswordSrpAndAdminFlows() {
        String phone = phone();
        Setup s = smsPool(phone, "Your code is {####}");
        admin().adminSetUserMFAPreference(
                        r -> r.userPoolId(s.poolId()).username(s.username()).smsMfaSettings(m -> m.enabled(true)
                                .preferredMfa(true)));

        InitiateAuthResponse challenge = passwordSignIn(s);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.SMS_MFA);
        assertThat(challenge.challengeParameters())
                .containsEntry("CODE_DELIVERY_DELIVERY_MEDIUM", "SMS")
                .containsEntry("CODE_DELIVERY_DESTINATION", "+*******" + phone.substring(phone.length() - 4));
        Outbox.Message sms = GATEHOUSE.outbox().awaitNth(phone, "SMS_MFA", 1);
        assertThat(sms.body()).isEqualTo("Your code is " + sms.code());
        var done = answer(s, ChallengeNameType.SMS_MFA, challenge.session(), "SMS_MFA_CODE", sms.code());
        assertThat(done.authenticationResult().accessToken()).isNotBlank();
        var me = client().getUser(r -> r.accessToken(done.authenticationResult().accessToken()));
        assertThat(me.userMFASettingList()).containsExactly("SMS_MFA");
        assertThat(me.preferredMfaSetting()).isEqualTo("SMS_MFA");
        assertThat(me.mfaOptions()).singleElement().satisfies(o -> assertThat(o.attributeName())
                .isEqualTo("phone_number"));

        RespondToAuthChallengeResponse afterSrp = MfaIT.srpSignIn(client(), s.poolId(), s.clientId(), s.username());
        assertThat(afterSrp.challengeName()).isEqualTo(ChallengeNameType.SMS_MFA);
        assertThat(answer(s, ChallengeNameType.SMS_MFA, afterSrp.session(), "SMS_MFA_CODE", code(phone, "SMS_MFA", 2))
                        .authenticationResult()
                        .idToken())
                .isNotBlank();

        var adminChallenge = admin().adminInitiateAuth(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .authFlow(AuthFlowType.ADMIN_USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", s.username(), "PASSWORD", TestUsers.PASSWORD)));
        assertThat(adminChallenge.challengeName()).isEqualTo(ChallengeNameType.SMS_MFA);
        var adminDone = admin().adminRespondToAuthChallenge(r -> r.userPoolId(s.poolId())
                .clientId(s.clientId())
                .challengeName(ChallengeNameType.SMS_MFA)
                .session(adminChallenge.session())
                .challengeResponses(Map.of("USERNAME", s.username(), "SMS_MFA_CODE", code(phone, "SMS_MFA", 3))));
        assertThat(adminDone.authenticationResult().refreshToken()).isNotBlank();
        assertThat(admin().adminGetUser(r -> r.userPoolId(s.poolId()).username(s.username()))
                        .userAttributes())
                .anySatisfy(a -> {
                    assertThat(a.name()).isEqualTo("phone_number_verified");
                    assertThat(a.value()).isEqualTo("true");
                });
    }

    @Test
    void signInWhenSmsAndEmailEnabledAndNonePreferredThenSelectMfaTypeThenEmailOtp() {
        String email = "sel-" + TestUsers.suffix() + "@example.com";
        Setup s = setup(
                SetUserPoolMfaConfigRequest.builder()
                        .smsMfaConfiguration(c -> c.smsAuthenticationMessage("Code {####}"))
                        .emailMfaConfiguration(
                                c -> c.message("Sign in with {####}").subject("Your code"))
                        .softwareTokenMfaConfiguration(c -> c.enabled(true))
                        .mfaConfiguration(UserPoolMfaType.OPTIONAL),
                Map.of("phone_number", phone(), "email", email));
        admin().adminSetUserMFAPreference(r -> r.userPoolId(s.poolId())
                .username(s.username())
                .smsMfaSettings(m -> m.enabled(true))
                .emailMfaSettings(m -> m.enabled(true)));
        var config = admin().getUserPoolMfaConfig(r -> r.userPoolId(s.poolId()));
        assertThat(config.emailMfaConfiguration().subject()).isEqualTo("Your code");
        assertThat(config.smsMfaConfiguration().smsAuthenticationMessage()).isEqualTo("Code {####}");

        InitiateAuthResponse select = passwordSignIn(s);
        assertThat(select.challengeName()).isEqualTo(ChallengeNameType.SELECT_MFA_TYPE);
        assertThat(select.challengeParameters()).containsEntry("MFAS_CAN_CHOOSE", "[\"SMS_MFA\",\"EMAIL_OTP\"]");
        var emailChallenge = answer(s, ChallengeNameType.SELECT_MFA_TYPE, select.session(), "ANSWER", "EMAIL_OTP");
        assertThat(emailChallenge.challengeName()).isEqualTo(ChallengeNameType.EMAIL_OTP);
        assertThat(emailChallenge.challengeParameters())
                .containsEntry("CODE_DELIVERY_DELIVERY_MEDIUM", "EMAIL")
                .containsEntry("CODE_DELIVERY_DESTINATION", "s***@e***");
        Outbox.Message mail = GATEHOUSE.outbox().awaitNth(email, "EMAIL_OTP", 1);
        assertThat(mail.subject()).isEqualTo("Your code");
        assertAwsError(
                () -> answer(s, ChallengeNameType.SELECT_MFA_TYPE, select.session(), "ANSWER", "SMS_MFA"),
                "NotAuthorizedException");
        var done = answer(s, ChallengeNameType.EMAIL_OTP, emailChallenge.session(), "EMAIL_OTP_CODE", mail.code());
        assertThat(done.authenticationResult().accessToken()).isNotBlank();
        assertThat(admin().adminGetUser(r -> r.userPoolId(s.poolId()).username(s.username()))
                        .userMFASettingList())
                .containsExactly("SMS_MFA", "EMAIL_OTP");
    }

    @Test
    void poolWithMfaOnWhenUserHasNoFactorThenSetupByEmailThenEmailOtpAtEverySignIn() {
        assertAwsError(
                () -> admin().createUserPool(
                                r -> r.poolName("on-" + TestUsers.suffix()).mfaConfiguration(UserPoolMfaType.ON)),
                "InvalidParameterException",
                "SMS configuration and Auto verification for phone_number are required when MFA is required/optional");
        Setup s = setup(
                SetUserPoolMfaConfigRequest.builder()
                        .softwareTokenMfaConfiguration(c -> c.enabled(true))
                        .emailMfaConfiguration(c -> c.message("Code {####}"))
                        .mfaConfiguration(UserPoolMfaType.ON),
                Map.of("name", "No Factor"));
        InitiateAuthResponse setup = passwordSignIn(s);
        assertThat(setup.challengeName()).isEqualTo(ChallengeNameType.MFA_SETUP);
        assertThat(setup.challengeParameters())
                .containsEntry("MFAS_CAN_SETUP", "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]");

        String email = "setup-" + TestUsers.suffix() + "@example.com";
        var challenge = answer(s, ChallengeNameType.MFA_SETUP, setup.session(), "EMAIL", email);
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.EMAIL_OTP);
        var done = answer(
                s, ChallengeNameType.EMAIL_OTP, challenge.session(), "EMAIL_OTP_CODE", code(email, "EMAIL_OTP", 1));
        assertThat(done.authenticationResult().idToken()).isNotBlank();

        InitiateAuthResponse next = passwordSignIn(s);
        assertThat(next.challengeName()).isEqualTo(ChallengeNameType.EMAIL_OTP);
        assertThat(answer(s, ChallengeNameType.EMAIL_OTP, next.session(), "EMAIL_OTP_CODE", code(email, "EMAIL_OTP", 2))
                        .authenticationResult())
                .isNotNull();
        assertAwsError(
                () -> admin().adminSetUserMFAPreference(r ->
                        r.userPoolId(s.poolId()).username(s.username()).emailMfaSettings(m -> m.enabled(false))),
                "InvalidParameterException");
    }

    @Test
    void smsCodeWhenWrongReusedOrSessionUnknownThenRefusedAndFiveWrongCodesLockTheUserOut() {
        String phone = phone();
        Setup s = smsPool(phone, "Code {####}");
        assertAwsError(
                () -> client().setUserMFAPreference(
                                r -> r.accessToken("not-a-token").smsMfaSettings(m -> m.enabled(true))),
                "NotAuthorizedException");
        admin().adminSetUserMFAPreference(
                        r -> r.userPoolId(s.poolId()).username(s.username()).smsMfaSettings(m -> m.enabled(true)));

        String first = passwordSignIn(s).session();
        String right = code(phone, "SMS_MFA", 1);
        assertAwsError(
                () -> answer(s, ChallengeNameType.SMS_MFA, first, "SMS_MFA_CODE", wrong(right)),
                "CodeMismatchException",
                "Invalid code or auth state for the user.");
        assertAwsError(
                () -> answer(s, ChallengeNameType.SMS_MFA, first, "SMS_MFA_CODE", right),
                "NotAuthorizedException",
                "Invalid session for the user, session is expired.");
        assertAwsError(
                () -> answer(s, ChallengeNameType.SMS_MFA, "A".repeat(43), "SMS_MFA_CODE", right),
                "NotAuthorizedException",
                "Invalid session for the user, session is expired.");
        for (int n = 2; n <= 5; n++) {
            String session = passwordSignIn(s).session();
            String sent = code(phone, "SMS_MFA", n);
            assertAwsError(
                    () -> answer(s, ChallengeNameType.SMS_MFA, session, "SMS_MFA_CODE", wrong(sent)),
                    "CodeMismatchException");
        }
        assertAwsError(() -> passwordSignIn(s), "NotAuthorizedException", "Password attempts exceeded");
    }
}
