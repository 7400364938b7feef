package dev.gatehouse.userpool;

import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs one user's password proofs (and code-budget charges) one at a time on this node, so that parallel sign-ins
 * of one user neither all pass the lockout check before any has counted its failure, nor count a correct proof as a
 * failure.
 *
 * <p>Design: a fair lock per (pool, user), made on first use and dropped when nobody holds or waits for it. Across
 * nodes sharing a store the bound is the store's failure count, charged before each proof under a version check
 * (see {@link Authentication}): parallel wrong guesses on several nodes never exceed the lockout budget, and correct
 * proofs on k nodes at once only meet a lockout when the user already has 5 - k recent failures. Waiting is bounded:
 * more than {@link #MAX_WAITERS} callers for one user, or a wait over {@link #MAX_WAIT}, answer
 * {@code TooManyRequestsException}, which clients retry; a flood aimed at one user thus holds few worker threads.
 */
final class ProofGate {

    static final Duration MAX_WAIT = Duration.ofSeconds(10);
    static final int MAX_WAITERS = 32;

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** The lock of one user and how many callers hold or wait for it (changed only inside the map's compute). */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock(true);
        int callers;
    }

    /** Runs {@code proof} while no other proof of the same user runs on this node. */
    <T> T oneAtATime(String userPoolId, String username, Supplier<T> proof) {
        String key = userPoolId + "\u0000" + username;
        int[] callers = {0};
        Slot slot = slots.compute(key, (k, existing) -> {
            Slot s = existing == null ? new Slot() : existing;
            callers[0] = ++s.callers;
            return s;
        });
        try {
            if (callers[0] > MAX_WAITERS || !slot.lock.tryLock(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
            try {
                return proof.get();
            } finally {
                slot.lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        } finally {
            slots.computeIfPresent(key, (k, s) -> --s.callers == 0 ? null : s);
        }
    }

    /** How many users have a proof running or waiting on this node; for tests. */
    int active() {
        return slots.size();
    }

    private static ServiceException busy() {
        return new ServiceException(
                CommonErrors.tooManyRequests().withMessage("Too many requests at once for this user; try again."));
    }
}
