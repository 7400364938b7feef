package dev.gatehouse.userpool;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A user's SRP salt and password verifier v = g^x mod N: what the server keeps instead of the password for
 * {@code USER_SRP_AUTH}. Not a secret in the way a key is, but v can be brute-forced at hash speed, so store it sealed
 * ({@link SrpVerifierSealer}).
 *
 * @param salt the salt as the positive number clients parse from {@code SALT}
 * @param verifier v, in [1, N)
 */
record SrpVerifier(BigInteger salt, BigInteger verifier) {

    SrpVerifier {
        Objects.requireNonNull(salt, "salt cannot be null");
        Objects.requireNonNull(verifier, "verifier cannot be null");
        if (salt.signum() < 0) {
            throw new IllegalArgumentException("salt cannot be negative");
        }
        if (verifier.signum() <= 0 || verifier.compareTo(SrpMath.N) >= 0) {
            throw new IllegalArgumentException("verifier must be in [1, N)");
        }
    }

    /** The {@code SALT} challenge parameter: lowercase hex, as clients parse it with {@code new BigInteger(SALT, 16)}. */
    String saltHex() {
        return salt.toString(16);
    }

    @Override
    public String toString() {
        return "SrpVerifier[redacted]";
    }
}
