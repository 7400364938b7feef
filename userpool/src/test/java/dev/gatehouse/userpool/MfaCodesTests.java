package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.userpool.PoolFixture.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE and MFA_SETUP by email, with the pool and user settings that lead to them. */
class MfaCodesTests {

    private static final String PHONE = "+15551234567";
    private static final String EMAIL = "carol@example.com";

    private final PoolFixture f = new PoolFixture();
    private String poolId = "";
    private String clientId = "";

    /** A plain pool (username sign-in) with the MFA settings given, a password client and user "carol". */
    private void pool(String mfaConfig, String userAttributes) {
        poolId = f.createPool("{\"PoolName\":\"mfa\"}");
        f.call("SetUserPoolMfaConfig", "{\"UserPoolId\":\"" + poolId + "\"," + mfaConfig + "}")
                .ok();
        clientId = f.createClient(
                poolId,
                "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\","
                        + "\"ALLOW_ADMIN_USER_PASSWORD_AUTH\"]");
        f.call(
                        "AdminCreateUser",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\",\"MessageAction\":\"SUPPRESS\","
                                + "\"UserAttributes\":[" + userAttributes + "]}")
                .ok();
        f.call(
                        "AdminSetUserPassword",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\",\"Password\":\""
                                + PoolFixture.PASSWORD + "\",\"Permanent\":true}")
                .ok();
    }

    private static String attribute(String name, String value) {
        return "{\"Name\":\"" + name + "\",\"Value\":\"" + value + "\"}";
    }

    private Reply preference(String settings) {
        return f.call(
                "AdminSetUserMFAPreference",
                "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\"," + settings + "}");
    }

    private Reply signIn() {
        return f.signIn(clientId, "carol", PoolFixture.PASSWORD);
    }

    private Reply answer(String challenge, String session, String name, String value) {
        return f.call(
                "RespondToAuthChallenge",
                "{\"ClientId\":\"" + clientId + "\",\"ChallengeName\":\"" + challenge + "\",\"Session\":\"" + session
                        + "\",\"ChallengeResponses\":{\"USERNAME\":\"carol\",\"" + name + "\":\"" + value + "\"}}");
    }

    private JsonNode adminGetUser() {
        return f.call("AdminGetUser", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\"}")
                .ok()
                .body();
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "111111" : "000000";
    }

    @Test
    void passwordSignInWhenSmsMfaEnabledThenCodeToPhoneAndRightCodeGivesTokensAndVerifiesPhone() {
        pool(
                "\"SmsMfaConfiguration\":{\"SmsAuthenticationMessage\":\"Code: {####}\"},\"MfaConfiguration\":"
                        + "\"OPTIONAL\"",
                attribute("phone_number", PHONE));
        preference("\"SMSMfaSettings\":{\"Enabled\":true,\"PreferredMfa\":true}")
                .ok();

        Reply challenge = signIn().ok();

        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("SMS_MFA");
        assertThat(challenge.get("AuthenticationResult").isMissingNode()).isTrue();
        assertThat(challenge
                        .get("ChallengeParameters")
                        .path("CODE_DELIVERY_DELIVERY_MEDIUM")
                        .asText())
                .isEqualTo("SMS");
        assertThat(challenge
                        .get("ChallengeParameters")
                        .path("CODE_DELIVERY_DESTINATION")
                        .asText())
                .isEqualTo("+*******4567");
        OutgoingMessage sms = f.mail.last();
        assertThat(sms.destination()).isEqualTo(PHONE);
        assertThat(sms.purpose()).isEqualTo("SMS_MFA");
        assertThat(sms.toPhone()).isTrue();
        assertThat(sms.body()).isEqualTo("Code: " + sms.code());

        Reply done = answer("SMS_MFA", challenge.get("Session").asText(), "SMS_MFA_CODE", sms.code())
                .ok();
        assertThat(done.get("AuthenticationResult").path("AccessToken").asText())
                .isNotEmpty();
        JsonNode user = adminGetUser();
        assertThat(user.path("UserMFASettingList").toString()).isEqualTo("[\"SMS_MFA\"]");
        assertThat(user.path("PreferredMfaSetting").asText()).isEqualTo("SMS_MFA");
        assertThat(user.path("MFAOptions").toString())
                .isEqualTo("[{\"DeliveryMedium\":\"SMS\",\"AttributeName\":\"phone_number\"}]");
        assertThat(user.path("UserAttributes").toString())
                .contains("{\"Name\":\"phone_number_verified\",\"Value\":\"true\"}");

        f.call(
                        "AdminUpdateUserAttributes",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\",\"UserAttributes\":["
                                + attribute("phone_number", "+15559876543") + "]}")
                .ok();
        assertThat(adminGetUser().path("UserAttributes").toString())
                .as("a new number is unverified")
                .contains("{\"Name\":\"phone_number_verified\",\"Value\":\"false\"}");
        assertThat(signIn().ok()
                        .get("ChallengeParameters")
                        .path("CODE_DELIVERY_DESTINATION")
                        .asText())
                .isEqualTo("+*******6543");
        assertThat(f.mail.last().destination()).isEqualTo("+15559876543");
    }

