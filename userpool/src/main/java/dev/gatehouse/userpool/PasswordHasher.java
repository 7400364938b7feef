package dev.gatehouse.userpool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}), so the
 * parameters travel with each hash and can be raised later without breaking stored ones. Passwords are never logged.
 * Every hash and verification runs on one of the process's {@link HashingSlots} (libargon2 when present, Bouncy Castle
 * otherwise; both give the same tags), so a storm of sign-ins holds a bounded number of cores and memory blocks.
 *
 * @see <a href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html">OWASP password storage</a>
 */
final class PasswordHasher {

    /** OWASP's current minimum for Argon2id: 19 MiB, 2 iterations, 1 lane. */
    static final int OWASP_MEMORY_KIB = 19 * 1024;

    static final int OWASP_ITERATIONS = 2;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** A stored hash asking for more memory than this (KiB) is refused, not computed. */
    private static final int MAX_MEMORY_KIB = 256 * 1024;

    private final int memoryKib;
    private final int iterations;
    private final SecureRandom random;
    /** The process's slots by default, looked up at the first hash (loading libargon2 is not a start-up cost). */
    private final Supplier<HashingSlots> slots;

    private final String dummy;

    PasswordHasher() {
        this(OWASP_MEMORY_KIB, OWASP_ITERATIONS, new SecureRandom(), HashingSlots::shared);
    }

    /** Cheaper parameters are for tests only; verification always uses the parameters stored with a hash. */
    PasswordHasher(int memoryKib, int iterations, SecureRandom random) {
        this(memoryKib, iterations, random, HashingSlots.of(2, true));
    }

    PasswordHasher(int memoryKib, int iterations, SecureRandom random, HashingSlots slots) {
        this(memoryKib, iterations, random, () -> slots);
    }

    private PasswordHasher(int memoryKib, int iterations, SecureRandom random, Supplier<HashingSlots> slots) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.random = random;
        this.slots = slots;
        this.dummy = dummyHash();
    }

    String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKib, iterations, 1, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(out);
    }

    /** Constant-time check of {@code password} against an encoded hash; a malformed hash never matches. */
    boolean verify(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
            return false;
        }
        try {
            int m = 0;
            int t = 0;
            int p = 0;
            for (String param : parts[3].split(",")) {
                int value = Integer.parseInt(param.substring(2));
                switch (param.substring(0, 2)) {
                    case "m=" -> m = value;
                    case "t=" -> t = value;
                    case "p=" -> p = value;
                    default -> {
                        return false;
                    }
                }
            }
            byte[] salt = B64D.decode(parts[4]);
            byte[] expected = B64D.decode(parts[5]);
            if (m < 8 || m > MAX_MEMORY_KIB || t < 1 || p < 1 || p > 16 || expected.length == 0) {
                return false;
            }
            return MessageDigest.isEqual(expected, derive(password, salt, m, t, p, expected.length));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return false;
        }
    }

    /** Spends the time of one verification, so an unknown user answers as slowly as a known one. */
    void verifyDummy(String password) {
        verify(password, dummy);
    }

    /**
     * A well-formed hash at this hasher's cost whose tag is random bytes: verifying against it costs exactly what a real
     * verification costs and never matches. Nothing is hashed for it, so start-up pays nothing.
     */
    private String dummyHash() {
        byte[] salt = new byte[SALT_BYTES];
        byte[] tag = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(tag);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(tag);
    }

    /** Which Argon2id implementation hashes. */
    String engineName() {
        return slots.get().engineName();
    }

    private byte[] derive(String password, byte[] salt, int m, int t, int p, int length) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        try {
            return slots.get().derive(bytes, salt, new Argon2id.Argon2Cost(m, t, p), length);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
