package dev.gatehouse.userpool;

/**
 * Delivers the messages a pool sends users: confirmation codes, password-reset codes, temporary passwords, MFA codes
 * (by email, or by SMS to a phone number).
 */
@FunctionalInterface
public interface MessageSender {

    /** Delivers or throws {@link MessageDeliveryException}; never logs the message body of an SMTP delivery. */
    void send(OutgoingMessage message);

    /**
     * A sender that hands text messages ({@link OutgoingMessage#toPhone()}) to {@code sms} and the rest to
     * {@code email}: with SMTP configured, SMS codes still go to the outbox, since there is no SMS gateway.
     */
    static MessageSender routingSms(MessageSender email, MessageSender sms) {
        java.util.Objects.requireNonNull(email, "email cannot be null");
        java.util.Objects.requireNonNull(sms, "sms cannot be null");
        return message -> (message.toPhone() ? sms : email).send(message);
    }
}
