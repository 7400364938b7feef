package dev.gatehouse.iam;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Looks up the secret behind an access key id. Implementations read the store, or open a sealed session token.
 *
 * @param <P> the principal type the caller wants back in {@link VerifiedCaller#principal()}
 */
@FunctionalInterface
public interface CredentialResolver<P> {

    /**
     * Returns the credential for {@code accessKeyId}, or empty when the key is unknown, disabled, or the session token
     * does not belong to it. The session token must be bound to the key: return empty for a temporary key presented
     * without its token or with another key's token, and for a long-term key presented with any token. Expiry is
     * checked by the verifier, against {@link SigningCredential#expiration()}.
     *
     * @param accessKeyId the key id from the request's credential scope, such as {@code AKIA…} or {@code ASIA…}
     * @param sessionToken the {@code X-Amz-Security-Token} the request carried (signed or not), or {@code null}
     */
    Optional<SigningCredential<P>> resolve(String accessKeyId, @Nullable String sessionToken);
}
