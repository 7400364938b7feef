package dev.gatehouse.userpool;

import java.time.Duration;
import java.time.Instant;

/**
 * Cognito's lockout after failed sign-ins (aws-wire.md C.5, security.md A1): after the fifth failure in a row the
 * user is locked out for 2^(n-5) seconds, n counting failures, at most about 15 minutes. Attempts during a lockout
 * fail with "Password attempts exceeded" even with the right password and do not count. Fifteen minutes without an
 * attempt, or a successful sign-in, starts the count again.
 */
final class SignInThrottle {

    static final int FREE_FAILURES = 5;
    static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    static final Duration QUIET_RESET = Duration.ofMinutes(15);

    private SignInThrottle() {}

    /** Forgets old failures; then whether the user is locked out at {@code now}. */
    static boolean lockedOut(User user, Instant now) {
        Instant last = user.lastSignInAttempt;
        // Exactly 15 minutes of quiet already resets.
        if (last != null && !Duration.between(last, now).minus(QUIET_RESET).isNegative()) {
            user.failedSignIns = 0;
            user.lockedUntil = null;
        }
        Instant until = user.lockedUntil;
        return until != null && until.isAfter(now);
    }

    /** An attempt refused because of a lockout: it keeps the quiet period from starting, nothing more. */
    static void recordLockedAttempt(User user, Instant now) {
        user.lastSignInAttempt = now;
    }

    static void recordFailure(User user, Instant now) {
        user.failedSignIns++;
        user.lastSignInAttempt = now;
        if (user.failedSignIns >= FREE_FAILURES) {
            int exponent = Math.min(user.failedSignIns - FREE_FAILURES, 20);
            Duration lockout = Duration.ofSeconds(1L << exponent);
            user.lockedUntil = now.plus(lockout.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : lockout);
        }
    }

    /** Takes back a failure saved ahead of a proof that was refused without being checked. */
    static void forgetFailure(User user) {
        user.failedSignIns = Math.max(0, user.failedSignIns - 1);
        if (user.failedSignIns < FREE_FAILURES) {
            user.lockedUntil = null;
        }
    }

    /** Whether a success changed anything worth saving. */
    static boolean recordSuccess(User user, Instant now) {
        boolean changed = user.failedSignIns != 0 || user.lockedUntil != null;
        user.failedSignIns = 0;
        user.lockedUntil = null;
        user.lastSignInAttempt = now;
        return changed;
    }
}
