package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatehouse.protocol.AwsJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MFA factors by their challenge names: which ones a pool offers (its {@code SmsMfaConfiguration},
 * {@code SoftwareTokenMfaConfiguration} and {@code EmailMfaConfiguration}), which ones a user enabled, and which ones a
 * sign-in can use. Always listed in the order SMS, software token, email.
 */
final class MfaFactors {

    static final String SMS = "SMS_MFA";
    static final String TOTP = "SOFTWARE_TOKEN_MFA";
    static final String EMAIL = "EMAIL_OTP";
    static final List<String> ALL = List.of(SMS, TOTP, EMAIL);
    /** The pool document's members that turn the SMS and email factors on (as GetUserPoolMfaConfig shows them). */
    static final String SMS_CONFIG = "SmsMfaConfiguration";

    static final String EMAIL_CONFIG = "EmailMfaConfiguration";
    /** Cognito's texts when a pool leaves the message templates out. */
    static final String DEFAULT_SMS_MESSAGE = "Your authentication code is {####}. ";

    static final String DEFAULT_EMAIL_MESSAGE = "Your authentication code is {####}. ";
    static final String DEFAULT_EMAIL_SUBJECT = "Your authentication code";

    private MfaFactors() {}

    static boolean poolOffers(PoolConfig pool, String factor) {
        JsonNode doc = pool.document();
        return switch (factor) {
            case SMS -> doc.path(SMS_CONFIG).isObject();
            case EMAIL -> doc.path(EMAIL_CONFIG).isObject();
            case TOTP -> MfaStep.poolAllowsTotp(pool);
            default -> false;
        };
    }

    static List<String> offered(PoolConfig pool) {
        return ALL.stream().filter(f -> poolOffers(pool, f)).toList();
    }

    /** What the user turned on, whatever the pool offers now ({@code UserMFASettingList}). */
    static List<String> enabled(User user) {
        List<String> enabled = new ArrayList<>();
        if (user.smsMfaEnabled) {
            enabled.add(SMS);
        }
        if (MfaStep.hasTotp(user)) {
            enabled.add(TOTP);
        }
        if (user.emailMfaEnabled) {
            enabled.add(EMAIL);
        }
        return enabled;
    }

    /**
     * The factors a sign-in may challenge with: enabled by the user, offered by the pool and deliverable (a phone
     * number, an email address). A verified software token is used even after the pool stopped offering TOTP, as
     * Cognito does, and in a pool with MFA {@code ON} even if the user never enabled it.
     */
    static List<String> usable(PoolConfig pool, User user, boolean required) {
        List<String> usable = new ArrayList<>();
        if (user.smsMfaEnabled && poolOffers(pool, SMS) && user.phoneNumber().isPresent()) {
            usable.add(SMS);
        }
        if (MfaStep.hasTotp(user) || (required && user.totpSecret != null)) {
            usable.add(TOTP);
        }
        if (user.emailMfaEnabled && poolOffers(pool, EMAIL) && user.email().isPresent()) {
            usable.add(EMAIL);
        }
        return usable;
    }

    /**
     * In a pool with MFA {@code ON}, a user who enabled no factor is sent a code to the phone number (SMS offered) or
     * else the email address (email offered) the profile has; empty when neither applies (then MFA_SETUP).
     */
    static Optional<String> implicit(PoolConfig pool, User user) {
        if (poolOffers(pool, SMS) && user.phoneNumber().isPresent()) {
            return Optional.of(SMS);
        }
        if (poolOffers(pool, EMAIL) && user.email().isPresent()) {
            return Optional.of(EMAIL);
        }
        return Optional.empty();
    }

    /** A JSON array as a string, the form of {@code MFAS_CAN_SETUP} and {@code MFAS_CAN_CHOOSE}. */
    static String jsonList(List<String> factors) {
        ArrayNode array = AwsJson.mapper().createArrayNode();
        factors.forEach(array::add);
        return PoolDirectory.write(array);
    }

    static String smsMessage(PoolConfig pool) {
        return pool.document()
                .path(SMS_CONFIG)
                .path("SmsAuthenticationMessage")
                .asText(pool.document().path("SmsAuthenticationMessage").asText(DEFAULT_SMS_MESSAGE));
    }

    static String emailMessage(PoolConfig pool) {
        return pool.document().path(EMAIL_CONFIG).path("Message").asText(DEFAULT_EMAIL_MESSAGE);
    }

    static String emailSubject(PoolConfig pool) {
        return pool.document().path(EMAIL_CONFIG).path("Subject").asText(DEFAULT_EMAIL_SUBJECT);
    }

    /** Cognito's mask of a phone number: the leading {@code +} and the last four digits, stars between. */
    static String maskPhone(String phone) {
        int keep = Math.min(4, phone.length());
        int start = phone.startsWith("+") ? 1 : 0;
        int stars = Math.max(0, phone.length() - keep - start);
        return phone.substring(0, start) + "*".repeat(stars) + phone.substring(phone.length() - keep);
    }
}
