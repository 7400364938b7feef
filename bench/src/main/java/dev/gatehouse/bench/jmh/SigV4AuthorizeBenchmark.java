package dev.gatehouse.bench.jmh;

import dev.gatehouse.bench.Signatures;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayRequest;
import dev.gatehouse.gateway.GatewayResponse;
import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.CredentialResolver;
import dev.gatehouse.iam.Decision;
import dev.gatehouse.iam.HeaderMap;
import dev.gatehouse.iam.PolicyEvaluator;
import dev.gatehouse.iam.SessionTokenCredentialResolver;
import dev.gatehouse.iam.SessionTokenKeySource;
import dev.gatehouse.iam.SessionTokenKeys;
import dev.gatehouse.iam.SessionTokenSealer;
import dev.gatehouse.iam.SigV4Verifier;
import dev.gatehouse.iam.SignatureException;
import dev.gatehouse.iam.SignedRequest;
import dev.gatehouse.iam.TemporaryCredentials;
import dev.gatehouse.iam.VerifiedCaller;
import dev.gatehouse.server.BenchCallers;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The per-request CPU cost of the gateway's {@code AWS_IAM} authorization of {@code GET /private}: SigV4 verification
 * of a request signed by the AWS SDK's {@code AwsV4HttpSigner} with identity-pool session credentials (the headers the
 * load driver sends: host, X-Amz-Date, X-Amz-Security-Token, Authorization), then the policy check against the auth
 * role's policy, as {@code Gateway.authorizeIam} does it. The request is signed once per fork, like the load driver's;
 * nothing in the verifier may memoise a whole request, so every invocation does the full work (a cached derived key and
 * a cached opened session token aside). {@code gatewayPrivate} and {@code gatewayPublic} measure the whole
 * {@code Gateway.handle} of the default stack's two hello routes (matching, authorization, the event, the handler on
 * the calling thread, CORS and the request id; no HTTP), from the header map the server's endpoint hands over.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests
 * java -cp bench/target/gatehouse-bench.jar org.openjdk.jmh.Main SigV4AuthorizeBenchmark
 * </pre>
 * Add {@code -prof gc} for the allocation per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx512m", "-Dlogback.configurationFile=logback-bench.xml"})
public class SigV4AuthorizeBenchmark {

    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "123456789012";
    private static final String API_ID = "a1b2c3d4e5";
    private static final String ACTION = "execute-api:Invoke";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/gatehouse-auth";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":"
            + API_ID
            + "/*\"},{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\","
            + "\"s3:AbortMultipartUpload\"],\"Resource\":\"arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*\"},"
            + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\","
            + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"private/${cognito-identity.amazonaws.com:sub}/*\"}}}]}";

    private final SigV4Verifier<IamPrincipal> verifier;
    private final Gateway gateway;
    private final Map<String, List<String>> headers;
    /** The query string of {@code GET /private} presigned by the SDK's signer (the session token in it). */
    private final String presignedQuery;

    private final byte[] body = new byte[0];
    /** What the load driver's HTTP client sends to {@code GET /public}. */
    private static final Map<String, List<String>> PUBLIC_HEADERS = Map.of("host", List.of("127.0.0.1:9229"));

    /** Seals session credentials, signs {@code GET /private} with them and builds the gateway's verifier. */
    public SigV4AuthorizeBenchmark() {
        byte[] key = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        SessionTokenSealer sealer = new SessionTokenSealer(
                SessionTokenKeySource.fixed(SessionTokenKeys.of("k1", Map.of("k1", key))), random);
        TemporaryCredentials credentials = sealer.issue(
                REGION + ":0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                REGION + ":9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4",
                ROLE_ARN,
                ACCOUNT,
                List.of(
                        "authenticated",
                        "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123",
                        "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123:CognitoSignIn:0f1e2d3c"),
                Instant.now().plus(Duration.ofHours(1)));
        CredentialResolver<IamPrincipal> callers =
                BenchCallers.identityPoolCallers(new SessionTokenCredentialResolver(sealer), ROLE_ARN, POLICY);
        verifier = SigV4Verifier.builder(callers)
                .service("execute-api")
                .region(REGION)
                .build();
        gateway = Gateway.builder(BenchCallers.helloApi(API_ID))
                .region(REGION)
                .accountId(ACCOUNT)
                .credentialResolver(callers)
                .build();
        headers = signedHeaders(credentials);
        presignedQuery = presignedQuery(credentials);
    }

