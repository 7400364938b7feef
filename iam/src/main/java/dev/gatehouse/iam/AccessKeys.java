package dev.gatehouse.iam;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Generates access key ids and secret access keys in AWS's formats: {@code AKIA} (long-term) or {@code ASIA}
 * (temporary) followed by 16 characters of {@code A-Z2-7}, and 40-character secrets of {@code A-Za-z0-9+/}.
 *
 * @see <a href="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids">IAM unique id prefixes</a>
 */
public final class AccessKeys {

    /** Prefix of long-term keys (IAM users, the admin key). */
    public static final String LONG_TERM_PREFIX = "AKIA";
    /** Prefix of temporary keys (STS, identity pools), valid only with their session token. */
    public static final String TEMPORARY_PREFIX = "ASIA";

    private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int KEY_ID_RANDOM_CHARS = 16;
    private static final int SECRET_CHARS = 40;

    private final SecureRandom random;

    public AccessKeys(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random cannot be null");
    }

    /** Uses a new {@link SecureRandom}. */
    public static AccessKeys create() {
        return new AccessKeys(new SecureRandom());
    }

    /** A new {@code AKIA…} id (80 random bits). */
    public String newLongTermKeyId() {
        return LONG_TERM_PREFIX + randomChars(KEY_ID_ALPHABET, KEY_ID_RANDOM_CHARS);
    }

    /** A new {@code ASIA…} id (80 random bits). */
    public String newTemporaryKeyId() {
        return TEMPORARY_PREFIX + randomChars(KEY_ID_ALPHABET, KEY_ID_RANDOM_CHARS);
    }

    /**
     * A new 40-character secret access key (240 random bits). Returned as text because it must be handed to the key's
     * owner once (a credentials file, an API response); keep it in a {@link SecretBytes} otherwise.
     */
    public String newSecretAccessKey() {
        return randomChars(SECRET_ALPHABET, SECRET_CHARS);
    }

    private String randomChars(String alphabet, int count) {
        // Both alphabets have a power-of-two size, so picking an index uniformly has no modulo bias.
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