    @Test
    void smsAnswerWhenWrongCodeReusedOrExpiredSessionThenCognitosErrors() {
        pool("\"SmsMfaConfiguration\":{},\"MfaConfiguration\":\"OPTIONAL\"", attribute("phone_number", PHONE));
        preference("\"SMSMfaSettings\":{\"Enabled\":true}").ok();

        String session = signIn().ok().get("Session").asText();
        String code = f.mail.last().code();
        Reply mismatch = answer("SMS_MFA", session, "SMS_MFA_CODE", wrong(code));
        assertThat(mismatch.code()).isEqualTo("CodeMismatchException");
        assertThat(mismatch.message()).isEqualTo("Invalid code or auth state for the user.");
        Reply reused = answer("SMS_MFA", session, "SMS_MFA_CODE", code);
        assertThat(reused.code()).isEqualTo("NotAuthorizedException");

        String late = signIn().ok().get("Session").asText();
        String lateCode = f.mail.last().code();
        f.clock.advance(Duration.ofMinutes(3));
        Reply expired = answer("SMS_MFA", late, "SMS_MFA_CODE", lateCode);
        assertThat(expired.code()).isEqualTo("NotAuthorizedException");
        assertThat(expired.message()).isEqualTo("Invalid session for the user, session is expired.");

        String other = signIn().ok().get("Session").asText();
        Reply wrongKind =
                answer("EMAIL_OTP", other, "EMAIL_OTP_CODE", f.mail.last().code());
        assertThat(wrongKind.code())
                .as("an SMS session answers no email challenge")
                .isEqualTo("NotAuthorizedException");
    }

    @Test
    void smsCodesWhenWrongFiveTimesThenUserLockedOutEvenWithRightPassword() {
        pool("\"SmsMfaConfiguration\":{},\"MfaConfiguration\":\"OPTIONAL\"", attribute("phone_number", PHONE));
        preference("\"SMSMfaSettings\":{\"Enabled\":true}").ok();
        for (int i = 0; i < 5; i++) {
            String session = signIn().ok().get("Session").asText();
            assertThat(answer(
                                    "SMS_MFA",
                                    session,
                                    "SMS_MFA_CODE",
                                    wrong(f.mail.last().code()))
                            .code())
                    .isEqualTo("CodeMismatchException");
        }
        assertThat(signIn().message()).isEqualTo("Password attempts exceeded");
    }

    @Test
    void passwordSignInWhenEmailMfaThenTemplatedEmailAndCodeGivesTokens() {
        pool(
                "\"EmailMfaConfiguration\":{\"Message\":\"Sign-in code {####}\",\"Subject\":\"Your code\"},"
                        + "\"MfaConfiguration\":\"OPTIONAL\"",
                attribute("email", EMAIL));
        preference("\"EmailMfaSettings\":{\"Enabled\":true,\"PreferredMfa\":true}")
                .ok();

        Reply challenge = signIn().ok();

        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("EMAIL_OTP");
        assertThat(challenge.get("ChallengeParameters").toString())
                .isEqualTo("{\"CODE_DELIVERY_DELIVERY_MEDIUM\":\"EMAIL\",\"CODE_DELIVERY_DESTINATION\":\"c***@e***\"}");
        OutgoingMessage mail = f.mail.last();
        assertThat(mail.destination()).isEqualTo(EMAIL);
        assertThat(mail.subject()).isEqualTo("Your code");
        assertThat(mail.body()).isEqualTo("Sign-in code " + mail.code());
        assertThat(answer("EMAIL_OTP", challenge.get("Session").asText(), "EMAIL_OTP_CODE", mail.code())
                        .ok()
                        .get("AuthenticationResult")
                        .path("IdToken")
                        .asText())
                .isNotEmpty();
        assertThat(adminGetUser().path("UserAttributes").toString())
                .contains("{\"Name\":\"email_verified\",\"Value\":\"true\"}");
    }

