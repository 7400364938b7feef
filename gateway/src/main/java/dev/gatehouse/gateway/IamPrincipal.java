package dev.gatehouse.gateway;

import dev.gatehouse.iam.Policy;
import dev.gatehouse.iam.RequestContext;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who signed an {@code AWS_IAM} request, as the server's {@code CredentialResolver<IamPrincipal>} describes the access
 * key: the values of the event's {@code requestContext.authorizer.iam}, the identity policies of the caller's role and
 * the condition-key values its policy variables read. Immutable; equal when every part is equal.
 *
 * <p>The caller's own condition keys are folded and copied once, here, not on every request: a principal is resolved
 * once per session and then evaluated for each request it signs.
 */
public final class IamPrincipal {

    private final String accessKey;
    private final String accountId;
    private final String callerId;
    private final String userArn;
    private final String userId;
    private final Optional<CognitoIdentity> cognitoIdentity;
    private final List<Policy> policies;
    private final Map<String, List<String>> conditionKeys;
    /** The caller's own condition keys: see {@link #callerKeys}. */
    private final Map<String, List<String>> callerKeys;
    /** Every condition key that no request changes: {@code aws:SecureTransport} and {@link #callerKeys}. */
    private final RequestContext.Keys fixedKeys;

    /**
     * A caller.
     *
     * @param accessKey the access key id ({@code ASIA…} or {@code AKIA…})
     * @param accountId the caller's account
     * @param callerId such as {@code AROA…:CognitoIdentityCredentials}
     * @param userArn such as {@code arn:aws:sts::<acct>:assumed-role/<role>/CognitoIdentityCredentials}
     * @param userId such as {@code AROA…:CognitoIdentityCredentials}; also the value of {@code aws:userid}
     * @param cognitoIdentity the identity-pool identity behind temporary credentials; empty for IAM users
     * @param policies the role's (or user's) identity policies
     * @param conditionKeys further condition keys, such as {@code cognito-identity.amazonaws.com:sub}; the gateway adds
     *     {@code aws:userid}, {@code aws:SourceIp}, the time keys and the Cognito keys from {@code cognitoIdentity}
     */
    public IamPrincipal(
            String accessKey,
            String accountId,
            String callerId,
            String userArn,
            String userId,
            Optional<CognitoIdentity> cognitoIdentity,
            List<Policy> policies,
            Map<String, List<String>> conditionKeys) {
        this.accessKey = Objects.requireNonNull(accessKey, "accessKey cannot be null");
        this.accountId = Objects.requireNonNull(accountId, "accountId cannot be null");
        this.callerId = Objects.requireNonNull(callerId, "callerId cannot be null");
        this.userArn = Objects.requireNonNull(userArn, "userArn cannot be null");
        this.userId = Objects.requireNonNull(userId, "userId cannot be null");
        this.cognitoIdentity = Objects.requireNonNull(cognitoIdentity, "cognitoIdentity cannot be null");
        this.policies = List.copyOf(policies);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        conditionKeys.forEach((key, values) -> copy.put(key, List.copyOf(values)));
        this.conditionKeys = Collections.unmodifiableMap(copy);
        Map<String, List<String>> own = new LinkedHashMap<>();
        own.put("aws:userid", List.of(userId));
        own.put("aws:PrincipalAccount", List.of(accountId));
        own.put("aws:PrincipalArn", List.of(userArn));
        cognitoIdentity.ifPresent(identity -> {
            own.put("cognito-identity.amazonaws.com:sub", List.of(identity.identityId()));
            own.put("cognito-identity.amazonaws.com:aud", List.of(identity.identityPoolId()));
            own.put("cognito-identity.amazonaws.com:amr", identity.amr());
        });
        own.putAll(this.conditionKeys); // folded by Keys.of: a later key in another case still replaces an earlier one
        this.callerKeys = Collections.unmodifiableMap(own);
        Map<String, List<String>> fixed = new LinkedHashMap<>();
        fixed.put("aws:SecureTransport", List.of("false")); // the endpoint is plain HTTP
        fixed.putAll(own);
        this.fixedKeys = RequestContext.Keys.of(fixed);
    }

    public String accessKey() {
        return accessKey;
    }

    public String accountId() {
        return accountId;
    }

    public String callerId() {
        return callerId;
    }

    public String userArn() {
        return userArn;
    }

    public String userId() {
        return userId;
    }

    public Optional<CognitoIdentity> cognitoIdentity() {
        return cognitoIdentity;
    }

    public List<Policy> policies() {
        return policies;
    }

    public Map<String, List<String>> conditionKeys() {
        return conditionKeys;
    }

    /**
     * The condition keys this caller brings to every request it signs, in the order they apply (a later key replaces an
     * earlier one of the same name, in any case): {@code aws:userid}, {@code aws:PrincipalAccount},
     * {@code aws:PrincipalArn}, the Cognito keys of {@link #cognitoIdentity}, then {@link #conditionKeys}.
     */
    public Map<String, List<String>> callerKeys() {
        return callerKeys;
    }

    /**
     * What the gateway evaluates this caller's policies against for one request: {@code action} on {@code resource},
     * with the time keys of {@code now} and {@code aws:SourceIp}, which are the request's own,
     * {@code aws:SecureTransport} ({@code false}: the endpoint is HTTP) and this caller's {@link #callerKeys}.
     */
    public RequestContext requestContext(String action, String resource, Instant now, String sourceIp) {
        return RequestContext.builder(action, resource, fixedKeys)
                .currentTime(now)
                .put("aws:SourceIp", sourceIp)
                .build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof IamPrincipal)) {
            return false;
        }
        IamPrincipal that = (IamPrincipal) other;
        return accessKey.equals(that.accessKey)
                && accountId.equals(that.accountId)
                && callerId.equals(that.callerId)
                && userArn.equals(that.userArn)
                && userId.equals(that.userId)
                && cognitoIdentity.equals(that.cognitoIdentity)
                && policies.equals(that.policies)
                && conditionKeys.equals(that.conditionKeys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessKey, accountId, callerId, userArn, userId, cognitoIdentity, policies, conditionKeys);
    }

    @Override
    public String toString() {
        // Identifiers only: no condition-key values, no policy text.
        return "IamPrincipal[accessKey=" + accessKey + ", userArn=" + userArn + "]";
    }

    /**
     * The identity-pool identity of temporary credentials.
     *
     * @param identityId such as {@code us-east-1:<uuid>}; the value of {@code cognito-identity.amazonaws.com:sub}
     * @param identityPoolId such as {@code us-east-1:<uuid>}; the value of {@code cognito-identity.amazonaws.com:aud}
     * @param amr {@code authenticated} or {@code unauthenticated}, then the providers; {@code ...:amr}
     */
    public record CognitoIdentity(String identityId, String identityPoolId, List<String> amr) {
        public CognitoIdentity {
            Objects.requireNonNull(identityId, "identityId cannot be null");
            Objects.requireNonNull(identityPoolId, "identityPoolId cannot be null");
            amr = List.copyOf(amr);
        }
    }
}
