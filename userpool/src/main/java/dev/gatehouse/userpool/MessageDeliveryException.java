package dev.gatehouse.userpool;

/** A message could not be delivered; the operation answers {@code CodeDeliveryFailureException}. */
public class MessageDeliveryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MessageDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
