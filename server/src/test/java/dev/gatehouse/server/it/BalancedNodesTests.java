package dev.gatehouse.server.it;

import static dev.gatehouse.server.it.AwsErrors.assertAwsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.store.testing.Loopback;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentity.CognitoIdentityClient;
import software.amazon.awssdk.services.cognitoidentity.model.Credentials;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthFlowType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.AuthenticationResultType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.InitiateAuthResponse;
import software.amazon.awssdk.services.cognitoidentityprovider.model.PreventUserExistenceErrorTypes;
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
    private static final String INCORRECT = "Incorrect username or password.";
    private static final String EXCEEDED = "Password attempts exceeded";

    private final List<GatehouseProcess> nodes = new ArrayList<>();
    private HaProxy balancer;
    private final List<AutoCloseable> clients = new ArrayList<>();

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
        String email = TestUsers.email("pg-files");
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
        AwsCredentials session =
                AwsSessionCredentials.create(issued.accessKeyId(), issued.secretKey(), issued.sessionToken());
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
