package dev.gatehouse.userpool;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;

/**
 * The server's half of one {@code PASSWORD_VERIFIER} challenge, kept from InitiateAuth ({@code USER_SRP_AUTH}) until
 * the single RespondToAuthChallenge that may answer it. Holds the ephemeral secret b: keep it server side only (or
 * sealed), never in a response or a log; {@link #toString()} is redacted.
 *
 * @param poolName the part of the user pool id after {@code _}
 * @param userIdForSrp the internal username the proof is bound to ({@code USER_ID_FOR_SRP})
 * @param verifier the user's salt and verifier (or a fake one for a user that does not exist)
 * @param clientPublic A, already range-checked
 * @param serverSecret b
 * @param serverPublic B = (k·v + g^b) mod N
 * @param secretBlock the {@code SECRET_BLOCK} sent (base64); the answer must echo it exactly
 */
record SrpChallenge(
        String poolName,
        String userIdForSrp,
        SrpVerifier verifier,
        BigInteger clientPublic,
        BigInteger serverSecret,
        BigInteger serverPublic,
        String secretBlock) {

    SrpChallenge {
        Objects.requireNonNull(poolName, "poolName cannot be null");
        Objects.requireNonNull(userIdForSrp, "userIdForSrp cannot be null");
        Objects.requireNonNull(verifier, "verifier cannot be null");
        Objects.requireNonNull(clientPublic, "clientPublic cannot be null");
        Objects.requireNonNull(serverSecret, "serverSecret cannot be null");
        Objects.requireNonNull(serverPublic, "serverPublic cannot be null");
        Objects.requireNonNull(secretBlock, "secretBlock cannot be null");
    }

    /**
     * The {@code ChallengeParameters} of the {@code PASSWORD_VERIFIER} challenge: {@code SALT}, {@code SRP_B} (hex),
     * {@code SECRET_BLOCK}, and {@code USER_ID_FOR_SRP} and {@code USERNAME}, both the internal username.
     */
    Map<String, String> challengeParameters() {
        return Map.of(
                "SALT", verifier.saltHex(),
                "SRP_B", serverPublic.toString(16),
                "SECRET_BLOCK", secretBlock,
                "USER_ID_FOR_SRP", userIdForSrp,
                "USERNAME", userIdForSrp);
    }

    @Override
    public String toString() {
        return "SrpChallenge[poolName=" + poolName + ", userIdForSrp=" + userIdForSrp + ", secrets redacted]";
    }
}
