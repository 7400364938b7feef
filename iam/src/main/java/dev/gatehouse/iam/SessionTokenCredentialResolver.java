package dev.gatehouse.iam;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code ASIA…} keys by opening the session token presented with them: no storage read. The token must have
 * been sealed for exactly the presented key; any other key id, a missing token, or a token that does not open resolves
 * to empty. Expiry is left to the verifier ({@link SigningCredential#temporary}). Thread-safe.
 */
public final class SessionTokenCredentialResolver implements CredentialResolver<SessionPrincipal> {

    private final SessionTokenSealer sealer;

    public SessionTokenCredentialResolver(SessionTokenSealer sealer) {
        this.sealer = Objects.requireNonNull(sealer, "sealer cannot be null");
    }

    @Override
    public Optional<SigningCredential<SessionPrincipal>> resolve(String accessKeyId, @Nullable String sessionToken) {
        if (sessionToken == null || !accessKeyId.startsWith(AccessKeys.TEMPORARY_PREFIX)) {
            return Optional.empty();
        }
        Optional<OpenedSessionToken> opened = sealer.open(sessionToken);
        if (opened.isEmpty() || !opened.get().principal().accessKeyId().equals(accessKeyId)) {
            return Optional.empty();
        }
        SessionPrincipal principal = opened.get().principal();
        return Optional.of(SigningCredential.temporary(opened.get().secretKey(), principal.expiration(), principal));
    }
}
