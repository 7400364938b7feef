package dev.gatehouse.server;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Policy;
import dev.gatehouse.iam.SessionPrincipal;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.identity.RolePolicies;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's callers on AWS_IAM routes: identity-pool credentials ({@code ASIA…} keys), resolved by opening their
 * sealed session token (no store read), carrying the policy of the role they assumed. A role without a policy gets
 * none, so every request it signs is implicitly denied. Role policies come from {@link RolePolicies}' cache (a store
 * read at most once per cache TTL). Thread-safe.
 */
final class IdentityPoolCallers implements CredentialResolver<IamPrincipal> {

  private final SessionTokenCredentialResolver sessions;
  private final RolePolicies policies;

  IdentityPoolCallers(SessionTokenCredentialResolver sessions, RolePolicies policies) {
    this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
    this.policies = Objects.requireNonNull(policies, "policies cannot be null");
  }

  @Override
  public Optional<SigningCredential<IamPrincipal>> resolve(String accessKeyId, @Nullable String sessionToken) {
    return sessions.resolve(accessKeyId, sessionToken).map(credential -> {
      SessionPrincipal session = credential.principal();
      List<Policy> rolePolicy = policies.find(session.roleArn()).map(List::of).orElse(List.of());
      IamPrincipal caller = new IamPrincipal(session.accessKeyId(), session.accountId(), session.userId(),
          session.assumedRoleArn(), session.userId(),
          Optional.of(new IamPrincipal.CognitoIdentity(session.identityId(), session.identityPoolId(), session.amr())),
          rolePolicy, session.conditionKeys());
      return SigningCredential.temporary(credential.secretKey(),
          credential.expiration().orElse(session.expiration()), caller);
    });
  }
}