    /** SigV4 verification and the policy check, as {@code Gateway.authorizeIam}. */
    @Benchmark
    public Decision authorize() throws SignatureException {
        return evaluate(verify());
    }

    /** SigV4 verification alone (the {@code SignedRequest} included). */
    @Benchmark
    public VerifiedCaller<IamPrincipal> verify() throws SignatureException {
        return verifier.verify(new SignedRequest("GET", "/private", "", received(headers), body));
    }

    /** SigV4 verification of the same request presigned: the signature and the session token in the query string. */
    @Benchmark
    public VerifiedCaller<IamPrincipal> verifyPresigned() throws SignatureException {
        return verifier.verify(new SignedRequest("GET", "/private", presignedQuery, received(PUBLIC_HEADERS), body));
    }

    /** {@code Gateway.handle} of the presigned {@code GET /private}. */
    @Benchmark
    public GatewayResponse gatewayPrivatePresigned() {
        return answered(PUBLIC_HEADERS, "/private", presignedQuery);
    }

    /** The headers as the server's endpoint copies them from the HTTP request: once per request, one value at a time. */
    private static HeaderMap received(Map<String, List<String>> sent) {
        HeaderMap.Builder received = HeaderMap.builder();
        sent.forEach((name, values) -> values.forEach(value -> received.add(name, value)));
        return received.build();
    }

    /** {@code Gateway.handle} of the signed {@code GET /private}, from the endpoint's header map to the response. */
    @Benchmark
    public GatewayResponse gatewayPrivate() {
        return answered(headers, "/private", "");
    }

    /** {@code Gateway.handle} of {@code GET /public} (no authorization), for the cost of the gateway around it. */
    @Benchmark
    public GatewayResponse gatewayPublic() {
        return answered(PUBLIC_HEADERS, "/public", "");
    }

    private GatewayResponse answered(Map<String, List<String>> sent, String path, String query) {
        GatewayResponse response = gateway.handle(
                        new GatewayRequest("GET", path, query, received(sent), body, "127.0.0.1", "HTTP/1.1"))
                .toCompletableFuture()
                .join();
        if (response.status() != 200) {
            throw new IllegalStateException("the benchmark request must be answered 200, not " + response.status());
        }
        return response;
    }

    @TearDown
    public void close() {
        gateway.close();
    }

    private Decision evaluate(VerifiedCaller<IamPrincipal> caller) {
        IamPrincipal principal = caller.principal();
        String resource = "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":" + API_ID + "/$default/"
                + "GET".toUpperCase(Locale.ROOT) + "/" + String.join("/", List.of("private"));
        Decision decision = PolicyEvaluator.evaluate(
                principal.policies(), principal.requestContext(ACTION, resource, Instant.now(), "127.0.0.1"));
        if (!decision.allowed()) {
            throw new IllegalStateException("the benchmark request must be allowed");
        }
        return decision;
    }

    /** The raw query of {@code GET /private} presigned by the SDK's signer for 5 minutes (host signed). */
    private static String presignedQuery(TemporaryCredentials credentials) {
        return Signatures.signedGet("http://127.0.0.1:9229/private", identity(credentials), true)
                .getUri()
                .getRawQuery();
    }

    private static AwsSessionCredentialsIdentity identity(TemporaryCredentials credentials) {
        return AwsSessionCredentialsIdentity.create(
                credentials.accessKeyId(), credentials.secretKey(), credentials.sessionToken());
    }

    /** The request's headers as the HTTP client sends them: the signer's names, and host. */
    private static Map<String, List<String>> signedHeaders(TemporaryCredentials credentials) {
        SdkHttpRequest signed = Signatures.signedGet("http://127.0.0.1:9229/private", identity(credentials), false);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("127.0.0.1:9229"));
        signed.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                headers.put(name, List.copyOf(values)); // as sent: the server lower-cases the names
            }
        });
        return headers;
    }
}
