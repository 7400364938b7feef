package dev.gatehouse.server.it;

import dev.gatehouse.userpool.SrpTestClient;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The PASSWORD_VERIFIER answer an SRP client (amazon-cognito-identity-js, pycognito) sends to a USER_SRP_AUTH
 * challenge.
 */
final class SrpAnswers {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss 'UTC' uuuu", Locale.US);

    private SrpAnswers() {}

    /**
     * TIMESTAMP (now), USERNAME and PASSWORD_CLAIM_SECRET_BLOCK from the challenge, and the claim's signature for
     * {@code password} in the pool {@code poolId}.
     */
    static Map<String, String> passwordVerifier(
            SrpTestClient srp, String poolId, String password, Map<String, String> challengeParameters) {
        String timestamp = TIMESTAMP.format(LocalDateTime.now(ZoneOffset.UTC));
        String poolName = poolId.substring(poolId.indexOf('_') + 1);
        return Map.of(
                "TIMESTAMP",
                timestamp,
                "USERNAME",
                challengeParameters.get("USERNAME"),
                "PASSWORD_CLAIM_SECRET_BLOCK",
                challengeParameters.get("SECRET_BLOCK"),
                "PASSWORD_CLAIM_SIGNATURE",
                srp.signature(poolName, password, challengeParameters, timestamp));
    }
}
