package dev.gatehouse.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who holds a set of temporary credentials, as sealed into their session token: the role assumed, and either the
 * identity-pool identity that assumed it (session name {@code CognitoIdentityCredentials}, with the policy-variable
 * values {@code cognito-identity.amazonaws.com:sub|aud|amr} requests signed with them carry) or nobody but the role
 * itself, as a Lambda function's execution role is assumed (a {@linkplain #roleSession role session}: empty identity
 * ids, no {@code amr}, the function's name as the session name).
 *
 * @param accessKeyId the {@code ASIA…} key the token is bound to
 * @param expiration the first instant the credentials are no longer valid
 * @param identityId the identity id ({@code <region>:<uuid>}); the value of {@code cognito-identity.amazonaws.com:sub}
 * @param identityPoolId the identity pool; the value of {@code cognito-identity.amazonaws.com:aud}
 * @param roleArn the assumed role, {@code arn:aws:iam::<account>:role/<name>}
 * @param accountId the 12-digit account of the role
 * @param amr {@code ["unauthenticated"]} or {@code ["authenticated", <provider>, …]}; empty for a role session
 * @param sessionName the role session name: {@link #ROLE_SESSION_NAME} for an identity, else the role session's own
 */
public record SessionPrincipal(
        String accessKeyId,
        Instant expiration,
        String identityId,
        String identityPoolId,
        String roleArn,
        String accountId,
        List<String> amr,
        String sessionName) {

    /** The role session name Cognito uses for identity-pool credentials. */
    public static final String ROLE_SESSION_NAME = "CognitoIdentityCredentials";
    /** STS's {@code RoleSessionName} characters, 1 to 64 (a Lambda function's name may be one character). */
    private static final java.util.regex.Pattern SESSION_NAME = java.util.regex.Pattern.compile("[\\w+=,.@-]{1,64}");

    /**
     * A principal; an identity-pool identity's session is always named {@link #ROLE_SESSION_NAME}, a role session (no
     * identity) by a session name of its own, of STS's characters.
     */
    public SessionPrincipal {
        Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null");
        Objects.requireNonNull(expiration, "expiration cannot be null");
        Objects.requireNonNull(identityId, "identityId cannot be null");
        Objects.requireNonNull(identityPoolId, "identityPoolId cannot be null");
        Objects.requireNonNull(roleArn, "roleArn cannot be null");
        Objects.requireNonNull(accountId, "accountId cannot be null");
        Objects.requireNonNull(sessionName, "sessionName cannot be null");
        amr = List.copyOf(amr);
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw new IllegalArgumentException("sessionName must be 1 to 64 of [\\w+=,.@-]");
        }
        boolean identity = !identityId.isEmpty() || !identityPoolId.isEmpty() || !amr.isEmpty();
        if (identity && !ROLE_SESSION_NAME.equals(sessionName)) {
            throw new IllegalArgumentException("an identity-pool session is named " + ROLE_SESSION_NAME);
        }
    }

    /** An identity-pool identity's session (session name {@link #ROLE_SESSION_NAME}). */
    public SessionPrincipal(
            String accessKeyId,
            Instant expiration,
            String identityId,
            String identityPoolId,
            String roleArn,
            String accountId,
            List<String> amr) {
        this(accessKeyId, expiration, identityId, identityPoolId, roleArn, accountId, amr, ROLE_SESSION_NAME);
    }

    /**
     * The role itself, assumed with no Cognito identity (a Lambda function's execution role, session {@code sessionName},
     * the function's name).
     */
    public static SessionPrincipal roleSession(
            String accessKeyId, Instant expiration, String roleArn, String accountId, String sessionName) {
        return new SessionPrincipal(accessKeyId, expiration, "", "", roleArn, accountId, List.of(), sessionName);
    }

    /** Whether an identity-pool identity holds the session (else the role session is its own principal). */
    public boolean hasCognitoIdentity() {
        return !identityId.isEmpty();
    }

    /** The role's name: the part of the ARN after {@code role/} (and any path). */
    public String roleName() {
        return roleArn.substring(roleArn.lastIndexOf('/') + 1);
    }

    /**
     * The caller ARN STS reports: {@code arn:aws:sts::<account>:assumed-role/<role>/<sessionName>}, the session name
     * being {@code CognitoIdentityCredentials} for an identity.
     */
    public String assumedRoleArn() {
        return "arn:aws:sts::" + accountId + ":assumed-role/" + roleName() + "/" + sessionName;
    }

    /**
     * The role's unique id, {@code AROA} and 16 characters of {@code A-Z2-7}. Gatehouse has no IAM to assign one, so it
     * is derived from the role ARN (SHA-256): the same on every node and start, different per role.
     */
    public String roleId() {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(roleArn.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder id = new StringBuilder("AROA");
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(digest[i] & 0x1f));
        }
        return id.toString();
    }

    /** {@code aws:userid} of the session, as STS reports it: {@code <roleId>:<sessionName>}. */
    public String userId() {
        return roleId() + ":" + sessionName;
    }

    /**
     * The condition keys (policy variables) requests signed with these credentials carry, for
     * {@link RequestContext.Builder#put(String, List)}: {@code cognito-identity.amazonaws.com:sub} (the identity id),
     * {@code :aud} (the identity pool id), {@code :amr} (multi-valued), {@code aws:userid}, {@code aws:PrincipalArn}
     * (the role), {@code aws:PrincipalAccount} and {@code aws:PrincipalType} ({@code AssumedRole}). A role session
     * has no Cognito keys: a condition on them does not match its requests, as on AWS.
     */
    public Map<String, List<String>> conditionKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (hasCognitoIdentity()) {
            keys.put("cognito-identity.amazonaws.com:sub", List.of(identityId));
            keys.put("cognito-identity.amazonaws.com:aud", List.of(identityPoolId));
            keys.put("cognito-identity.amazonaws.com:amr", amr);
        }
        keys.put("aws:userid", List.of(userId()));
        keys.put("aws:PrincipalArn", List.of(roleArn));
        keys.put("aws:PrincipalAccount", List.of(accountId));
        keys.put("aws:PrincipalType", List.of("AssumedRole"));
        return keys;
    }

    /** Whether the identity signed in ({@code amr} contains {@code authenticated}). */
    public boolean authenticated() {
        return amr.contains("authenticated");
    }
}
