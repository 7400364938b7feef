package dev.gatehouse.userpool;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * One Argon2id engine (version 0x13). An engine is used by one thread at a time ({@link HashingSlots} hands them out):
 * the native one keeps its memory block between hashes.
 */
interface Argon2id {

    /** The {@code length}-byte Argon2id tag of {@code password} with {@code salt} and the given cost. */
    byte[] derive(byte[] password, byte[] salt, Argon2Cost cost, int length);

    /** Which implementation computes the hashes, for the log and the benchmarks. */
    String name();

    /**
     * Gives back working memory kept between hashes when the last hash ended at least {@code idleNanos} ago; the next
     * hash allocates it again. Called only by the engine's one user, between hashes.
     */
    default void releaseMemoryIfIdle(long idleNanos) {}

    /** Cost parameters: memory in KiB, passes, lanes. */
    record Argon2Cost(int memoryKib, int iterations, int lanes) {}

    /** Bouncy Castle's pure-Java Argon2id: allocates its memory anew for every hash. */
    static Argon2id bouncyCastle() {
        return new Argon2id() {
            @Override
            public byte[] derive(byte[] password, byte[] salt, Argon2Cost cost, int length) {
                Argon2BytesGenerator generator = new Argon2BytesGenerator();
                generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                        .withMemoryAsKB(cost.memoryKib())
                        .withIterations(cost.iterations())
                        .withParallelism(cost.lanes())
                        .withSalt(salt)
                        .build());
                byte[] out = new byte[length];
                generator.generateBytes(password, out);
                return out;
            }

            @Override
            public String name() {
                return "Bouncy Castle";
            }
        };
    }
}
