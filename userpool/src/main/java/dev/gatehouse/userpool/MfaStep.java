package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The MFA step of sign-in, after the password (or SRP) proof: tokens when the pool and user ask for no second factor,
 * else the {@code SOFTWARE_TOKEN_MFA} challenge (TOTP enabled) or {@code MFA_SETUP} (pool MFA {@code ON}, no factor
 * yet); and the answers to those challenges. Sessions are single use, bound to pool, client and user. Also the TOTP
 * proof that VerifySoftwareToken shares: a code is charged before it is compared, wrong codes lock the user out as
 * wrong passwords do, and a code's step is accepted once.
 */
final class MfaStep {

    static final String MFA_SETUP = "MFA_SETUP";
    static final String SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA";
    /** The session AssociateSoftwareToken returns during MFA_SETUP, for VerifySoftwareToken. */
    static final String SETUP_VERIFY = "MFA_SETUP#verify";
    /** The session VerifySoftwareToken returns during MFA_SETUP, answering the MFA_SETUP challenge. */
    static final String SETUP_DONE = "MFA_SETUP#done";

    private final PoolContext ctx;

    MfaStep(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
    }

    static boolean answers(String challenge) {
        return MFA_SETUP.equals(challenge) || SOFTWARE_TOKEN_MFA.equals(challenge);
    }

    /** The pool's {@code MfaConfiguration}: OFF, ON or OPTIONAL. */
    static String poolMode(PoolConfig pool) {
        return pool.document().path("MfaConfiguration").asText("OFF");
    }

    static boolean poolAllowsTotp(PoolConfig pool) {
        return pool.document()
                .path("SoftwareTokenMfaConfiguration")
                .path("Enabled")
                .asBoolean(false);
    }

    static boolean hasTotp(User user) {
        return user.totpEnabled && user.totpSecret != null;
    }

    /** After the user proved the password: tokens, or the MFA challenge the pool's mode and the user's factors ask. */
    ObjectNode finish(PoolConfig pool, ClientConfig client, User user, Instant now) {
        String mode = poolMode(pool);
        // In a pool with MFA ON a verified token is a factor even if the user never enabled it.
        boolean totp = hasTotp(user) || ("ON".equals(mode) && user.totpSecret != null);
        if (!"OFF".equals(mode) && totp) {
            return challenge(ctx, pool, client, user, SOFTWARE_TOKEN_MFA, SOFTWARE_TOKEN_MFA, now);
        }
        if ("ON".equals(mode)) {
            ObjectNode setup = challenge(ctx, pool, client, user, MFA_SETUP, MFA_SETUP, now);
            ((ObjectNode) setup.get("ChallengeParameters")).put("MFAS_CAN_SETUP", "[\"SOFTWARE_TOKEN_MFA\"]");
            return setup;
        }
        return PoolContext.authenticationResult(ctx.tokens.issue(user.tokenSubject(), client.tokenClient(), now));
    }

    /** A challenge response: a new single-use session of {@code sessionKind} and empty ChallengeParameters. */
    static ObjectNode challenge(
            PoolContext ctx,
            PoolConfig pool,
            ClientConfig client,
            User user,
            String name,
            String sessionKind,
            Instant now) {
        String session = ctx.sessions.start(
                pool.id(), client.clientId(), user.username, sessionKind, now, client.authSessionValidity());
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("ChallengeName", name);
        response.put("Session", session);
        response.putObject("ChallengeParameters");
        return response;
    }