    @Test
    void signInWhenSeveralFactorsAndNonePreferredThenSelectMfaTypeThenChosenChallenge() {
        pool(
                "\"SmsMfaConfiguration\":{},\"EmailMfaConfiguration\":{},\"MfaConfiguration\":\"OPTIONAL\"",
                attribute("phone_number", PHONE) + "," + attribute("email", EMAIL));
        preference("\"SMSMfaSettings\":{\"Enabled\":true},\"EmailMfaSettings\":{\"Enabled\":true}")
                .ok();
        int sent = f.mail.sent.size();

        Reply select = signIn().ok();

        assertThat(select.get("ChallengeName").asText()).isEqualTo("SELECT_MFA_TYPE");
        assertThat(select.get("ChallengeParameters").path("MFAS_CAN_CHOOSE").asText())
                .isEqualTo("[\"SMS_MFA\",\"EMAIL_OTP\"]");
        assertThat(f.mail.sent).as("nothing sent before the choice").hasSize(sent);
        Reply notOffered = answer("SELECT_MFA_TYPE", select.get("Session").asText(), "ANSWER", "SOFTWARE_TOKEN_MFA");
        assertThat(notOffered.code()).isEqualTo("InvalidParameterException");

        Reply again = signIn().ok();
        Reply email = answer("SELECT_MFA_TYPE", again.get("Session").asText(), "ANSWER", "EMAIL_OTP")
                .ok();
        assertThat(email.get("ChallengeName").asText()).isEqualTo("EMAIL_OTP");
        assertThat(f.mail.last().destination()).isEqualTo(EMAIL);
        answer(
                        "EMAIL_OTP",
                        email.get("Session").asText(),
                        "EMAIL_OTP_CODE",
                        f.mail.last().code())
                .ok();

        preference("\"SMSMfaSettings\":{\"Enabled\":true,\"PreferredMfa\":true}")
                .ok();
        assertThat(signIn().ok().get("ChallengeName").asText()).isEqualTo("SMS_MFA");
    }

    @Test
    void poolMfaOnWhenUserHasNoFactorThenSetupOffersPoolFactorsAndEmailSetupEnrolsEmail() {
        pool(
                "\"SoftwareTokenMfaConfiguration\":{\"Enabled\":true},\"EmailMfaConfiguration\":{},"
                        + "\"MfaConfiguration\":\"ON\"",
                attribute("name", "Carol"));

        Reply setup = signIn().ok();

        assertThat(setup.get("ChallengeName").asText()).isEqualTo("MFA_SETUP");
        assertThat(setup.get("ChallengeParameters").path("MFAS_CAN_SETUP").asText())
                .isEqualTo("[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]");
        Reply challenge = answer("MFA_SETUP", setup.get("Session").asText(), "EMAIL", EMAIL)
                .ok();
        assertThat(challenge.get("ChallengeName").asText()).isEqualTo("EMAIL_OTP");
        assertThat(f.mail.last().destination()).isEqualTo(EMAIL);
        answer(
                        "EMAIL_OTP",
                        challenge.get("Session").asText(),
                        "EMAIL_OTP_CODE",
                        f.mail.last().code())
                .ok();

        JsonNode user = adminGetUser();
        assertThat(user.path("UserMFASettingList").toString()).isEqualTo("[\"EMAIL_OTP\"]");
        assertThat(user.path("UserAttributes").toString())
                .contains("{\"Name\":\"email\",\"Value\":\"" + EMAIL + "\"}")
                .contains("{\"Name\":\"email_verified\",\"Value\":\"true\"}");
        assertThat(signIn().ok().get("ChallengeName").asText()).isEqualTo("EMAIL_OTP");
        Reply lastFactor = preference("\"EmailMfaSettings\":{\"Enabled\":false}");
        assertThat(lastFactor.code()).isEqualTo("InvalidParameterException");
    }

