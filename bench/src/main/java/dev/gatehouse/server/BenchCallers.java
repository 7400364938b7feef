package dev.gatehouse.server;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.identity.RolePolicies;
import dev.gatehouse.store.InMemoryItemStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Bench-only access to the server's package-private {@link IdentityPoolCallers}, so the JMH benchmark resolves callers
 * exactly as the gateway does (same package on the class path; nothing in the server depends on this class).
 */
public final class BenchCallers {

  private BenchCallers() {
  }

  /** Callers whose role {@code roleArn} has {@code policy}, held in memory and warmed. */
  public static CredentialResolver<IamPrincipal> identityPoolCallers(SessionTokenCredentialResolver sessions,
      String roleArn, String policy) {
    Clock clock = Clock.systemUTC();
    RolePolicies policies = new RolePolicies(new InMemoryItemStore(clock), clock);
    policies.put(roleArn, policy);
    return new IdentityPoolCallers(sessions, policies, Runnable::run, clock, Duration.ofHours(1)).warm(roleArn);
  }
}
