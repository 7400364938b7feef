package dev.gatehouse.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * Secret key material, such as an AWS secret access key. It never appears in {@link #toString()}, and its bytes can be
 * read only with a {@link SecretKeyAccess}.
 */
public final class SecretBytes {

    private final byte[] bytes;

    private SecretBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies the given bytes. */
    public static SecretBytes copyOf(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes cannot be null");
        return new SecretBytes(bytes.clone());
    }

    /** The UTF-8 bytes of a secret held as text, such as a secret access key. */
    public static SecretBytes ofUtf8(String secret) {
        Objects.requireNonNull(secret, "secret cannot be null");
        return new SecretBytes(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the secret bytes. */
    public byte[] toByteArray(SecretKeyAccess access) {
        Objects.requireNonNull(access, "access cannot be null");
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** Compares in constant time (for equal lengths). */
    public boolean equalsSecretBytes(SecretBytes other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return "SecretBytes[" + bytes.length + " bytes, redacted]";
    }

    /** Overwrites the bytes held here; later reads see zeros. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }
}
