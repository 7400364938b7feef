package dev.gatehouse.bench.jmh;

import dev.gatehouse.gateway.IamPrincipal;
import dev.gatehouse.iam.Decision;
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
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The per-request CPU cost of the gateway's {@code AWS_IAM} authorization of {@code GET /private}: SigV4 verification
 * of a request signed by the AWS SDK's {@code AwsV4HttpSigner} with identity-pool session credentials (the headers the
 * load driver sends: host, X-Amz-Date, X-Amz-Security-Token, Authorization), then the policy check against the auth
 * role's policy, as {@code Gateway.authorizeIam} does it. The request is signed once per fork, like the load driver's;
 * nothing in the verifier may memoise a whole request, so every invocation does the full work (a cached derived key and
 * a cached opened session token aside).
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
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
public class SigV4AuthorizeBenchmark {

  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "123456789012";
  private static final String API_ID = "a1b2c3d4e5";
  private static final String ACTION = "execute-api:Invoke";
  private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/gatehouse-auth";
  private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
      + "\"Action\":\"execute-api:Invoke\",\"Resource\":\"arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":" + API_ID
      + "/*\"},{\"Effect\":\"Allow\",\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\","
      + "\"s3:AbortMultipartUpload\"],\"Resource\":\"arn:aws:s3:::bucket/private/${cognito-identity.amazonaws.com:sub}/*\"},"
      + "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\","
      + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"private/${cognito-identity.amazonaws.com:sub}/*\"}}}]}";

  private final SigV4Verifier<IamPrincipal> verifier;
  private final Map<String, List<String>> headers;
  private final byte[] body = new byte[0];

  /** Seals session credentials, signs {@code GET /private} with them and builds the gateway's verifier. */
  public SigV4AuthorizeBenchmark() {
    byte[] key = new byte[32];
    SecureRandom random = new SecureRandom();
    random.nextBytes(key);
    SessionTokenSealer sealer = new SessionTokenSealer(SessionTokenKeySource.fixed(SessionTokenKeys.of("k1",
        Map.of("k1", key))), random);
    TemporaryCredentials credentials = sealer.issue(REGION + ":0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        REGION + ":9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4", ROLE_ARN, ACCOUNT,
        List.of("authenticated", "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123",
            "cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc123:CognitoSignIn:0f1e2d3c"),
        Instant.now().plus(Duration.ofHours(1)));
    verifier = SigV4Verifier.builder(BenchCallers.identityPoolCallers(new SessionTokenCredentialResolver(sealer), ROLE_ARN,
        POLICY))
        .service("execute-api").region(REGION).build();
    headers = signedHeaders(credentials);
  }

  /** SigV4 verification and the policy check, as {@code Gateway.authorizeIam}. */
  @Benchmark
  public Decision authorize() throws SignatureException {
    return evaluate(verify());
  }

  /** SigV4 verification alone (the {@code SignedRequest} included). */
  @Benchmark
  public VerifiedCaller<IamPrincipal> verify() throws SignatureException {
    return verifier.verify(new SignedRequest("GET", "/private", "", headers, body));
  }

  private Decision evaluate(VerifiedCaller<IamPrincipal> caller) {
    IamPrincipal principal = caller.principal();
    String resource = "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":" + API_ID + "/$default/"
        + "GET".toUpperCase(Locale.ROOT) + "/" + String.join("/", List.of("private"));
    Decision decision = PolicyEvaluator.evaluate(principal.policies(),
        principal.requestContext(ACTION, resource, Instant.now(), "127.0.0.1"));
    if (!decision.allowed()) {
      throw new IllegalStateException("the benchmark request must be allowed");
    }
    return decision;
  }

  /** The request's headers as the gateway sees them: names lower-cased, host as the HTTP client sends it. */
  private static Map<String, List<String>> signedHeaders(TemporaryCredentials credentials) {
    AwsSessionCredentialsIdentity identity = AwsSessionCredentialsIdentity.create(credentials.accessKeyId(),
        credentials.secretKey(), credentials.sessionToken());
    SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.GET)
        .uri(URI.create("http://127.0.0.1:9229/private")).build();
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned)
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)).request();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("host", List.of("127.0.0.1:9229"));
    signed.headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(new ArrayList<>(values)));
      }
    });
    return headers;
  }
}