    @Test
    void poolMfaOnWhenUserHasPhoneAndSmsOfferedThenSmsWithoutEnabling() {
        pool("\"SmsMfaConfiguration\":{},\"MfaConfiguration\":\"ON\"", attribute("phone_number", PHONE));
        assertThat(signIn().ok().get("ChallengeName").asText()).isEqualTo("SMS_MFA");
    }

    @Test
    void setPreferenceWhenNoPhoneOrEmailThenRefusedAndWhenTwoPreferredThenTheLastWins() {
        pool("\"SmsMfaConfiguration\":{},\"MfaConfiguration\":\"OPTIONAL\"", attribute("name", "Carol"));
        Reply sms = preference("\"SMSMfaSettings\":{\"Enabled\":true}");
        assertThat(sms.code()).isEqualTo("InvalidParameterException");
        assertThat(sms.message()).isEqualTo("User does not have delivery config set to turn on SMS_MFA");
        Reply email = preference("\"EmailMfaSettings\":{\"Enabled\":true}");
        assertThat(email.message()).isEqualTo("User does not have delivery config set to turn on EMAIL_OTP");
        f.call(
                        "AdminUpdateUserAttributes",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\",\"UserAttributes\":["
                                + attribute("phone_number", PHONE) + "," + attribute("email", EMAIL) + "]}")
                .ok();
        assertThat(adminGetUser().has("UserMFASettingList")).isFalse();
        preference("\"SMSMfaSettings\":{\"Enabled\":true,\"PreferredMfa\":true},"
                        + "\"EmailMfaSettings\":{\"Enabled\":true,\"PreferredMfa\":true}")
                .ok();
        JsonNode user = adminGetUser();
        assertThat(user.path("UserMFASettingList").toString()).isEqualTo("[\"SMS_MFA\",\"EMAIL_OTP\"]");
        assertThat(user.path("PreferredMfaSetting").asText()).isEqualTo("EMAIL_OTP");
    }

    @Test
    void legacySetUserSettingsWhenSmsOptionThenSmsMfaEnabledAndEmptyListTurnsItOff() {
        pool("\"SmsMfaConfiguration\":{},\"MfaConfiguration\":\"OPTIONAL\"", attribute("phone_number", PHONE));
        f.call(
                        "AdminSetUserSettings",
                        "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\",\"MFAOptions\":["
                                + "{\"DeliveryMedium\":\"SMS\",\"AttributeName\":\"phone_number\"}]}")
                .ok();
        assertThat(adminGetUser().path("UserMFASettingList").toString()).isEqualTo("[\"SMS_MFA\"]");
        assertThat(signIn().ok().get("ChallengeName").asText()).isEqualTo("SMS_MFA");
        f.call("AdminSetUserSettings", "{\"UserPoolId\":\"" + poolId + "\",\"Username\":\"carol\",\"MFAOptions\":[]}")
                .ok();
        assertThat(adminGetUser().has("MFAOptions")).isFalse();
        assertThat(signIn().ok().get("AuthenticationResult").isObject()).isTrue();
    }

    @Test
    void poolConfigWhenSmsAndEmailSetThenGetEchoesThemAndLeavingThemOutTurnsThemOff() {
        pool(
                "\"SmsMfaConfiguration\":{\"SmsAuthenticationMessage\":\"Code {####}\"},"
                        + "\"EmailMfaConfiguration\":{\"Message\":\"Code {####}\",\"Subject\":\"Hi\"},"
                        + "\"MfaConfiguration\":\"ON\"",
                "");
        JsonNode got = f.call("GetUserPoolMfaConfig", "{\"UserPoolId\":\"" + poolId + "\"}")
                .ok()
                .body();
        assertThat(got.path("SmsMfaConfiguration")
                        .path("SmsAuthenticationMessage")
                        .asText())
                .isEqualTo("Code {####}");
        assertThat(got.path("EmailMfaConfiguration").path("Subject").asText()).isEqualTo("Hi");
        assertThat(got.path("MfaConfiguration").asText()).isEqualTo("ON");
        JsonNode described = f.call("DescribeUserPool", "{\"UserPoolId\":\"" + poolId + "\"}")
                .ok()
                .get("UserPool");
        assertThat(described.path("SmsAuthenticationMessage").asText()).isEqualTo("Code {####}");
        assertThat(described.has("EmailMfaConfiguration")).isFalse();

        Reply none = f.call("SetUserPoolMfaConfig", "{\"UserPoolId\":\"" + poolId + "\",\"MfaConfiguration\":\"ON\"}");
        assertThat(none.message())
                .isEqualTo("Invalid MFA configuration given, can't turn on MFA and have no enabled MFA options.");
        Reply noPlaceholder = f.call(
                "SetUserPoolMfaConfig",
                "{\"UserPoolId\":\"" + poolId + "\",\"SmsMfaConfiguration\":{\"SmsAuthenticationMessage\":\"none\"}}");
        assertThat(noPlaceholder.code()).isEqualTo("InvalidParameterException");
        JsonNode off = f.call(
                        "SetUserPoolMfaConfig", "{\"UserPoolId\":\"" + poolId + "\",\"MfaConfiguration\":\"OFF\"}")
                .ok()
                .body();
        assertThat(off.has("SmsMfaConfiguration")).isFalse();
        assertThat(off.has("EmailMfaConfiguration")).isFalse();
    }

