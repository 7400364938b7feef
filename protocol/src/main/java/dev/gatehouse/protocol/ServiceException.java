package dev.gatehouse.protocol;

import java.util.Objects;

/**
 * The one exception that carries an {@link AwsError} to the wire. Anything else thrown while serving a request
 * becomes an internal error whose cause is logged and never echoed.
 */
public class ServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient AwsError error;

    public ServiceException(AwsError error) {
        super(
                Objects.requireNonNull(error, "error cannot be null").code() + ": " + error.message(),
                null,
                false,
                false);
        this.error = error;
    }

    public AwsError error() {
        return error;
    }
}
