package dev.gatehouse.userpool;

import dev.gatehouse.iam.VerifiedCache;
import dev.gatehouse.userpool.PoolKeys.Purpose;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Access tokens whose signature and claims were verified, so that a token presented again (GetUser in a loop) is not
 * parsed and RSA-verified again.
 *
 * <p>Design note: what a hit grants. An entry is keyed on the SHA-256 of the whole token (the token itself is not kept;
 * any other byte is another key and takes the full path) and holds what the signature vouches for: the claims, and
 * the pool key ({@code kid}) that verified them. It is kept until the token's {@code exp} and never served at or past
 * it. On every hit the key must still be in the pool's current key set, looked up exactly as a fresh verification
 * looks it up, so a deleted pool's keys (DeleteUserPool) or a key set another node replaced end its tokens here as
 * they would without the memo. What changes after signing is not memoised here: the caller checks expiry and the
 * session (revocation) on every request.
 */
final class VerifiedAccessTokens {

    /** The claims of a token, and the key whose signature over them verified. */
    record Signed(VerifiedAccessToken token, String kid, RSAPublicKey key) {}

    private static final int MAX_ENTRIES = 10_000;

    private final SigningKeyStore keys;
    private final VerifiedCache<VerifiedCache.Key, Signed> verified = new VerifiedCache<>(MAX_ENTRIES);

    VerifiedAccessTokens(SigningKeyStore keys) {
        this.keys = Objects.requireNonNull(keys, "keys cannot be null");
    }

    /**
     * The verified claims of {@code token}: memoised while its key is current, else {@code verify}'s (which throws for
     * anything invalid; what it returns is kept until the token's expiry).
     */
    VerifiedAccessToken verified(String token, Instant now, Function<String, Signed> verify) {
        VerifiedCache.Key key = VerifiedCache.keyOf(token);
        Optional<Signed> hit = verified.get(key, now);
        if (hit.isPresent()
                && keyIsCurrent(hit.get(), keys.existing(hit.get().token().userPoolId()))) {
            return hit.get().token();
        }
        Signed fresh = verify.apply(token);
        verified.put(key, fresh, fresh.token().expiresAt(), now);
        return fresh.token();
    }

    /** As {@link #verified}, from memos only: {@link CacheMiss} when the token or its pool's keys would need work. */
    VerifiedAccessToken memoised(String token, Instant now) {
        Signed hit = verified.get(VerifiedCache.keyOf(token), now).orElseThrow(() -> CacheMiss.INSTANCE);
        if (!keyIsCurrent(hit, Optional.of(keys.cached(hit.token().userPoolId())))) {
            throw CacheMiss.INSTANCE;
        }
        return hit.token();
    }

    private static boolean keyIsCurrent(Signed signed, Optional<PoolKeys> poolKeys) {
        Optional<RSAPublicKey> current = poolKeys.flatMap(k -> k.verificationKey(signed.kid(), Purpose.ACCESS));
        return current.isPresent()
                && (current.get() == signed.key() || current.get().equals(signed.key()));
    }
}
