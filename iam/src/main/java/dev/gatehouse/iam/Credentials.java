package dev.gatehouse.iam;

import dev.gatehouse.iam.SignatureException.Reason;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The credential lookup every signature check shares: a known key (and token), not expired. */
final class Credentials {

    private Credentials() {}

    static <P> SigningCredential<P> resolve(
            CredentialResolver<P> resolver, String accessKeyId, @Nullable String sessionToken, Instant now)
            throws SignatureException {
        SigningCredential<P> credential = resolver.resolve(accessKeyId, sessionToken)
                .orElseThrow(() -> new SignatureException(
                        Reason.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid."));
        // Temporary credentials are refused from their expiration instant on.
        Optional<Instant> expiration = credential.expiration();
        if (expiration.isPresent() && !now.isBefore(expiration.get())) {
            throw new SignatureException(Reason.EXPIRED_TOKEN, "The security token included in the request is expired");
        }
        return credential;
    }
}
