package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.MessageActionType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserStatusType;

/** Durability: what a graceful restart or a killed process must keep. Each test runs its own server. */
class RestartIT {

    @Test
    void restartWhenSameDataDirThenIdsKeysAndUsersSurvive() throws Exception {
        try (GatehouseProcess gatehouse = GatehouseProcess.create("restart")) {
            gatehouse.start();
            StackOutputs before = gatehouse.outputs();
            AdminCredentials credentialsBefore = gatehouse.adminCredentials();
            Journeys journeys = new Journeys(gatehouse);
            String email = TestUsers.email("durable");
            journeys.signUpConfirmed(email, TestUsers.PASSWORD);
            String unconfirmed = TestUsers.email("pending");
            journeys.signUp(unconfirmed, TestUsers.PASSWORD);
            AuthenticationResultType tokens = journeys.signIn(email, TestUsers.PASSWORD);
            Set<String> kidsBefore =
                    kids(CognitoTokens.discover(before.issuer()).jwks());

            gatehouse.restart(); // SIGTERM, then the same data dir and port (the issuer names the port)

            StackOutputs after = gatehouse.outputs();
            assertThat(after.userPoolId()).isEqualTo(before.userPoolId());
            assertThat(after.userPoolClientId()).isEqualTo(before.userPoolClientId());
            assertThat(after.region()).isEqualTo(before.region());
            assertThat(after.issuer()).isEqualTo(before.issuer());
            assertThat(gatehouse.adminCredentials()).isEqualTo(credentialsBefore);
            CognitoTokens verifier = CognitoTokens.discover(after.issuer());
            assertThat(kids(verifier.jwks())).containsAll(kidsBefore);
            // the user signs in after the restart, and tokens from before it still work
            AuthenticationResultType fresh = journeys.signIn(email, TestUsers.PASSWORD);
            verifier.verifyIdToken(fresh.idToken(), after.userPoolClientId());
            assertThat(gatehouse
                            .client()
                            .getUser(r -> r.accessToken(tokens.accessToken()))
                            .username())
                    .isNotBlank();
            assertThat(journeys.refresh(tokens.refreshToken()).accessToken()).isNotBlank();
            assertThat(gatehouse
                            .adminClient()
                            .adminGetUser(r -> r.userPoolId(after.userPoolId()).username(unconfirmed))
                            .userStatus())
                    .isEqualTo(UserStatusType.UNCONFIRMED);
            // the old key still signs: a client configured before the restart keeps working
            try (CognitoIdentityProviderClient admin = CognitoIdentityProviderClient.builder()
                    .region(Region.of(after.region()))
                    .endpointOverride(after.awsEndpoint())
                    .httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            credentialsBefore.accessKeyId(), credentialsBefore.secretAccessKey())))
                    .build()) {
                assertThat(admin.adminGetUser(
                                        r -> r.userPoolId(after.userPoolId()).username(email))
                                .userStatus())
                        .isEqualTo(UserStatusType.CONFIRMED);
            }
        }
    }

    @Test
    void killWhenWritesInFlightThenEveryAcknowledgedUserSurvivesARestart() throws Exception {
        try (GatehouseProcess gatehouse = GatehouseProcess.create("kill")) {
            gatehouse.start();
            String poolId = gatehouse.outputs().userPoolId();
            ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger unexpected = new AtomicInteger();
            int threads = 4;
            int maxPerThread = 200;
            CountDownLatch done = new CountDownLatch(threads);
            CognitoIdentityProviderClient admin = gatehouse.adminClient();
            String run = TestUsers.suffix();
            // warm the client up (SDK class loading, first connection) so the load starts at once
            String first = "kill-" + run + "-first@example.com";
            admin.adminCreateUser(r -> r.userPoolId(poolId)
                    .username(first)
                    .temporaryPassword(TestUsers.PASSWORD)
                    .messageAction(MessageActionType.SUPPRESS));
            acknowledged.add(first);
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(
                        () -> {
                            try {
                                for (int i = 0; i < maxPerThread && !stop.get(); i++) {
                                    String email = "kill-" + run + "-" + thread + "-" + i + "@example.com";
                                    try {
                                        admin.adminCreateUser(r -> r.userPoolId(poolId)
                                                .username(email)
                                                .temporaryPassword(TestUsers.PASSWORD)
                                                .messageAction(MessageActionType.SUPPRESS));
                                        acknowledged.add(email);
                                    } catch (AwsServiceException e) {
                                        if (!"TooManyRequestsException"
                                                .equals(e.awsErrorDetails().errorCode())) {
                                            unexpected.incrementAndGet(); // an error answer: not acknowledged, and not
                                            // expected either
                                            errors.add(e.awsErrorDetails().errorCode() + ": "
                                                    + e.awsErrorDetails().errorMessage());
                                        }
                                    } catch (RuntimeException e) {
                                        // the connection broke when the server was killed: not acknowledged
                                    }
                                }
                            } finally {
                                done.countDown();
                            }
                        },
                        "kill-writer-" + t);
                workers.add(worker);
                worker.start();
            }

            // let the writers run (at least ~2 s and a few acknowledged users), then kill mid-load
            long start = System.nanoTime();
            while ((System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2) || acknowledged.size() < 8)
                    && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)
                    && done.getCount() > 0) {
                Thread.sleep(20);
            }
            int beforeKill = acknowledged.size();
            gatehouse.kill();
            stop.set(true);
            assertThat(done.await(60, TimeUnit.SECONDS)).as("writers finished").isTrue();
            for (Thread worker : workers) {
                worker.join(1_000);
            }
            assertThat(unexpected.get())
                    .as("error answers during the load: %s", errors)
                    .isZero();
            assertThat(beforeKill).as("users acknowledged before the kill").isGreaterThan(1);

            gatehouse.start();

            CognitoIdentityProviderClient restarted = gatehouse.adminClient();
            List<String> missing = new ArrayList<>();
            for (String email : List.copyOf(acknowledged)) {
                try {
                    restarted.adminGetUser(r -> r.userPoolId(poolId).username(email));
                } catch (AwsServiceException e) {
                    missing.add(email + " (" + e.awsErrorDetails().errorCode() + ")");
                }
            }
            assertThat(missing)
                    .as("acknowledged users missing after kill and restart, of %d", acknowledged.size())
                    .isEmpty();
            // and the store still takes writes
            String after = TestUsers.email("after-kill");
            restarted.adminCreateUser(r -> r.userPoolId(poolId)
                    .username(after)
                    .temporaryPassword(TestUsers.PASSWORD)
                    .messageAction(MessageActionType.SUPPRESS));
            assertAwsError(
                    () -> restarted.adminCreateUser(r -> r.userPoolId(poolId)
                            .username(after)
                            .temporaryPassword(TestUsers.PASSWORD)
                            .messageAction(MessageActionType.SUPPRESS)),
                    "UsernameExistsException");
        }
    }

    private static Set<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }
}
