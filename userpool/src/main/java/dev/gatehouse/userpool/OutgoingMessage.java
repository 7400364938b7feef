package dev.gatehouse.userpool;

import java.util.Objects;

/**
 * One message to a user.
 *
 * @param purpose why it is sent, such as {@code SIGN_UP}, {@code FORGOT_PASSWORD}, {@code ADMIN_CREATE_USER},
 *     {@code SMS_MFA}, {@code EMAIL_OTP}, {@code RESEND_CODE}, {@code VERIFY_ATTRIBUTE}
 * @param userPoolId the sending pool
 * @param username the internal username
 * @param destination the email address, or for a text message ({@code SMS_MFA}) the phone number
 * @param subject the subject line
 * @param body the text, code included
 * @param code the code or temporary password the body carries, for the local outbox
 */
public record OutgoingMessage(
        String purpose,
        String userPoolId,
        String username,
        String destination,
        String subject,
        String body,
        String code) {

    public OutgoingMessage {
        Objects.requireNonNull(purpose, "purpose cannot be null");
        Objects.requireNonNull(userPoolId, "userPoolId cannot be null");
        Objects.requireNonNull(username, "username cannot be null");
        Objects.requireNonNull(destination, "destination cannot be null");
        Objects.requireNonNull(subject, "subject cannot be null");
        Objects.requireNonNull(body, "body cannot be null");
        Objects.requireNonNull(code, "code cannot be null");
    }

    /** Whether this is a text message to a phone number (E.164, {@code +} and digits) rather than an email. */
    public boolean toPhone() {
        return destination.startsWith("+") && !destination.contains("@");
    }
}
