package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The MFA step of sign-in, after the password (or SRP) proof: tokens when the pool and user ask for no second factor,
 * else the challenge of the user's factor ({@code SOFTWARE_TOKEN_MFA}, {@code SMS_MFA}, {@code EMAIL_OTP}: the
 * preferred one, or the only one), {@code SELECT_MFA_TYPE} when several are enabled and none preferred, or
 * {@code MFA_SETUP} (pool MFA {@code ON}, no factor yet); and the answers to those challenges. Sessions are single use,
 * bound to pool, client and user. Also the TOTP proof that VerifySoftwareToken shares: a code is charged before it is
 * compared, wrong codes lock the user out as wrong passwords do, and a code's step is accepted once.
 */
final class MfaStep {

    static final String MFA_SETUP = "MFA_SETUP";
    static final String SOFTWARE_TOKEN_MFA = MfaFactors.TOTP;
    static final String SELECT_MFA_TYPE = "SELECT_MFA_TYPE";
    /** The session AssociateSoftwareToken returns during MFA_SETUP, for VerifySoftwareToken. */
    static final String SETUP_VERIFY = "MFA_SETUP#verify";
    /** The session VerifySoftwareToken returns during MFA_SETUP, answering the MFA_SETUP challenge. */
    static final String SETUP_DONE = "MFA_SETUP#done";
    /** Session state: the factors SELECT_MFA_TYPE offered; the address an email MFA_SETUP sent its code to. */
    private static final String CHOICES = "choices";

    private static final String SETUP_EMAIL = "setupEmail";
    private static final java.util.regex.Pattern EMAIL_ADDRESS =
            java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final PoolContext ctx;
    private final MfaCodes codes;

    MfaStep(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
        this.codes = new MfaCodes(ctx);
    }

    static boolean answers(String challenge) {
        return MFA_SETUP.equals(challenge) || SELECT_MFA_TYPE.equals(challenge) || MfaFactors.ALL.contains(challenge);
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
        if ("OFF".equals(mode)) {
            return tokens(client, user, now);
        }
        boolean required = "ON".equals(mode);
        List<String> usable = MfaFactors.usable(pool, user, required);
        if (usable.isEmpty()) {
            if (!required) {
                return tokens(client, user, now);
            }
            Optional<String> implicit = MfaFactors.implicit(pool, user);
            if (implicit.isPresent()) {
                return factorChallenge(pool, client, user, implicit.get(), now);
            }
            ObjectNode setup = challenge(ctx, pool, client, user, MFA_SETUP, MFA_SETUP, now);
            ((ObjectNode) setup.get("ChallengeParameters"))
                    .put("MFAS_CAN_SETUP", MfaFactors.jsonList(MfaFactors.offered(pool)));
            return setup;
        }
        String preferred = user.preferredMfa;
        if (preferred != null && usable.contains(preferred)) {
            return factorChallenge(pool, client, user, preferred, now);
        }
        if (usable.size() == 1) {
            return factorChallenge(pool, client, user, usable.get(0), now);
        }
        String session = ctx.sessions.start(
                pool.id(),
                client.clientId(),
                user.username,
                SELECT_MFA_TYPE,
                now,
                client.authSessionValidity(),
                Map.of(CHOICES, String.join(",", usable)));
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("ChallengeName", SELECT_MFA_TYPE);
        response.put("Session", session);
        response.putObject("ChallengeParameters").put("MFAS_CAN_CHOOSE", MfaFactors.jsonList(usable));
        return response;
    }

    private ObjectNode tokens(ClientConfig client, User user, Instant now) {
        return PoolContext.authenticationResult(ctx.tokens.issue(user.tokenSubject(), client.tokenClient(), now));
    }

