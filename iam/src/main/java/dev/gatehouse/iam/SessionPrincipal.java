package dev.gatehouse.iam;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who holds a set of temporary credentials, as sealed into their session token: the identity-pool identity, the role it
 * assumed and the policy-variable values ({@code cognito-identity.amazonaws.com:sub|aud|amr}) requests signed with them
 * carry.
 *
 * @param accessKeyId the {@code ASIA…} key the token is bound to
 * @param expiration the first instant the credentials are no longer valid
 * @param identityId the identity id ({@code <region>:<uuid>}); the value of {@code cognito-identity.amazonaws.com:sub}
 * @param identityPoolId the identity pool; the value of {@code cognito-identity.amazonaws.com:aud}
 * @param roleArn the assumed role, {@code arn:aws:iam::<account>:role/<name>}
 * @param accountId the 12-digit account of the role
 * @param amr {@code ["unauthenticated"]} or {@code ["authenticated", <provider>, …]}
 */
public record SessionPrincipal(String accessKeyId, Instant expiration, String identityId, String identityPoolId,
    String roleArn, String accountId, List<String> amr) {

  /** The role session name Cognito uses for identity-pool credentials. */
  public static final String ROLE_SESSION_NAME = "CognitoIdentityCredentials";

  public SessionPrincipal {
    Objects.requireNonNull(accessKeyId, "accessKeyId cannot be null");
    Objects.requireNonNull(expiration, "expiration cannot be null");
    Objects.requireNonNull(identityId, "identityId cannot be null");
    Objects.requireNonNull(identityPoolId, "identityPoolId cannot be null");
    Objects.requireNonNull(roleArn, "roleArn cannot be null");
    Objects.requireNonNull(accountId, "accountId cannot be null");
    amr = List.copyOf(amr);
  }

  /** The role's name: the part of the ARN after {@code role/} (and any path). */
  public String roleName() {
    return roleArn.substring(roleArn.lastIndexOf('/') + 1);
  }

  /** The caller ARN STS reports: {@code arn:aws:sts::<account>:assumed-role/<role>/CognitoIdentityCredentials}. */
  public String assumedRoleArn() {
    return "arn:aws:sts::" + accountId + ":assumed-role/" + roleName() + "/" + ROLE_SESSION_NAME;
  }

  /** Whether the identity signed in ({@code amr} contains {@code authenticated}). */
  public boolean authenticated() {
    return amr.contains("authenticated");
  }
}
