package dev.gatehouse.iam;

/**
 * A policy document is malformed or uses something Gatehouse does not support. This is a configuration error: the
 * message names the offending element (never a request value) and is meant for the operator who wrote the policy.
 */
public final class PolicyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    PolicyException(String message) {
        super(message);
    }

    PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