    /** The challenge of one factor: TOTP asks for the app's code, SMS and email send one. */
    private ObjectNode factorChallenge(PoolConfig pool, ClientConfig client, User user, String factor, Instant now) {
        return switch (factor) {
            case MfaFactors.SMS -> codes.challenge(
                    pool, client, user, factor, user.phoneNumber().orElseThrow(), Map.of(), now);
            case MfaFactors.EMAIL -> codes.challenge(
                    pool, client, user, factor, user.email().orElseThrow(), Map.of(), now);
            default -> challenge(ctx, pool, client, user, SOFTWARE_TOKEN_MFA, SOFTWARE_TOKEN_MFA, now);
        };
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

    /** The answer to an MFA challenge; the session is used up whatever the outcome. */
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
        return switch (challenge) {
            case SELECT_MFA_TYPE -> select(pool, client, session, username, responses);
            case MfaFactors.SMS -> answerCode(pool, client, session, username, challenge, responses, "SMS_MFA_CODE");
            case MfaFactors.EMAIL -> answerCode(
                    pool, client, session, username, challenge, responses, "EMAIL_OTP_CODE");
            case MFA_SETUP -> responses.containsKey("EMAIL")
                    ? setupByEmail(pool, client, session, username, responses.get("EMAIL"))
                    : setupDone(pool, client, session, username);
            default -> answerTotp(
                    pool, client, session, username, Authentication.required(responses, "SOFTWARE_TOKEN_MFA_CODE"));
        };
    }

    /** Opens and uses up the session of {@code kind}, and returns it with its user, who must be enabled. */
    private record Opened(AuthSessions.Pending pending, User user) {}

