package dev.gatehouse.iam;

import java.nio.charset.StandardCharsets;

/**
 * A per-thread scratch buffer that a canonical request or a string to sign is written into as UTF-8 and then hashed, so
 * verifying a request builds no intermediate {@code String}s.
 *
 * <p>Design note. The bytes written are exactly {@code text.getBytes(UTF_8)} of the text the string-building code in
 * {@link SigV4Canonicalizer} produces (ASCII is copied, anything else goes through the JDK's encoder), so both paths
 * hash the same bytes; the strings are still built, but only for the error message of a signature mismatch. One
 * buffer per thread, used between {@link #start} and the hash: nothing called in between may start it again. A buffer
 * that grew past {@link #KEEP_BYTES} for an unusually large request is dropped afterwards.
 */
final class CanonicalBytes {

    private static final int KEEP_BYTES = 16 * 1024;
    private static final ThreadLocal<CanonicalBytes> LOCAL = ThreadLocal.withInitial(CanonicalBytes::new);

    private byte[] bytes = new byte[1024];
    private int length;

    private CanonicalBytes() {}

    /** This thread's buffer, emptied. */
    static CanonicalBytes start() {
        CanonicalBytes buffer = LOCAL.get();
        if (buffer.bytes.length > KEEP_BYTES) {
            buffer.bytes = new byte[1024];
        }
        buffer.length = 0;
        return buffer;
    }

    /** Appends an ASCII character. */
    CanonicalBytes append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    CanonicalBytes append(String text) {
        if (text.length() < 32) {
            return append(text, 0, text.length());
        }
        // A long value (a session token): the JDK's encoder copies ASCII in bulk, faster than char by char.
        appendEncoded(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Appends the UTF-8 bytes of {@code text[from, to)}. */
    CanonicalBytes append(String text, int from, int to) {
        ensure(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // Not ASCII: the JDK encodes the rest (i is the first non-ASCII char, so no surrogate pair is split).
                appendEncoded(text.substring(i, to).getBytes(StandardCharsets.UTF_8));
                return this;
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    /** Appends the lower-case hex of {@code data}. */
    CanonicalBytes appendHex(byte[] data) {
        ensure(data.length * 2);
        for (byte b : data) {
            bytes[length++] = (byte) SigV4Signing.HEX[(b >> 4) & 0xF];
            bytes[length++] = (byte) SigV4Signing.HEX[b & 0xF];
        }
        return this;
    }

    /** The SHA-256 of the bytes written so far. */
    byte[] sha256() {
        return SigV4Signing.sha256(bytes, 0, length);
    }

    /** The HMAC-SHA256 of the bytes written so far under {@code key}. */
    byte[] hmac(byte[] key) {
        return SigV4Signing.hmac(key, bytes, 0, length);
    }

    /** The bytes written so far, as text (tests). */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void appendEncoded(byte[] encoded) {
        ensure(encoded.length);
        System.arraycopy(encoded, 0, bytes, length, encoded.length);
        length += encoded.length;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            byte[] grown = new byte[Math.max(bytes.length * 2, length + more)];
            System.arraycopy(bytes, 0, grown, 0, length);
            bytes = grown;
        }
    }
}
