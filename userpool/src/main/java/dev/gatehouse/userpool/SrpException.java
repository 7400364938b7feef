package dev.gatehouse.userpool;

import java.util.Objects;

/**
 * An SRP exchange failed. Every reason maps to {@code NotAuthorizedException} ("Incorrect username or password.") on
 * the wire; {@link Reason#SIGNATURE_MISMATCH} is the only one that means "wrong password" and counts toward lockout.
 */
final class SrpException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the exchange failed. */
    enum Reason {
        /** {@code SRP_A} is not hex, or is a degenerate value (0, 1, N-1 or not below N). */
        INVALID_PUBLIC_VALUE,
        /** {@code PASSWORD_CLAIM_SECRET_BLOCK} is not the {@code SECRET_BLOCK} this challenge sent. */
        SECRET_BLOCK_MISMATCH,
        /** {@code TIMESTAMP} is not in the clients' format, or its weekday does not match its date. */
        INVALID_TIMESTAMP,
        /** {@code TIMESTAMP} is further from the server clock than the allowed skew. */
        STALE_TIMESTAMP,
        /** {@code PASSWORD_CLAIM_SIGNATURE} is wrong: the password (or the user's verifier) does not match. */
        SIGNATURE_MISMATCH
    }

    private final Reason reason;

    SrpException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason cannot be null");
    }

    Reason reason() {
        return reason;
    }
}
