package dev.gatehouse.iam;

import java.util.Objects;

/** The contents of a session token whose seal has been verified. Only {@link SessionTokenSealer} makes these. */
public final class OpenedSessionToken {

    private final SessionPrincipal principal;
    private final SecretBytes secretKey;

    OpenedSessionToken(SessionPrincipal principal, SecretBytes secretKey) {
        this.principal = Objects.requireNonNull(principal, "principal cannot be null");
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey cannot be null");
    }

    public SessionPrincipal principal() {
        return principal;
    }

    /** The secret access key of the credentials, for recomputing a signature. */
    public SecretBytes secretKey() {
        return secretKey;
    }

    @Override
    public String toString() {
        return "OpenedSessionToken[principal=" + principal + ", secretKey=redacted]";
    }
}
