package dev.gatehouse.protocol;

import java.util.Objects;

/**
 * An error as it appears on the wire. {@code code} is the exception name clients switch on ({@code __type} and the
 * {@code x-amzn-ErrorType} header); {@code message} is the text clients show.
 */
public record AwsError(String code, int status, Fault fault, String message) {

    /** Who is to blame: the caller (4xx) or the service (5xx). */
    public enum Fault {
        SENDER,
        RECEIVER
    }

    public AwsError {
        Objects.requireNonNull(code, "code cannot be null");
        Objects.requireNonNull(fault, "fault cannot be null");
        Objects.requireNonNull(message, "message cannot be null");
    }

    /** A caller error with HTTP 400, the status Cognito sends for every client error. */
    public static AwsError sender(String code, String message) {
        return new AwsError(code, 400, Fault.SENDER, message);
    }

    /** The same error with another message. */
    public AwsError withMessage(String newMessage) {
        return new AwsError(code, status, fault, newMessage);
    }
}
