package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.userpool.Argon2id.Argon2Cost;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The native engine (libargon2, installed by .ci/run) against Bouncy Castle, and the slots that bound hashing. */
class Argon2idTests {

    private static final Argon2id BOUNCY = Argon2id.bouncyCastle();

    @Test
    void deriveWhenNativeAndBouncyCastleThenSameTagsAcrossCostsAndReusedBlock() {
        Argon2id nativeEngine = NativeArgon2id.load().orElseThrow();
        SecureRandom random = new SecureRandom();
        // Larger after smaller after larger: the engine's one block is grown and reused, never stale.
        for (Argon2Cost cost : List.of(
                new Argon2Cost(64, 1, 1),
                new Argon2Cost(1024, 3, 1),
                new Argon2Cost(256, 2, 2),
                new Argon2Cost(19 * 1024, 2, 1))) {
            byte[] password = new byte[1 + random.nextInt(40)];
            byte[] salt = new byte[16];
            random.nextBytes(password);
            random.nextBytes(salt);
            assertThat(nativeEngine.derive(password, salt, cost, 32))
                    .as("cost %s", cost)
                    .isEqualTo(BOUNCY.derive(password, salt, cost, 32));
        }
    }

    @Test
    void verifyWhenHashedByOneEngineThenTheOtherVerifiesIt() {
        PasswordHasher nativeHasher = new PasswordHasher(256, 2, new SecureRandom(), HashingSlots.of(1, true));
        PasswordHasher bouncyHasher = new PasswordHasher(256, 2, new SecureRandom(), HashingSlots.of(1, false));
        assertThat(nativeHasher.engineName()).isEqualTo("libargon2");
        assertThat(bouncyHasher.engineName()).isEqualTo("Bouncy Castle");

        assertThat(bouncyHasher.verify("Passw0rd!", nativeHasher.hash("Passw0rd!")))
                .isTrue();
        assertThat(nativeHasher.verify("Passw0rd!", bouncyHasher.hash("Passw0rd!")))
                .isTrue();
        assertThat(nativeHasher.verify("Passw0rd?", bouncyHasher.hash("Passw0rd!")))
                .isFalse();
    }

    @Test
    void verifyWhenStoredCostAsksForTooMuchMemoryThenFalseWithoutHashing() {
        PasswordHasher hasher = new PasswordHasher(64, 1, new SecureRandom(), HashingSlots.of(1, true));
        String huge = hasher.hash("Passw0rd!").replace("m=64,", "m=4194304,");
        assertThat(hasher.verify("Passw0rd!", huge)).isFalse();
    }

    @Test
    void deriveWhenMoreCallersThanSlotsThenNeverMoreHashesAtOnceThanSlots() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Argon2id counting = new Argon2id() {
            @Override
            public byte[] derive(byte[] password, byte[] salt, Argon2Cost cost, int length) {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    return BOUNCY.derive(password, salt, cost, length);
                } finally {
                    running.decrementAndGet();
                }
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        HashingSlots slots = new HashingSlots(List.of(counting, counting));
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                results.add(callers.submit(() -> slots.derive(
                        "x".getBytes(StandardCharsets.UTF_8),
                        "0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                        new Argon2Cost(2048, 1, 1),
                        32)));
            }
            for (Future<byte[]> result : results) {
                assertThat(result.get()).hasSize(32);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(slots.available()).isEqualTo(2);
        assertThat(running.get()).isZero();
        assertThat(most.get()).isEqualTo(2);
    }

    @Test
    void releaseIdleMemoryWhenSlotIdleLongEnoughThenBlockFreedAndNextHashStillRight() {
        NativeArgon2id engine = (NativeArgon2id) NativeArgon2id.load().orElseThrow();
        HashingSlots slots = new HashingSlots(List.of(engine));
        byte[] password = "release-me".getBytes(StandardCharsets.US_ASCII);
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        Argon2Cost cost = new Argon2Cost(1024, 2, 1);
        byte[] before = slots.derive(password, salt, cost, 32);

        slots.releaseIdleMemory(java.time.Duration.ofHours(1));
        assertThat(engine.holdsMemory()).as("used just now: kept").isTrue();

        slots.releaseIdleMemory(java.time.Duration.ZERO);
        assertThat(engine.holdsMemory()).as("idle: given back").isFalse();
        assertThat(slots.available()).isEqualTo(1);

        assertThat(slots.derive(password, salt, cost, 32)).isEqualTo(before);
        assertThat(engine.holdsMemory()).isTrue();
    }
}