    private Opened open(PoolConfig pool, ClientConfig client, String session, String kind, String username) {
        AuthSessions.Pending pending = ctx.sessions.open(session, pool.id(), client.clientId(), kind);
        ctx.sessions.consume(pending);
        User user = ctx.users
                .find(pool, username)
                .filter(u -> u.username.equals(pending.username()))
                .orElseThrow(() -> UserPoolErrors.notAuthorized("Invalid session for the user."));
        if (!user.enabled) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.USER_DISABLED);
        }
        return new Opened(pending, user);
    }

    private ObjectNode answerTotp(PoolConfig pool, ClientConfig client, String session, String username, String code) {
        Opened opened = open(pool, client, session, SOFTWARE_TOKEN_MFA, username);
        Instant now = ctx.now();
        return tokens(client, proveTotp(pool, opened.user(), code, false), now);
    }

    /** MFA_SETUP answered with the session VerifySoftwareToken gave. */
    private ObjectNode setupDone(PoolConfig pool, ClientConfig client, String session, String username) {
        Opened opened = open(pool, client, session, SETUP_DONE, username);
        if (opened.user().totpSecret == null) {
            throw UserPoolErrors.notAuthorized("Invalid session for the user.");
        }
        return tokens(client, opened.user(), ctx.now());
    }

    /**
     * MFA_SETUP answered with an {@code EMAIL} (as Amplify's {@code confirmSignIn} sends it): an EMAIL_OTP challenge
     * to that address, which on success becomes the user's verified email and MFA factor.
     */
    private ObjectNode setupByEmail(
            PoolConfig pool, ClientConfig client, String session, String username, String email) {
        if (!MfaFactors.poolOffers(pool, MfaFactors.EMAIL)) {
            throw UserPoolErrors.invalidParameter("EMAIL_OTP is not an MFA option of this user pool.");
        }
        if (email.length() > 2048 || !EMAIL_ADDRESS.matcher(email).matches()) {
            throw UserPoolErrors.invalidParameter("Invalid email address format.");
        }
        Opened opened = open(pool, client, session, MFA_SETUP, username);
        return codes.challenge(
                pool, client, opened.user(), MfaFactors.EMAIL, email, Map.of(SETUP_EMAIL, email), ctx.now());
    }

    /** SELECT_MFA_TYPE: the chosen factor's challenge (an SMS or email code is sent now). */
    private ObjectNode select(
            PoolConfig pool, ClientConfig client, String session, String username, Map<String, String> responses) {
        String answer = Authentication.required(responses, "ANSWER");
        String factor = "EMAIL_MFA".equals(answer) ? MfaFactors.EMAIL : answer;
        if (!MfaFactors.ALL.contains(factor)) {
            throw UserPoolErrors.invalidParameter("Invalid ANSWER: " + answer + " is not an MFA type.");
        }
        Opened opened = open(pool, client, session, SELECT_MFA_TYPE, username);
        List<String> choices =
                List.of(opened.pending().state(CHOICES).orElse("").split(","));
        if (!choices.contains(factor)) {
            throw UserPoolErrors.invalidParameter("Invalid ANSWER: " + answer + " was not offered to the user.");
        }
        return factorChallenge(pool, client, opened.user(), factor, ctx.now());
    }

    /**
     * SMS_MFA or EMAIL_OTP answered with its code: tokens, and the phone number or email address becomes verified (as
     * Cognito marks it after a first MFA); after an email MFA_SETUP the address becomes the user's email factor.
     */
    private ObjectNode answerCode(
            PoolConfig pool,
            ClientConfig client,
            String session,
            String username,
            String factor,
            Map<String, String> responses,
            String codeName) {
        String code = Authentication.required(responses, codeName);
        Opened opened = open(pool, client, session, factor, username);
        User proven = codes.prove(pool, opened.user(), opened.pending(), code);
        Optional<String> setupEmail = opened.pending().state(SETUP_EMAIL);
        boolean sms = MfaFactors.SMS.equals(factor);
        Instant now = ctx.now();
        User saved = ctx.users.modify(pool, proven, now, u -> {
            if (setupEmail.isPresent()) {
                u.attributes.put("email", setupEmail.get());
                u.emailMfaEnabled = true;
                u.preferredMfa = MfaFactors.EMAIL;
            }
            String attribute = sms ? "phone_number" : "email";
            if (u.attributes.containsKey(attribute)
                    && u.attributes
                            .get(attribute)
                            .equals(opened.pending().state(MfaCodes.DESTINATION).orElse(""))) {
                u.attributes.put(attribute + "_verified", "true");
            }
        });
        return tokens(client, saved, now);
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
            User user = current(ctx, pool, read, now);
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
     * The user as stored now (an earlier proof may have changed it while this one waited), or NotAuthorized when it
     * is gone or locked out. Call while holding the user's proof gate.
     */
    static User current(PoolContext ctx, PoolConfig pool, User read, Instant now) {
        User user = ctx.users
                .findByUsername(pool, read.username)
                .filter(u -> u.sub.equals(read.sub))
                .orElseThrow(() -> UserPoolErrors.notAuthorized(UserPoolErrors.USER_DOES_NOT_EXIST));
        if (SignInThrottle.lockedOut(user, now)) {
            throw UserPoolErrors.notAuthorized(UserPoolErrors.PASSWORD_ATTEMPTS_EXCEEDED);
        }
        return user;
    }

    /**
     * Counts an MFA code (TOTP, SMS, email) as failed before it is checked (a match takes it back), so parallel
     * guesses stay bounded: from the fifth failure in a row the user is locked out for 2^(n-5) seconds, at most 15
     * minutes, as after wrong passwords. A successful password does not clear this count; only a right code does.
     */
    static void chargeFailure(User user, Instant now) {
        user.totpFailures++;
        user.lastSignInAttempt = now;
        if (user.totpFailures >= SignInThrottle.FREE_FAILURES) {
            Duration lockout = Duration.ofSeconds(1L << Math.min(user.totpFailures - SignInThrottle.FREE_FAILURES, 20));
            user.lockedUntil =
                    now.plus(lockout.compareTo(SignInThrottle.MAX_LOCKOUT) > 0 ? SignInThrottle.MAX_LOCKOUT : lockout);
        }
    }
}
