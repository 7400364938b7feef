package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.iam.SessionTokenKeySource;
import dev.gatehouse.iam.SessionTokenKeys;
import dev.gatehouse.iam.SessionTokenSealer;
import dev.gatehouse.iam.TemporaryCredentials;
import dev.gatehouse.identity.RolePolicies;
import dev.gatehouse.store.sqlite.SqliteItemStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity-pool credentials as gateway callers: the sealed identity, and role policies served without blocking. */
class IdentityPoolCallersTests {

    private static final String ROLE = "arn:aws:iam::123456789012:role/gatehouse-auth";
    private static final String ALLOW_API = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:us-east-1:123456789012:abc/*\"}]}";
    private static final String ALLOW_NOTHING = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

    @TempDir
    Path dir;

    private final Instant start = Instant.parse("2026-01-01T00:00:00Z");
    private final MutableClock clock = new MutableClock(start);
    private final Queue<Runnable> refreshes = new ArrayDeque<>();
    private SqliteItemStore store;
    private RolePolicies policies;
    private SessionTokenSealer sealer;
    private IdentityPoolCallers callers;

    @BeforeEach
    void setUp() {
        store = SqliteItemStore.open(dir.resolve("store.db"), clock);
        policies = new RolePolicies(store, clock);
        policies.put(ROLE, ALLOW_API);
        sealer = SessionTokenSealer.create(
                SessionTokenKeySource.fixed(SessionTokenKeys.of("k1", Map.of("k1", new byte[32]))));
        callers = new IdentityPoolCallers(
                        new SessionTokenCredentialResolver(sealer),
                        policies,
                        refreshes::add,
                        clock,
                        Duration.ofSeconds(30))
                .warm(ROLE);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void resolveWhenSealedCredentialsThenIdentityAndRolePolicy() {
        TemporaryCredentials credentials = issue();

        IamPrincipal caller = callers.resolve(credentials.accessKeyId(), credentials.sessionToken())
                .orElseThrow()
                .principal();

        assertThat(caller.cognitoIdentity().orElseThrow().identityId()).isEqualTo("us-east-1:1111");
        assertThat(caller.cognitoIdentity().orElseThrow().identityPoolId()).isEqualTo("us-east-1:pool");
        assertThat(caller.userArn())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/gatehouse-auth/" + "CognitoIdentityCredentials");
        assertThat(caller.policies()).hasSize(1);
    }

    @Test
    void resolveWhenFunctionRoleCredentialsThenTheRoleSessionWithoutIdentityAndWithTheRolePolicy() {
        TemporaryCredentials credentials = new RoleCredentials(sealer, "123456789012", clock)
                .mint(dev.gatehouse.functions.FunctionSpec.builder("app-Writer-ABC", "java17", "example.Files", dir)
                        .roleArn(ROLE)
                        .build())
                .orElseThrow();

        IamPrincipal caller = callers.resolve(credentials.accessKeyId(), credentials.sessionToken())
                .orElseThrow()
                .principal();

        assertThat(caller.cognitoIdentity()).isEmpty();
        assertThat(caller.userArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/gatehouse-auth/app-Writer-ABC");
        assertThat(caller.userId()).endsWith(":app-Writer-ABC");
        assertThat(caller.callerKeys())
                .doesNotContainKeys(
                        "cognito-identity.amazonaws.com:sub",
                        "cognito-identity.amazonaws.com:aud",
                        "cognito-identity.amazonaws.com:amr");
        assertThat(caller.policies()).hasSize(1);
    }

    @Test
    void resolveWhenTokenOfAnotherKeyThenEmpty() {
        TemporaryCredentials mine = issue();
        TemporaryCredentials other = issue();

        assertThat(callers.resolve(mine.accessKeyId(), other.sessionToken())).isEmpty();
        assertThat(callers.resolve(mine.accessKeyId(), null)).isEmpty();
    }

    @Test
    void resolveWhenPolicyStaleThenServedAndReReadOffTheCallingThread() {
        TemporaryCredentials credentials = issue();
        policies.put(ROLE, ALLOW_NOTHING);
        clock.advance(Duration.ofSeconds(31));

        List<?> stale = callers.resolve(credentials.accessKeyId(), credentials.sessionToken())
                .orElseThrow()
                .principal()
                .policies();
        assertThat(refreshes).hasSize(1);
        callers.resolve(credentials.accessKeyId(), credentials.sessionToken());
        assertThat(refreshes).as("one re-read at a time").hasSize(1);
        refreshes.remove().run();
        List<?> fresh = callers.resolve(credentials.accessKeyId(), credentials.sessionToken())
                .orElseThrow()
                .principal()
                .policies();

        // RolePolicies hands out the policy object it parsed at put: the new one is the one now stored.
        Object current = policies.find(ROLE).orElseThrow();
        assertThat(stale).hasSize(1).first().isNotSameAs(current);
        assertThat(fresh).hasSize(1).first().isSameAs(current);
        assertThat(refreshes).isEmpty();
    }

    @Test
    void resolveWhenRoleHasNoPolicyThenNone() {
        policies.remove(ROLE);
        IdentityPoolCallers cold = new IdentityPoolCallers(
                new SessionTokenCredentialResolver(sealer), policies, refreshes::add, clock, Duration.ofSeconds(30));
        TemporaryCredentials credentials = issue();

        assertThat(cold.resolve(credentials.accessKeyId(), credentials.sessionToken())
                        .orElseThrow()
                        .principal()
                        .policies())
                .isEmpty();
    }

    private TemporaryCredentials issue() {
        return sealer.issue(
                "us-east-1:1111",
                "us-east-1:pool",
                ROLE,
                "123456789012",
                List.of("authenticated"),
                start.plus(Duration.ofHours(1)));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