    @Test
    void createUserPoolWhenMfaOnThenNeedsSmsConfigurationWhichTurnsSmsMfaOn() {
        Reply refused = f.call("CreateUserPool", "{\"PoolName\":\"on\",\"MfaConfiguration\":\"ON\"}");
        assertThat(refused.code()).isEqualTo("InvalidParameterException");
        assertThat(refused.message())
                .isEqualTo("SMS configuration and Auto verification for phone_number are required when MFA is "
                        + "required/optional");
        String id = f.createPool("{\"PoolName\":\"on\",\"MfaConfiguration\":\"ON\",\"SmsAuthenticationMessage\":"
                + "\"Code {####}\",\"SmsConfiguration\":{\"SnsCallerArn\":\"arn:aws:iam::123456789012:role/sms\"}}");
        JsonNode got = f.call("GetUserPoolMfaConfig", "{\"UserPoolId\":\"" + id + "\"}")
                .ok()
                .body();
        assertThat(got.path("MfaConfiguration").asText()).isEqualTo("ON");
        assertThat(got.path("SmsMfaConfiguration")
                        .path("SmsConfiguration")
                        .path("SnsCallerArn")
                        .asText())
                .isEqualTo("arn:aws:iam::123456789012:role/sms");
        JsonNode described = f.call("DescribeUserPool", "{\"UserPoolId\":\"" + id + "\"}")
                .ok()
                .get("UserPool");
        assertThat(described.path("MfaConfiguration").asText()).isEqualTo("ON");
        assertThat(described.path("SmsConfiguration").path("SnsCallerArn").asText())
                .isEqualTo("arn:aws:iam::123456789012:role/sms");
    }

    @Test
    void templatePoolWhenEnabledMfasThenConfiguredAsSetUserPoolMfaConfigWithoutSmsConfiguration() {
        ObjectNode template = PoolFixture.json().put("PoolName", "stack").put("MfaConfiguration", "ON");
        template.putArray("EnabledMfas").add("SOFTWARE_TOKEN_MFA").add("EMAIL_OTP");
        template.put("EmailAuthenticationMessage", "Stack code {####}");
        template.put("EmailAuthenticationSubject", "Stack");

        String id = f.api.createPool(template);

        JsonNode got = f.call("GetUserPoolMfaConfig", "{\"UserPoolId\":\"" + id + "\"}")
                .ok()
                .body();
        assertThat(got.path("MfaConfiguration").asText()).isEqualTo("ON");
        assertThat(got.path("SoftwareTokenMfaConfiguration").path("Enabled").asBoolean())
                .isTrue();
        assertThat(got.path("EmailMfaConfiguration").path("Message").asText()).isEqualTo("Stack code {####}");
        assertThat(got.has("SmsMfaConfiguration")).isFalse();

        ObjectNode bad = PoolFixture.json().put("PoolName", "bad");
        bad.putArray("EnabledMfas").add("VOICE");
        assertThatThrownBy(() -> f.api.createPool(bad))
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("InvalidParameterException");
        ObjectNode noFactor = PoolFixture.json().put("PoolName", "none").put("MfaConfiguration", "ON");
        noFactor.putArray("EnabledMfas");
        assertThatThrownBy(() -> f.api.createPool(noFactor)).isInstanceOf(ServiceException.class);
    }
}
