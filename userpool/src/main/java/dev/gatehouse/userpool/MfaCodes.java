package dev.gatehouse.userpool;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code SMS_MFA} and {@code EMAIL_OTP} challenges: a six-digit code, sent through the pool's message sender (SMS
 * to the phone number, email to the address) and kept, only as a salted HMAC, in the challenge's session, so it lives
 * as long as the session (the client's AuthSessionValidity, 3 minutes by default, as Cognito documents) and is
 * answered once. A code is checked as TOTP codes are: charged to the user's MFA failures before it is compared, so
 * wrong codes lock the user out as wrong passwords do.
 */
final class MfaCodes {

    /** The session state holding the stored code. */
    private static final String CODE = "code";
    /** The session state naming where the code went. */
    static final String DESTINATION = "destination";

    private final PoolContext ctx;

    MfaCodes(PoolContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx cannot be null");
    }

    /**
     * Sends a code for {@code factor} ({@code SMS_MFA} or {@code EMAIL_OTP}) to {@code destination} and answers with
     * the challenge; {@code state} is kept in its session next to the code.
     */
    ObjectNode challenge(
            PoolConfig pool,
            ClientConfig client,
            User user,
            String factor,
            String destination,
            Map<String, String> state,
            Instant now) {
        Duration validity = client.authSessionValidity();
        OneTimeCode.Issued code = OneTimeCode.issue(ctx.random, now, validity);
        Map<String, String> kept = new HashMap<>(state);
        kept.put(CODE, code.stored().encode());
        kept.put(DESTINATION, destination);
        String session = ctx.sessions.start(pool.id(), client.clientId(), user.username, factor, now, validity, kept);
        boolean sms = MfaFactors.SMS.equals(factor);
        if (sms) {
            ctx.delivery.send(factor, pool, user, destination, "", MfaFactors.smsMessage(pool), code.code());
        } else {
            ctx.delivery.send(
                    factor,
                    pool,
                    user,
                    destination,
                    MfaFactors.emailSubject(pool),
                    MfaFactors.emailMessage(pool),
                    code.code());
        }
        ObjectNode response = AwsJson.mapper().createObjectNode();
        response.put("ChallengeName", factor);
        response.put("Session", session);
        ObjectNode parameters = response.putObject("ChallengeParameters");
        parameters.put("CODE_DELIVERY_DELIVERY_MEDIUM", sms ? "SMS" : "EMAIL");
        parameters.put(
                "CODE_DELIVERY_DESTINATION", sms ? MfaFactors.maskPhone(destination) : CodeDelivery.mask(destination));
        return response;
    }

    /**
     * Checks the code presented against the one kept in the (already consumed) session. Returns the user as saved on
     * a match; throws CodeMismatch, ExpiredCode, or NotAuthorized while the user is locked out.
     */
    User prove(PoolConfig pool, User read, AuthSessions.Pending pending, String presented) {
        OneTimeCode stored = pending.state(CODE)
                .flatMap(OneTimeCode::decode)
                .orElseThrow(() -> UserPoolErrors.notAuthorized("Invalid session for the user."));
        return ctx.proofs.oneAtATime(pool.id(), read.username, () -> {
            Instant now = ctx.now();
            User user = MfaStep.current(ctx, pool, read, now);
            User charged = ctx.users.modify(pool, user, now, u -> MfaStep.chargeFailure(u, now));
            switch (stored.check(presented, now)) {
                case MATCH -> {}
                case EXPIRED -> throw UserPoolErrors.expiredCode();
                default -> throw UserPoolErrors.error(
                        UserPoolErrors.CODE_MISMATCH, "Invalid code or auth state for the user.");
            }
            return ctx.users.modify(pool, charged, now, u -> u.totpFailures = 0);
        });
    }
}
