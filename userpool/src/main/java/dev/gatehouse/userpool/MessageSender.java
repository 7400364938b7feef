package dev.gatehouse.userpool;

/** Delivers the messages a pool sends users: confirmation codes, password-reset codes, temporary passwords. */
@FunctionalInterface
public interface MessageSender {

    /** Delivers or throws {@link MessageDeliveryException}; never logs the message body of an SMTP delivery. */
    void send(OutgoingMessage message);
}
