package dev.gatehouse.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CredentialResolver} over keys held in memory, such as the admin key created at first start. It binds
 * session tokens to keys: a key registered without a token resolves only when the request carries none, and a key
 * registered with a token resolves only when the request carries exactly that token (compared in constant time).
 * Thread-safe.
 *
 * @param <P> the principal type
 */
public final class InMemoryCredentialResolver<P> implements CredentialResolver<P> {

    private static final class Entry<P> {
        private final SigningCredential<P> credential;
        private final byte @Nullable [] sessionToken;

        Entry(SigningCredential<P> credential, byte @Nullable [] sessionToken) {
            this.credential = credential;
            this.sessionToken = sessionToken;
        }
    }

    private final Map<String, Entry<P>> keys = new ConcurrentHashMap<>();

    /** Registers (or replaces) a key used without a session token. */
    public InMemoryCredentialResolver<P> put(String accessKeyId, SigningCredential<P> credential) {
        keys.put(
                Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null"),
                new Entry<>(Objects.requireNonNull(credential, "credential cannot be null"), null));
        return this;
    }

    /** Registers (or replaces) a temporary key that is valid only with {@code sessionToken}. */
    public InMemoryCredentialResolver<P> put(String accessKeyId, SigningCredential<P> credential, String sessionToken) {
        Objects.requireNonNull(sessionToken, "sessionToken cannot be null");
        keys.put(
                Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null"),
                new Entry<>(
                        Objects.requireNonNull(credential, "credential cannot be null"),
                        sessionToken.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Forgets a key; later requests signed with it are refused. */
    public void remove(String accessKeyId) {
        keys.remove(accessKeyId);
    }

    @Override
    public Optional<SigningCredential<P>> resolve(String accessKeyId, @Nullable String sessionToken) {
        Entry<P> entry = keys.get(accessKeyId);
        if (entry == null) {
            return Optional.empty();
        }
        byte[] expected = entry.sessionToken;
        if (expected == null || sessionToken == null) {
            return expected == null && sessionToken == null ? Optional.of(entry.credential) : Optional.empty();
        }
        return MessageDigest.isEqual(expected, sessionToken.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(entry.credential)
                : Optional.empty();
    }
}
