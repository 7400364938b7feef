package dev.gatehouse.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Policy;
import dev.gatehouse.iam.SecretBytes;
import dev.gatehouse.iam.SessionPrincipal;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.iam.SigningCredential;
import dev.gatehouse.identity.RolePolicies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's callers on AWS_IAM routes, and the bucket's and the tables': temporary credentials ({@code ASIA…}
 * keys) of identity-pool identities or of functions' execution roles (role sessions, no Cognito identity), resolved by
 * opening their sealed session token (no store read), carrying the policy of the role they assumed. A role without a policy gets
 * none, so every request it signs is implicitly denied. Thread-safe.
 *
 * <p>The gateway resolves callers on the event loop, so role policies are served from memory: {@link #warm} loads a
 * role's policy at start-up, and a policy older than {@code maxAge} is still served while {@code refresher} re-reads
 * it (at most one read per role at a time). Only a role never seen before is read on the calling thread.
 */
final class IdentityPoolCallers implements CredentialResolver<IamPrincipal> {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityPoolCallers.class);

    /** A role's policies and the instant from which they are re-read (in the background). */
    private record Loaded(List<Policy> policies, Instant staleAt) {}

    /**
     * The caller last resolved for a session: reused while the role's policies (the same list instance) and the secret
     * opened from the token (the same instance) are unchanged, so a warm request builds nothing.
     */
    private record Resolved(
            List<Policy> policies, SecretBytes secretKey, Optional<SigningCredential<IamPrincipal>> answer) {}

    /** Sessions whose callers were resolved recently, one per live session; a miss only builds the caller again. */
    private static final int MAX_RESOLVED = 4096;

    private final SessionTokenCredentialResolver sessions;
    private final RolePolicies policies;
    private final Executor refresher;
    private final Clock clock;
    private final Duration maxAge;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /**
     * Keyed on the whole principal (every field), so two sessions never share an entry unless identical; an entry is
     * dropped when its session's credentials expire (by {@link #clock}), or by Caffeine's size bound.
     */
    private final Cache<SessionPrincipal, Resolved> resolved;

    IdentityPoolCallers(
            SessionTokenCredentialResolver sessions,
            RolePolicies policies,
            Executor refresher,
            Clock clock,
            Duration maxAge) {
        this.sessions = Objects.requireNonNull(sessions, "sessions cannot be null");
        this.policies = Objects.requireNonNull(policies, "policies cannot be null");
        this.refresher = Objects.requireNonNull(refresher, "refresher cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge cannot be null");
        this.resolved = Caffeine.newBuilder()
                .maximumSize(MAX_RESOLVED)
                .expireAfter(Expiry.creating((SessionPrincipal session, Resolved entry) -> untilExpiry(session)))
                .executor(Runnable::run)
                .build();
    }

    private Duration untilExpiry(SessionPrincipal session) {
        Duration left = Duration.between(clock.instant(), session.expiration());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Loads a role's policy now (blocking), so requests signed for it never wait for the store. */
    IdentityPoolCallers warm(String roleArn) {
        load(roleArn);
        return this;
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // identity on purpose: the same loaded policy list and opened secret
    public Optional<SigningCredential<IamPrincipal>> resolve(String accessKeyId, @Nullable String sessionToken) {
        Optional<SigningCredential<SessionPrincipal>> opened = sessions.resolve(accessKeyId, sessionToken);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        SigningCredential<SessionPrincipal> credential = opened.get();
        SessionPrincipal session = credential.principal();
        List<Policy> rolePolicies = policiesOf(session.roleArn());
        Resolved last = resolved.getIfPresent(session);
        if (last != null && last.policies() == rolePolicies && last.secretKey() == credential.secretKey()) {
            return last.answer();
        }
        Optional<IamPrincipal.CognitoIdentity> identity = session.hasCognitoIdentity()
                ? Optional.of(
                        new IamPrincipal.CognitoIdentity(session.identityId(), session.identityPoolId(), session.amr()))
                : Optional.empty();
        IamPrincipal caller = new IamPrincipal(
                session.accessKeyId(),
                session.accountId(),
                session.userId(),
                session.assumedRoleArn(),
                session.userId(),
                identity,
                rolePolicies,
                session.conditionKeys());
        Optional<SigningCredential<IamPrincipal>> answer = Optional.of(SigningCredential.temporary(
                credential.secretKey(), credential.expiration().orElse(session.expiration()), caller));
        resolved.put(session, new Resolved(rolePolicies, credential.secretKey(), answer));
        return answer;
    }

    private List<Policy> policiesOf(String roleArn) {
        Loaded current = loaded.get(roleArn);
        if (current == null) {
            return load(roleArn);
        }
        if (!clock.instant().isBefore(current.staleAt()) && refreshing.add(roleArn)) {
            try {
                refresher.execute(() -> {
                    try {
                        load(roleArn);
                    } catch (RuntimeException e) {
                        LOG.warn("could not re-read the policy of {}: {}", roleArn, e.toString());
                    } finally {
                        refreshing.remove(roleArn);
                    }
                });
            } catch (RuntimeException e) {
                // The pool is full: the next request tries again; meanwhile the policy read last is served.
                refreshing.remove(roleArn);
            }
        }
        return current.policies();
    }

    private List<Policy> load(String roleArn) {
        List<Policy> read = policies.find(roleArn).map(List::of).orElse(List.of());
        loaded.put(roleArn, new Loaded(read, clock.instant().plus(maxAge)));
        return read;
    }
}
