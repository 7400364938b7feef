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

/**
 * Who signed an {@code AWS_IAM} request, as the server's {@code CredentialResolver<IamPrincipal>} describes the access
 * key: the values of the event's {@code requestContext.authorizer.iam}, the identity policies of the caller's role and
 * the condition-key values its policy variables read.
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
public record IamPrincipal(String accessKey, String accountId, String callerId, String userArn, String userId,
    Optional<CognitoIdentity> cognitoIdentity, List<Policy> policies, Map<String, List<String>> conditionKeys) {

  public IamPrincipal {
    Objects.requireNonNull(accessKey, "accessKey cannot be null");
    Objects.requireNonNull(accountId, "accountId cannot be null");
    Objects.requireNonNull(callerId, "callerId cannot be null");
    Objects.requireNonNull(userArn, "userArn cannot be null");
    Objects.requireNonNull(userId, "userId cannot be null");
    Objects.requireNonNull(cognitoIdentity, "cognitoIdentity cannot be null");
    policies = List.copyOf(policies);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    conditionKeys.forEach((key, values) -> copy.put(key, List.copyOf(values)));
    conditionKeys = Collections.unmodifiableMap(copy);
  }

  /**
   * What the gateway evaluates this caller's policies against for one request: {@code action} on {@code resource},
   * with the time keys of {@code now}, {@code aws:userid}, {@code aws:PrincipalAccount}, {@code aws:PrincipalArn},
   * {@code aws:SourceIp}, {@code aws:SecureTransport} ({@code false}: the endpoint is HTTP), the Cognito keys of
   * {@link #cognitoIdentity} and then {@link #conditionKeys}.
   */
  public RequestContext requestContext(String action, String resource, Instant now, String sourceIp) {
    RequestContext.Builder context = RequestContext.builder(action, resource)
        .currentTime(now)
        .put("aws:userid", userId)
        .put("aws:PrincipalAccount", accountId)
        .put("aws:PrincipalArn", userArn)
        .put("aws:SourceIp", sourceIp)
        .put("aws:SecureTransport", "false");
    if (cognitoIdentity.isPresent()) {
      CognitoIdentity identity = cognitoIdentity.get();
      context.put("cognito-identity.amazonaws.com:sub", identity.identityId())
          .put("cognito-identity.amazonaws.com:aud", identity.identityPoolId())
          .put("cognito-identity.amazonaws.com:amr", identity.amr());
    }
    for (Map.Entry<String, List<String>> key : conditionKeys.entrySet()) {
      context.put(key.getKey(), key.getValue());
    }
    return context.build();
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