    /** The answer to SOFTWARE_TOKEN_MFA or MFA_SETUP; the session is used up whatever the outcome. */
    ObjectNode respond(
            PoolConfig pool,
            ClientConfig client,
            String challenge,
            Optional<String> sessionId,
            Map<String, String> responses) {
        String username = Authentication.required(responses, "USERNAME");
        String session =
                sessionId.orElseThrow(() -> UserPoolErrors.invalidParameter("Missing required parameter Session"));
        PoolContext.checkSecretHash(client, Optional.ofNullable(responses.get("SECRET_HASH")), username);
        boolean totp = SOFTWARE_TOKEN_MFA.equals(challenge);
        String code = totp ? Authentication.required(responses, "SOFTWARE_TOKEN_MFA_CODE") : "";
        AuthSessions.Pending pending =
                ctx.sessions.open(session, pool.id(), client.clientId(), totp ? SOFTWARE_TOKEN_MFA : SETUP_DONE);
        ctx.sessions.consume(pending);
        User user = ctx.users
                .find(pool, username)
                .filter(u -> u.username.equals(pending.username()))
                .orElseThrow(() -> UserPoolErrors.notAuthorized("Invalid session for the user."));
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        Instant now = ctx.now();
        if (totp) {
            user = proveTotp(pool, user, code, false);
        } else if (user.totpSecret == null) {
            throw UserPoolErrors.notAuthorized("Invalid session for the user.");
        }
        return PoolContext.authenticationResult(ctx.tokens.issue(user.tokenSubject(), client.tokenClient(), now));
    }

    /**
     * Checks a TOTP code against the user's verified secret ({@code pending} false) or the one AssociateSoftwareToken
     * gave ({@code pending} true, which then becomes the verified one). Returns the user as saved on a match; throws
     * CodeMismatch (EnableSoftwareTokenMFA for a pending secret), ExpiredCode for a code already used, or
     * NotAuthorized while locked out.
     */
    User proveTotp(PoolConfig pool, User read, String code, boolean pending) {
        return ctx.proofs.oneAtATime(pool.id(), read.username, () -> {
            Instant now = ctx.now();
            User user = ctx.users
                    .findByUsername(pool, read.username)
                    .filter(u -> u.sub.equals(read.sub))
                    .orElseThrow(() -> UserPoolErrors.notAuthorized(UserPoolErrors.USER_DOES_NOT_EXIST));
            if (SignInThrottle.lockedOut(user, now)) {
                throw UserPoolErrors.notAuthorized(UserPoolErrors.PASSWORD_ATTEMPTS_EXCEEDED);
            }
            String sealed = pending ? user.totpPending : user.totpSecret;
            if (sealed == null) {
                throw pending
                        ? UserPoolErrors.error(
                                "SoftwareTokenMFANotFoundException", "User has not set up software token " + "mfa")
                        : UserPoolErrors.notAuthorized("Invalid session for the user.");
            }
            User charged = ctx.users.modify(pool, user, now, u -> chargeFailure(u, now));
            OptionalLong step = Totp.matchingStep(ctx.sealer.openTotp(pool.id(), user.username, sealed), code, now);
            if (step.isEmpty()) {
                throw pending
                        ? UserPoolErrors.error("EnableSoftwareTokenMFAException", "Code mismatch")
                        : UserPoolErrors.error(UserPoolErrors.CODE_MISMATCH, "Invalid code received for user");
            }
            boolean[] replayed = {false};
            User saved = ctx.users.modify(pool, charged, now, u -> {
                u.totpFailures = Math.max(0, u.totpFailures - 1);
                replayed[0] = step.getAsLong() <= u.totpLastStep;
                if (!replayed[0]) {
                    u.totpFailures = 0;
                    u.totpLastStep = step.getAsLong();
                    if (pending && sealed.equals(u.totpPending)) {
                        u.totpSecret = u.totpPending;
                        u.totpPending = null;
                    }
                }
            });
            if (replayed[0]) {
                throw UserPoolErrors.error(
                        UserPoolErrors.EXPIRED_CODE, "Your software token has already been used once.");
            }
            return saved;
        });
    }

    /**
     * Counts a TOTP attempt as failed before it is checked (a match takes it back), so parallel guesses stay bounded:
     * from the fifth failure in a row the user is locked out for 2^(n-5) seconds, at most 15 minutes, as after wrong
     * passwords. A successful password does not clear this count; only a right code does.
     */
    private static void chargeFailure(User user, Instant now) {
        user.totpFailures++;
        user.lastSignInAttempt = now;
        if (user.totpFailures >= SignInThrottle.FREE_FAILURES) {
            Duration lockout = Duration.ofSeconds(1L << Math.min(user.totpFailures - SignInThrottle.FREE_FAILURES, 20));
            user.lockedUntil =
                    now.plus(lockout.compareTo(SignInThrottle.MAX_LOCKOUT) > 0 ? SignInThrottle.MAX_LOCKOUT : lockout);
        }
    }
}
