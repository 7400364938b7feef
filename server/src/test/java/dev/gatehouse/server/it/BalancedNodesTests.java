package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.store.testing.Loopback;
import dev.gatehouse.userpool.SrpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.ChallengeNameType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.CognitoIdentityProviderResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.NotAuthorizedException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PreventUserExistenceErrorTypes;
import software.amazon.awssdk.services.cognitoidentityprovider.model.RespondToAuthChallengeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Three server processes on one shared store (the subclass starts it: PostgreSQL, or moto's DynamoDB API) behind
 * HAProxy (round-robin per request, health checks on {@code /_gatehouse/health}): every node serves everything,
 * whichever node a request lands on. Requests through the balancer go to node 1, 2, 3, 1, … so consecutive steps of
 * one journey land on different nodes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class BalancedNodesTests {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INCORRECT = "Incorrect username or password.";
    private static final String EXCEEDED = "Password attempts exceeded";

    private final List<GatehouseProcess> nodes = new ArrayList<>();
    private HaProxy balancer;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final Map<URI, CognitoIdentityProviderClient> cognitoClients = new ConcurrentHashMap<>();

    /** Starts the shared store; called once, before any node. */
    abstract void startStore();

    /** Node {@code i} (1..3), not yet started, on the shared store with {@code --issuer-style aws}. */
    abstract GatehouseProcess node(int i);

    /** Stops the shared store; called once, after every node has stopped. */
    abstract void stopStore();

    @BeforeAll
    void startStoreNodesAndBalancer() throws Exception {
        startStore();
        for (int i = 1; i <= 3; i++) {
            GatehouseProcess node = node(i);
            nodes.add(node);
            node.start();
        }
        balancer = HaProxy.start(
                nodes.stream().map(GatehouseProcess::endpoint).toList(),
                nodes.stream()
                        .map(node -> URI.create(node.output("ApiEndpoint")))
                        .toList(),
                nodes.get(0).dataDir().getParent().resolve("haproxy"));
        awaitNodesUp(Set.of("node1", "node2", "node3"));
    }

    @AfterAll
    void stopAll() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (balancer != null) {
            balancer.close();
        }
        nodes.forEach(GatehouseProcess::close);
        stopStore();
    }

    @Test
    @Order(1)
    void nodesWhenSharingOneDatabaseThenOneStackAndTheBalancerRoundRobinsEveryRequest() throws Exception {
        for (GatehouseProcess node : nodes) {
            assertThat(node.outputs().userPoolId())
                    .isEqualTo(nodes.get(0).outputs().userPoolId());
            assertThat(node.adminCredentials()).isEqualTo(nodes.get(0).adminCredentials());
            assertThat(health(node.endpoint()).statusCode()).isEqualTo(200);
        }
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            served.add(health(balancer.endpoint())
                    .headers()
                    .firstValue(HaProxy.NODE_HEADER)
                    .orElse("?"));
        }
        assertThat(new HashSet<>(served)).containsExactlyInAnyOrder("node1", "node2", "node3");
    }

    @Test
    @Order(2)
    void signUpEmailedCodeAndSignInThroughBalancerThenEveryNodeAcceptsTheTokens() {
        CognitoIdentityProviderClient cognito = cognito(AnonymousCredentialsProvider.create());
        String clientId = nodes.get(0).outputs().userPoolClientId();
        String email = TestUsers.email("pg-nodes");
        cognito.signUp(r -> r.clientId(clientId)
                .username(email)
                .password(TestUsers.PASSWORD)
                .userAttributes(
                        AttributeType.builder().name("email").value(email).build()));
        // Each node writes the mail it sends to its own outbox: the code is in the outbox of the node that took SignUp.
        String code = codeFromAnyOutbox(email);
        cognito.confirmSignUp(r -> r.clientId(clientId).username(email).confirmationCode(code));

        AuthenticationResultType tokens =
                passwordAuth(cognito, email, TestUsers.PASSWORD).authenticationResult();
        for (int i = 0; i < 3; i++) {
            assertThat(cognito.getUser(r -> r.accessToken(tokens.accessToken())).username())
                    .isNotBlank();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(cognito.initiateAuth(r -> r.clientId(clientId)
                                    .authFlow(AuthFlowType.REFRESH_TOKEN_AUTH)
                                    .authParameters(Map.of("REFRESH_TOKEN", tokens.refreshToken())))
                            .authenticationResult()
                            .idToken())
                    .isNotBlank();
        }
    }

    @Test
    @Order(3)
    void signInFailuresWhenSpreadOverNodesThenCountTowardsOneLockout() {
        CognitoIdentityProviderClient cognito = cognito(AnonymousCredentialsProvider.create());
        String email = TestUsers.email("pg-lockout");
        signUpAdminConfirmed(email);
        // Cognito's lockout message shows only to a client that does not hide user existence (a hiding client answers
        // a lockout as it answers an unknown user).
        String legacy = new Journeys(nodes.get(0)).passwordClient(PreventUserExistenceErrorTypes.LEGACY);
        for (int i = 1; i <= 5; i++) {
            assertAwsError(
                    () -> passwordAuth(cognito, legacy, email, TestUsers.OTHER_PASSWORD),
                    "NotAuthorizedException",
                    INCORRECT);
        }
        // Five failures over three nodes: if each node counted its own, none would have reached five.
        List<String> messages = new ArrayList<>();
        while (!messages.contains(EXCEEDED) && messages.size() < 10) {
            messages.add(assertAwsError(
                            () -> passwordAuth(cognito, legacy, email, TestUsers.OTHER_PASSWORD),
                            "NotAuthorizedException")
                    .awsErrorDetails()
                    .errorMessage());
        }
        assertThat(messages).contains(EXCEEDED);
    }

    @Test
    @Order(4)
    void attachmentsWhenWrittenThroughOneNodeThenEveryNodeReadsRangesListsAndDeletesThem() {
        Journeys.IdentityCredentials user = identityCredentials(TestUsers.email("pg-files"));
        String identityId = user.identityId();
        AwsCredentials session = user.credentials();
        String bucket = nodes.get(0).output("AttachmentsBucket");
        String key = "private/" + identityId + "/report.bin";
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);

        s3(nodes.get(0).endpoint(), session).putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(content));

        assertThat(s3(nodes.get(1).endpoint(), session)
                        .getObjectAsBytes(r -> r.bucket(bucket).key(key))
                        .asByteArray())
                .isEqualTo(content);
        assertThat(s3(nodes.get(2).endpoint(), session)
                        .getObjectAsBytes(r -> r.bucket(bucket).key(key).range("bytes=100000-100009"))
                        .asByteArray())
                .isEqualTo(java.util.Arrays.copyOfRange(content, 100_000, 100_010));
        assertThat(s3(balancer.endpoint(), session)
                        .listObjectsV2(r -> r.bucket(bucket).prefix("private/" + identityId + "/"))
                        .contents())
                .extracting(o -> o.key())
                .containsExactly(key);

        s3(nodes.get(2).endpoint(), session).deleteObject(r -> r.bucket(bucket).key(key));
        assertThatThrownBy(() -> s3(nodes.get(0).endpoint(), session)
                        .getObjectAsBytes(r -> r.bucket(bucket).key(key)))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    @Order(5)
    void multipartWhenPartsLandOnDifferentNodesThenTheObjectIsWhole() {
        AwsCredentials admin = adminCredentials();
        S3Client s3 = s3(balancer.endpoint(), admin);
        String bucket = nodes.get(0).output("AttachmentsBucket");
        String key = "shared/multipart.bin";
        byte[] one = new byte[5 * 1024 * 1024];
        byte[] two = new byte[1234];
        new Random(1).nextBytes(one);
        new Random(2).nextBytes(two);
        String uploadId =
                s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
        String etag1 = s3.uploadPart(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(one))
                .eTag();
        String etag2 = s3.uploadPart(
                        r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(2), RequestBody.fromBytes(two))
                .eTag();
        s3.completeMultipartUpload(r -> r.bucket(bucket)
                .key(key)
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(
                        CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                        CompletedPart.builder().partNumber(2).eTag(etag2).build())));

        for (GatehouseProcess node : nodes) {
            byte[] read = s3(node.endpoint(), admin)
                    .getObjectAsBytes(r -> r.bucket(bucket).key(key))
                    .asByteArray();
            assertThat(read).hasSize(one.length + two.length);
            assertThat(java.util.Arrays.copyOfRange(read, one.length, read.length))
                    .isEqualTo(two);
        }
    }

    @Test
    @Order(6)
    void srpSignInWhenItsTwoStepsLandOnDifferentNodesThenTokensEveryNodeAccepts() {
        String email = TestUsers.email("pg-srp");
        signUpAdminConfirmed(email);
        // Directly: the challenge from one node, the answer to the next.
        for (int i = 0; i < nodes.size(); i++) {
            GatehouseProcess first = nodes.get(i);
            GatehouseProcess second = nodes.get((i + 1) % nodes.size());
            AuthenticationResultType tokens =
                    srpSignIn(cognitoAt(first.endpoint()), cognitoAt(second.endpoint()), email);
            for (GatehouseProcess node : nodes) {
                assertThat(cognitoAt(node.endpoint())
                                .getUser(r -> r.accessToken(tokens.accessToken()))
                                .username())
                        .isNotBlank();
            }
        }
        // Through the balancer (round-robin): each step's serving node is in the response; they always differ.
        CognitoIdentityProviderClient balanced = cognito(AnonymousCredentialsProvider.create());
        for (int i = 0; i < 3; i++) {
            SrpTestClient srp = SrpTestClient.random(new SecureRandom());
            InitiateAuthResponse challenge = srpChallenge(balanced, email, srp);
            RespondToAuthChallengeResponse answer = srpAnswer(balanced, challenge, srp);
            assertThat(answer.authenticationResult().accessToken()).isNotBlank();
            assertThat(servedBy(answer)).isNotEqualTo(servedBy(challenge));
        }
    }

    @Test
    @Order(7)
    void signedApiCallsWhenSentThroughTheBalancerThenEveryNodeVerifiesThem() {
        Journeys.IdentityCredentials user = identityCredentials(TestUsers.email("pg-api"));
        AwsSessionCredentialsIdentity identity = AwsSessionCredentialsIdentity.create(
                user.credentials().accessKeyId(),
                user.credentials().secretAccessKey(),
                user.credentials().sessionToken());
        URI notes = api("/notes");
        HttpResponse<String> created =
                ApiCalls.send(RawAws.executeApi(notes, "POST", "{\"content\":\"written on one node\"}", identity));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String noteId = created.body().replaceAll(".*\"noteId\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        Set<String> served = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> read =
                    ApiCalls.send(RawAws.executeApi(api("/notes/" + noteId), "GET", null, identity));
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("written on one node");
            served.add(read.headers().firstValue(HaProxy.NODE_HEADER).orElse("?"));
        }
        assertThat(served).containsExactlyInAnyOrder("node1", "node2", "node3");

        // A signature of another request is refused by every node, and a forged one too.
        AwsSessionCredentialsIdentity forged = AwsSessionCredentialsIdentity.create(
                user.credentials().accessKeyId(),
                "not-the-secret",
                user.credentials().sessionToken());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = ApiCalls.send(RawAws.executeApi(notes, "GET", null, forged));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        }
    }

    @Test
    @Order(8)
    void codeBudgetsWhenAttemptsSpreadOverNodesThenTheLimitIsOneNodesLimit() {
        String email = TestUsers.email("pg-budget");
        signUpAdminConfirmed(email);
        // A reset code needs a verified address (ConfirmSignUp would verify it; AdminConfirmSignUp does not).
        cognito(StaticCredentialsProvider.create(adminCredentials())).adminUpdateUserAttributes(r -> r.userPoolId(
                        nodes.get(0).outputs().userPoolId())
                .username(email)
                .userAttributes(AttributeType.builder()
                        .name("email_verified")
                        .value("true")
                        .build()));
        CognitoIdentityProviderClient cognito = cognito(AnonymousCredentialsProvider.create());
        String clientId = nodes.get(0).outputs().userPoolClientId();

        int rounds = CodeBudgets.roundsUntilLimit(
                () -> cognito.forgotPassword(r -> r.clientId(clientId).username(email)),
                () -> cognito.confirmForgotPassword(r -> r.clientId(clientId)
                        .username(email)
                        .confirmationCode("000000")
                        .password(TestUsers.OTHER_PASSWORD)));

        // GuessingLimitsIT's figure on one node: one ask and one guess per round, 10 attempts in the hour. Round-robin
        // spread them over three nodes; per-node counting would have let 25 rounds through.
        assertThat(rounds).isEqualTo(5);
        for (GatehouseProcess node : nodes) {
            assertAwsError(
                    () -> cognitoAt(node.endpoint())
                            .forgotPassword(r -> r.clientId(clientId).username(email)),
                    CodeBudgets.LIMIT);
        }
    }

    @Test
    @Order(9)
    void keyRotationWhenDoneOnOneNodeThenEveryNodeVerifiesAndPublishesTheNewKeys() throws Exception {
        String email = TestUsers.email("pg-rotate");
        signUpAdminConfirmed(email);
        String poolId = nodes.get(0).outputs().userPoolId();
        AuthenticationResultType before = passwordAuth(cognitoAt(nodes.get(1).endpoint()), email, TestUsers.PASSWORD)
                .authenticationResult();
        List<String> kidsBefore = jwksKids(nodes.get(0).endpoint(), poolId);
        // Every node's JWT route knows the old keys (its authorizer has read the pool's key set).
        for (GatehouseProcess node : nodes) {
            assertThat(jwtRoute(node, before.idToken()).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> unsigned = RawAws.post(
                nodes.get(0).endpoint(),
                Map.of("X-Amz-Target", "GatehouseAdmin.RotateSigningKeys", "Content-Type", RawAws.CONTENT_TYPE),
                "{\"UserPoolId\":\"" + poolId + "\"}");
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(unsigned.body()).contains("MissingAuthenticationTokenException");
        HttpResponse<String> unknown = rotateSigningKeys(nodes.get(0).endpoint(), "us-east-1_Unknown0");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("ResourceNotFoundException");
        HttpResponse<String> rotated = rotateSigningKeys(nodes.get(0).endpoint(), poolId);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        List<String> kidsAfter = new ArrayList<>();
        JSON.readTree(rotated.body()).path("KeyIds").forEach(kid -> kidsAfter.add(kid.asText()));
        List<String> added =
                kidsAfter.stream().filter(k -> !kidsBefore.contains(k)).toList();
        assertThat(added).hasSize(2);
        assertThat(kidsAfter).containsAll(kidsBefore);

        // The rotating node signs with the new keys at once; every other node verifies those tokens at once.
        AuthenticationResultType after = passwordAuth(cognitoAt(nodes.get(0).endpoint()), email, TestUsers.PASSWORD)
                .authenticationResult();
        assertThat(List.of(kid(after.accessToken()), kid(after.idToken()))).containsExactlyInAnyOrderElementsOf(added);
        for (GatehouseProcess node : nodes) {
            CognitoIdentityProviderClient cognito = cognitoAt(node.endpoint());
            assertThat(cognito.getUser(r -> r.accessToken(after.accessToken())).username())
                    .isNotBlank();
            assertThat(cognito.getUser(r -> r.accessToken(before.accessToken())).username())
                    .isNotBlank();
        }
        // Every node's JWT route accepts the new key's tokens at once: an unknown kid makes the node re-read the
        // pool's keys from the store (the first such request may still be refused while that read runs).
        for (GatehouseProcess node : nodes) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (jwtRoute(node, after.idToken()).statusCode() != 200) {
                assertThat(System.nanoTime())
                        .as("%s's JWT route accepts the new key", node.endpoint())
                        .isLessThan(until);
                Loopback.pause(50);
            }
            assertThat(jwtRoute(node, before.idToken()).statusCode()).isEqualTo(200);
        }
        // Every node's JWKS lists the new keys within its key cache's lifetime (10 s; docs/deploy.md).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (GatehouseProcess node : nodes) {
            while (!jwksKids(node.endpoint(), poolId).containsAll(added)) {
                assertThat(System.nanoTime())
                        .as("%s lists the new keys in time", node.endpoint())
                        .isLessThan(deadline);
                Loopback.pause(250);
            }
        }
        // Every node comes to sign with them: sign-ins through the balancer all carry a new kid.
        while (true) {
            List<String> kids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                kids.add(kid(passwordAuth(cognito(AnonymousCredentialsProvider.create()), email, TestUsers.PASSWORD)
                        .authenticationResult()
                        .accessToken()));
            }
            if (added.containsAll(kids)) {
                break;
            }
            assertThat(System.nanoTime())
                    .as("every node signs with the new key in time")
                    .isLessThan(deadline);
            Loopback.pause(250);
        }
    }

    @Test
    @Order(10)
    void signOutAndDisableWhenOnOneNodeThenEveryNodeRefusesTheTokenWithinOneSecond() {
        String email = TestUsers.email("pg-revoke");
        signUpAdminConfirmed(email);
        String signedOut = accessTokenReadOnEveryNode(email);
        cognitoAt(nodes.get(0).endpoint()).globalSignOut(r -> r.accessToken(signedOut));
        assertEveryNodeRefusesWithinOneSecond(signedOut);

        String disabled = accessTokenReadOnEveryNode(email);
        cognito(StaticCredentialsProvider.create(adminCredentials()))
                .adminDisableUser(
                        r -> r.userPoolId(nodes.get(0).outputs().userPoolId()).username(email));
        assertEveryNodeRefusesWithinOneSecond(disabled);
    }

    /** A fresh sign-in's access token, read by GetUser twice on every node (so each node holds it in its memos). */
    private String accessTokenReadOnEveryNode(String email) {
        String token = passwordAuth(cognitoAt(nodes.get(0).endpoint()), email, TestUsers.PASSWORD)
                .authenticationResult()
                .accessToken();
        for (GatehouseProcess node : nodes) {
            for (int i = 0; i < 2; i++) {
                assertThat(cognitoAt(node.endpoint())
                                .getUser(r -> r.accessToken(token))
                                .username())
                        .isNotBlank();
            }
        }
        return token;
    }

    /** Each node answers GetUser with NotAuthorizedException within one second of the change (docs/caches.md). */
    private void assertEveryNodeRefusesWithinOneSecond(String token) {
        long changed = System.nanoTime();
        for (GatehouseProcess node : nodes) {
            boolean refused = false;
            while (!refused && System.nanoTime() - changed < TimeUnit.SECONDS.toNanos(1)) {
                try {
                    cognitoAt(node.endpoint()).getUser(r -> r.accessToken(token));
                    Loopback.pause(20);
                } catch (NotAuthorizedException e) {
                    refused = true;
                }
            }
            assertThat(refused).as("%s refused within 1 s", node.endpoint()).isTrue();
        }
    }

    @Test
    @Order(20)
    void killWhenOneNodeDiesUnderWriteLoadThenOthersServeAndEveryAcknowledgedWriteRemains() throws Exception {
        CognitoIdentityProviderClient admin = cognito(StaticCredentialsProvider.create(adminCredentials()));
        String poolId = nodes.get(0).outputs().userPoolId();
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger sequence = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        AtomicInteger refused = new AtomicInteger();
        for (int w = 0; w < 3; w++) {
            running.add(writers.submit(() -> {
                // Bounded: a writer that keeps failing (a broken cluster, a bad request) ends with the test, not the
                // machine.
                while (afterKill.get() < 30 && System.nanoTime() < deadline && refused.get() < 100) {
                    String username = TestUsers.email("load" + sequence.incrementAndGet());
                    try {
                        admin.adminCreateUser(r -> r.userPoolId(poolId)
                                .username(username)
                                .userAttributes(AttributeType.builder()
                                        .name("email")
                                        .value(username)
                                        .build())
                                .temporaryPassword(TestUsers.PASSWORD)
                                .messageAction("SUPPRESS"));
                        acknowledged.add(username);
                        if (killed.get()) {
                            afterKill.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        // Not acknowledged (in flight on the killed node): no promise made, nothing to check.
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        while (acknowledged.size() < 20 && refused.get() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(acknowledged)
                .as("writes acknowledged before the kill (%d refused)", refused.get())
                .hasSizeGreaterThan(19);
        nodes.get(2).kill();
        killed.set(true);
        for (Future<?> writer : running) {
            writer.get(120, TimeUnit.SECONDS);
        }
        writers.shutdown();

        assertThat(afterKill.get())
                .as("writes acknowledged after the kill (%d refused)", refused.get())
                .isGreaterThanOrEqualTo(30);
        for (String username : List.copyOf(acknowledged)) {
            // Email-as-username pool: the email finds the user, whose Username is its sub.
            assertThat(admin.adminGetUser(r -> r.userPoolId(poolId).username(username))
                            .userAttributes())
                    .contains(AttributeType.builder()
                            .name("email")
                            .value(username)
                            .build());
        }
    }

    /** A new user signed up and signed in through the balancer, and its identity-pool credentials from there. */
    private Journeys.IdentityCredentials identityCredentials(String email) {
        signUpAdminConfirmed(email);
        AuthenticationResultType tokens = passwordAuth(
                        cognito(AnonymousCredentialsProvider.create()), email, TestUsers.PASSWORD)
                .authenticationResult();
        CognitoIdentityClient identity = track(CognitoIdentityClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(balancer.endpoint())
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
        Map<String, String> logins = Map.of(
                "cognito-idp.us-east-1.amazonaws.com/" + nodes.get(0).outputs().userPoolId(), tokens.idToken());
        String identityId = identity.getId(r ->
                        r.identityPoolId(nodes.get(0).output("IdentityPoolId")).logins(logins))
                .identityId();
        Credentials issued = identity.getCredentialsForIdentity(
                        r -> r.identityId(identityId).logins(logins))
                .credentials();
        return new Journeys.IdentityCredentials(
                identityId,
                AwsSessionCredentials.create(issued.accessKeyId(), issued.secretKey(), issued.sessionToken()));
    }

    private AuthenticationResultType srpSignIn(
            CognitoIdentityProviderClient first, CognitoIdentityProviderClient second, String email) {
        SrpTestClient srp = SrpTestClient.random(new SecureRandom());
        return srpAnswer(second, srpChallenge(first, email, srp), srp).authenticationResult();
    }

    private InitiateAuthResponse srpChallenge(CognitoIdentityProviderClient cognito, String email, SrpTestClient srp) {
        InitiateAuthResponse challenge =
                cognito.initiateAuth(r -> r.clientId(nodes.get(0).outputs().userPoolClientId())
                        .authFlow(AuthFlowType.USER_SRP_AUTH)
                        .authParameters(Map.of("USERNAME", email, "SRP_A", srp.srpA())));
        assertThat(challenge.challengeName()).isEqualTo(ChallengeNameType.PASSWORD_VERIFIER);
        return challenge;
    }

    private RespondToAuthChallengeResponse srpAnswer(
            CognitoIdentityProviderClient cognito, InitiateAuthResponse challenge, SrpTestClient srp) {
        return cognito.respondToAuthChallenge(
                r -> r.clientId(nodes.get(0).outputs().userPoolClientId())
                        .challengeName(ChallengeNameType.PASSWORD_VERIFIER)
                        .session(challenge.session())
                        .challengeResponses(SrpAnswers.passwordVerifier(
                                srp,
                                nodes.get(0).outputs().userPoolId(),
                                TestUsers.PASSWORD,
                                challenge.challengeParameters())));
    }

    private static String servedBy(CognitoIdentityProviderResponse response) {
        return response.sdkHttpResponse()
                .firstMatchingHeader(HaProxy.NODE_HEADER)
                .orElse("?");
    }

    /** The balancer's API frontend with the stage path of the nodes' API endpoint, then {@code path}. */
    private URI api(String path) {
        URI node = URI.create(nodes.get(0).output("ApiEndpoint"));
        String stage = node.getPath() == null ? "" : node.getPath().replaceAll("/$", "");
        return URI.create(balancer.apiEndpoint() + stage + path);
    }

    /** The recipe's JWT route ({@code GET /api/helloWorldSecured}) on {@code node} itself, with {@code idToken}. */
    private static HttpResponse<String> jwtRoute(GatehouseProcess node, String idToken) throws Exception {
        URI uri = URI.create(node.output("ApiEndpoint").replaceAll("/$", "") + "/api/helloWorldSecured");
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .header("Authorization", idToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GatehouseAdmin.RotateSigningKeys} for the pool, signed with the stack's admin key. */
    private HttpResponse<String> rotateSigningKeys(URI endpoint, String poolId) {
        String body = "{\"UserPoolId\":\"" + poolId + "\"}";
        return RawAws.postSigned(
                endpoint,
                "GatehouseAdmin.RotateSigningKeys",
                body,
                body,
                nodes.get(0).adminCredentials(),
                "us-east-1",
                "gatehouse",
                java.time.Clock.systemUTC());
    }

    private static List<String> jwksKids(URI endpoint, String poolId) throws Exception {
        HttpResponse<String> jwks = HTTP.send(
                HttpRequest.newBuilder(endpoint.resolve("/" + poolId + "/.well-known/jwks.json"))
                        .GET()
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(jwks.statusCode()).isEqualTo(200);
        return JSON.readTree(jwks.body()).findValuesAsText("kid");
    }

    private static String kid(String jwt) throws java.text.ParseException {
        return SignedJWT.parse(jwt).getHeader().getKeyID();
    }

    private CognitoIdentityProviderClient cognitoAt(URI endpoint) {
        return cognitoClients.computeIfAbsent(
                endpoint,
                e -> track(CognitoIdentityProviderClient.builder()
                        .region(Region.US_EAST_1)
                        .endpointOverride(e)
                        .credentialsProvider(AnonymousCredentialsProvider.create())
                        .httpClient(UrlConnectionHttpClient.builder()
                                .socketTimeout(Duration.ofSeconds(30))
                                .build())
                        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build()));
    }

    private void signUpAdminConfirmed(String email) {
        CognitoIdentityProviderClient cognito = cognito(AnonymousCredentialsProvider.create());
        cognito.signUp(r -> r.clientId(nodes.get(0).outputs().userPoolClientId())
                .username(email)
                .password(TestUsers.PASSWORD)
                .userAttributes(
                        AttributeType.builder().name("email").value(email).build()));
        cognito(StaticCredentialsProvider.create(adminCredentials()))
                .adminConfirmSignUp(
                        r -> r.userPoolId(nodes.get(0).outputs().userPoolId()).username(email));
    }

    /** USER_PASSWORD_AUTH with the stack's client, through whatever endpoint {@code cognito} has. */
    private InitiateAuthResponse passwordAuth(CognitoIdentityProviderClient cognito, String email, String password) {
        return passwordAuth(cognito, nodes.get(0).outputs().userPoolClientId(), email, password);
    }

    private static InitiateAuthResponse passwordAuth(
            CognitoIdentityProviderClient cognito, String clientId, String email, String password) {
        return cognito.initiateAuth(r -> r.clientId(clientId)
                .authFlow(AuthFlowType.USER_PASSWORD_AUTH)
                .authParameters(Map.of("USERNAME", email, "PASSWORD", password)));
    }

    private String codeFromAnyOutbox(String email) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            for (GatehouseProcess node : nodes) {
                if (node.outbox().count(email) > 0) {
                    return node.outbox().latestCode(email);
                }
            }
            Loopback.pause(100);
        }
        throw new AssertionError("no node's outbox has a message for " + email);
    }

    private AwsCredentials adminCredentials() {
        AdminCredentials admin = nodes.get(0).adminCredentials();
        return AwsBasicCredentials.create(admin.accessKeyId(), admin.secretAccessKey());
    }

    private CognitoIdentityProviderClient cognito(AwsCredentialsProvider credentials) {
        return track(CognitoIdentityProviderClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(balancer.endpoint())
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    private S3Client s3(URI endpoint, AwsCredentials credentials) {
        return track(S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.builder()
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
    }

    private <T extends AutoCloseable> T track(T client) {
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    private static HttpResponse<String> health(URI endpoint) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(endpoint.resolve("/_gatehouse/health"))
                        .GET()
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitNodesUp(Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the balancer saw only " + seen + " up");
            }
            HttpResponse<String> response = health(balancer.endpoint());
            if (response.statusCode() == 200) {
                response.headers().firstValue(HaProxy.NODE_HEADER).ifPresent(seen::add);
            } else {
                Loopback.pause(100);
            }
        }
    }
}
