package dev.gatehouse.iam;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CredentialResolver} knows about an access key: its secret, when it stops being valid, and who it
 * belongs to.
 *
 * @param <P> the caller's own description of the principal (account, ARN, identity…); opaque to the verifier
 */
public final class SigningCredential<P> {

    private final SecretBytes secretKey;
    private final @Nullable Instant expiration;
    private final P principal;

    private SigningCredential(SecretBytes secretKey, @Nullable Instant expiration, P principal) {
        this.secretKey = Objects.requireNonNull(secretKey, "secretKey cannot be null");
        this.expiration = expiration;
        this.principal = Objects.requireNonNull(principal, "principal cannot be null");
    }

    /** A long-term key (IAM user or admin key) that does not expire. */
    public static <P> SigningCredential<P> permanent(SecretBytes secretKey, P principal) {
        return new SigningCredential<>(secretKey, null, principal);
    }

    /**
     * Temporary credentials (an {@code ASIA…} key with a session token); requests signed with them are refused from
     * {@code expiration} on.
     */
    public static <P> SigningCredential<P> temporary(SecretBytes secretKey, Instant expiration, P principal) {
        Objects.requireNonNull(expiration, "expiration cannot be null");
        return new SigningCredential<>(secretKey, expiration, principal);
    }

    public SecretBytes secretKey() {
        return secretKey;
    }

    public Optional<Instant> expiration() {
        return Optional.ofNullable(expiration);
    }

    public P principal() {
        return principal;
    }

    @Override
    public String toString() {
        return "SigningCredential[expiration=" + expiration + ", principal=" + principal + "]";
    }
}
