package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.Requests.call;
import static dev.gatehouse.gateway.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.functions.FunctionInvoker;
import dev.gatehouse.functions.InvocationResult;
import dev.gatehouse.iam.InMemoryCredentialResolver;
import dev.gatehouse.store.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * REST APIs with function integrations: payload 1.0 events (AWS_IAM identity, Cognito user-pool claims, multi-value
 * maps), 1.0's answer rules, REST's own error answers and gateway responses.
 */
class RestApiTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-03-09T12:23:20Z");
    private static final String ACCOUNT = TestCallers.ACCOUNT;
    private static final String KEY = TestCallers.KEY;
    private static final String IDENTITY = TestCallers.IDENTITY;
    private static final String POOL = TestCallers.POOL;
    private static final String ROLE_ARN = TestCallers.ROLE_ARN;
    private static final String ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool";
    private static final RSAKey SIGNING_KEY = generate();

    private final MutableClock clock = MutableClock.at(NOW.toString());
    private final AtomicReference<JsonNode> event = new AtomicReference<>();
    private final AtomicReference<InvocationResult> answer =
            new AtomicReference<>(ok("{\"statusCode\":200," + "\"body\":\"done\"}"));
    /** The function: remembers its event and answers what the test set. */
    private final FunctionInvoker functions = (name, request) -> {
        try {
            event.set(JSON.readTree(request.payload()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return CompletableFuture.completedFuture(answer.get());
    };

    private final CognitoAuthorizer cognito =
            CognitoAuthorizer.of("pool", ISSUER, "Authorization", () -> new JWKSet(SIGNING_KEY.toPublicJWK()));
    private Gateway gateway = gateway(GatewayResponses.NONE);

    private Gateway gateway(GatewayResponses responses) {
        InMemoryCredentialResolver<IamPrincipal> resolver = TestCallers.alice(NOW, "r1e2s3t4a5");
        Integration function = Integration.function(functions, "notes-fn", PayloadFormat.V1_0);
        return Gateway.builder(Api.builder("rest", "r1e2s3t4a5")
                        .type(ApiType.REST)
                        .stage("Prod")
                        .defaultAuthorization(Authorization.awsIam())
                        .route("GET /notes/{id}", function)
                        .route("POST /notes", function, Authorization.none())
                        .route("GET /claims", function, Authorization.cognitoUserPools(cognito))
                        .route("GET /scoped", function, Authorization.cognitoUserPools(cognito, "notes/read"))
                        .gatewayResponses(responses)
                        .build())
                .region("us-east-1")
                .accountId(ACCOUNT)
                .clock(clock)
                .credentialResolver(resolver)
                .build();
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void handleWhenIamSignedThenPayload1IdentityNamesTheCognitoIdentity() {
        GatewayResponse response = call(gateway, signed("/Prod/notes/42?tag=a&tag=b&q=x%20y", "X-Custom", "one"));

        assertThat(response.status()).isEqualTo(200);
        JsonNode identity = event.get().get("requestContext").get("identity");
        assertThat(identity.get("cognitoIdentityId").asText()).isEqualTo(IDENTITY);
        assertThat(identity.get("cognitoIdentityPoolId").asText()).isEqualTo(POOL);
        assertThat(identity.get("cognitoAuthenticationType").asText()).isEqualTo("authenticated");
        assertThat(identity.get("cognitoAuthenticationProvider").asText())
                .isEqualTo("cognito-idp.us-east-1.amazonaws.com/us-east-1_pool,"
                        + "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool:CognitoSignIn:sub-1");
        assertThat(identity.get("userArn").asText()).isEqualTo(ROLE_ARN);
        assertThat(identity.get("accessKey").asText()).isEqualTo(KEY);
        assertThat(identity.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(identity.get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(event.get().get("requestContext").has("authorizer")).isFalse();
    }

    @Test
    void handleWhenRestRequestThenPayload1EventHasPathsStageAndMultiValueMaps() {
        call(gateway, signed("/Prod/notes/42?tag=a&tag=b&q=x%20y", "X-Custom", "one"));

        JsonNode e = event.get();
        assertThat(e.has("version")).isFalse();
        assertThat(e.get("resource").asText()).isEqualTo("/notes/{id}");
        assertThat(e.get("path").asText()).isEqualTo("/notes/42");
        assertThat(e.get("httpMethod").asText()).isEqualTo("GET");
        assertThat(e.get("pathParameters").get("id").asText()).isEqualTo("42");
        assertThat(e.get("queryStringParameters").get("tag").asText()).isEqualTo("b");
        assertThat(e.get("queryStringParameters").get("q").asText()).isEqualTo("x y");
        assertThat(e.get("multiValueQueryStringParameters").get("tag")).hasSize(2);
        assertThat(e.get("multiValueQueryStringParameters").get("tag").get(0).asText())
                .isEqualTo("a");
        assertThat(e.get("headers").get("X-Custom").asText()).isEqualTo("one");
        assertThat(e.get("headers").has("X-Amz-Date")).isTrue();
        assertThat(e.get("multiValueHeaders").get("X-Custom").get(0).asText()).isEqualTo("one");
        assertThat(e.get("stageVariables").isNull()).isTrue();
        assertThat(e.get("body").isNull()).isTrue();
        assertThat(e.get("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = e.get("requestContext");
        assertThat(context.get("stage").asText()).isEqualTo("Prod");
        assertThat(context.get("path").asText()).isEqualTo("/Prod/notes/42");
        assertThat(context.get("resourcePath").asText()).isEqualTo("/notes/{id}");
        assertThat(context.get("apiId").asText()).isEqualTo("r1e2s3t4a5");
        assertThat(context.get("accountId").asText()).isEqualTo(ACCOUNT);
        assertThat(context.get("requestTimeEpoch").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(context.get("requestTime").asText()).isEqualTo("09/Mar/2024:12:23:20 +0000");
    }

    @Test
    void handleWhenNoQueryAndPublicPostThenNullMapsAndBodyText() {
        call(
                gateway,
                Requests.request(
                        "POST",
                        "/Prod/notes",
                        "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
                        "content-type",
                        "application/json"));

        JsonNode e = event.get();
        assertThat(e.get("queryStringParameters").isNull()).isTrue();
        assertThat(e.get("multiValueQueryStringParameters").isNull()).isTrue();
        assertThat(e.get("pathParameters").isNull()).isTrue();
        assertThat(e.get("body").asText()).isEqualTo("{\"a\":1}");
        assertThat(e.get("requestContext")
                        .get("identity")
                        .get("cognitoIdentityId")
                        .isNull())
                .isTrue();
    }

    @Test
    void handleWhenCognitoIdTokenThenClaimsAreStringsWithDates() {
        GatewayResponse response = call(gateway, get("/Prod/claims", "Authorization", idToken("id")));

        assertThat(response.status()).isEqualTo(200);
        JsonNode claims = event.get().get("requestContext").get("authorizer").get("claims");
        assertThat(claims.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(claims.get("email_verified").isTextual()).isTrue();
        assertThat(claims.get("email_verified").asText()).isEqualTo("true");
        assertThat(claims.get("auth_time").isTextual()).isTrue();
        assertThat(claims.get("exp").asText()).isEqualTo("Sat Mar 09 13:23:20 UTC 2024");
        assertThat(claims.get("iat").asText()).isEqualTo("Sat Mar 09 12:23:20 UTC 2024");
        assertThat(claims.get("token_use").asText()).isEqualTo("id");
    }

    @Test
    void handleWhenCognitoRouteGetsAccessTokenWithoutScopesOrNoTokenThen401() {
        GatewayResponse access = call(gateway, get("/Prod/claims", "Authorization", idToken("access")));
        GatewayResponse none = call(gateway, get("/Prod/claims"));

        assertThat(access.status()).isEqualTo(401);
        assertThat(access.bodyText()).isEqualTo("{\"message\":\"Unauthorized\"}");
        assertThat(access.header("www-authenticate")).isEmpty();
        assertThat(none.status()).isEqualTo(401);
    }

    @Test
    void handleWhenNoRouteOrUnsignedThen403MissingAuthenticationToken() {
        GatewayResponse noRoute = call(gateway, get("/Prod/nothing"));
        GatewayResponse noStage = call(gateway, get("/notes/42"));
        GatewayResponse unsigned = call(gateway, get("/Prod/notes/42"));

        for (GatewayResponse response : List.of(noRoute, noStage, unsigned)) {
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.bodyText()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
            assertThat(response.header("x-amzn-errortype")).contains("MissingAuthenticationTokenException");
        }
    }

    @Test
    void handleWhenFunctionFailsOrAnswersMalformedThen502InternalServerError() {
        List<InvocationResult> failures = List.of(
                new InvocationResult.FunctionError("Runtime.UserException", "{\"errorMessage\":\"boom\"}".getBytes()),
                ok("{\"statusCode\":200,\"body\":{\"not\":\"a string\"}}"),
                ok("[1,2]"),
                ok("{\"body\":\"no status\"}"),
                ok("not json"));
        for (InvocationResult failure : failures) {
            answer.set(failure);

            GatewayResponse response = call(gateway, publicPost());

            assertThat(response.status()).as(failure.toString()).isEqualTo(502);
            assertThat(response.bodyText()).isEqualTo("{\"message\": \"Internal server error\"}");
            assertThat(response.bodyText()).doesNotContain("boom");
        }
    }

    @Test
    void handleWhenFunctionTimesOutOrIsThrottledThen504Or429() {
        answer.set(new InvocationResult.TimedOut("Task timed out after 3.00 seconds"));
        GatewayResponse timedOut = call(gateway, publicPost());
        answer.set(new InvocationResult.Throttled());
        GatewayResponse throttled = call(gateway, publicPost());

        assertThat(timedOut.status()).isEqualTo(504);
        assertThat(timedOut.bodyText()).isEqualTo("{\"message\": \"Endpoint request timed out\"}");
        assertThat(throttled.status()).isEqualTo(429);
    }

    @Test
    void handleWhenIntegrationTimesOutBeforeTheFunctionAnswersThen504AndTheInvocationIsCancelled() throws Exception {
        CompletableFuture<InvocationResult> waiting = new CompletableFuture<>();
        Integration function = Integration.function((name, request) -> waiting, "slow-fn", PayloadFormat.V1_0);
        try (Gateway slow = Gateway.builder(Api.builder("rest", "r1e2s3t4a5")
                        .type(ApiType.REST)
                        .stage("Prod")
                        .route("POST /notes", function, Authorization.none())
                        .build())
                .region("us-east-1")
                .accountId(ACCOUNT)
                .clock(clock)
                .build()) {
            // The integration timeout fires at once: the function has not answered (it waits for a worker).
            GatewayResponse response = slow.handle(publicPost(), (delay, task) -> {
                        task.run();
                        return () -> {};
                    })
                    .toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(response.status()).isEqualTo(504);
            assertThat(waiting).isCancelled();
        }
    }

    @Test
    void handleWhenFunctionAnswersPayload1ThenHeadersMergeAndContentTypeDefaults() {
        answer.set(
                ok(
                        "{\"statusCode\":201,\"headers\":{\"X-One\":\"1\",\"Set-Cookie\":\"lost=1\"},"
                                + "\"multiValueHeaders\":{\"Set-Cookie\":[\"a=1\",\"b=2\"]},\"body\":\"aGk=\",\"isBase64Encoded\":true}"));

        GatewayResponse response = call(gateway, publicPost());

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("x-one")).contains("1");
        assertThat(response.headerValues("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(response.header("content-type")).contains("application/json");
        assertThat(response.bodyText()).isEqualTo("hi");
    }

    @Test
    void handleWhenGatewayResponsesDefinedThenOwnErrorsCarryTheirHeadersAndFunctionAnswersDoNot() {
        gateway.close();
        gateway = gateway(GatewayResponses.builder()
                .response(
                        "DEFAULT_4XX",
                        OptionalInt.empty(),
                        Map.of("Access-Control-Allow-Origin", "'*'", "Access-Control-Allow-Headers", "'*'"),
                        Optional.empty())
                .response(
                        "DEFAULT_5XX",
                        OptionalInt.empty(),
                        Map.of("Access-Control-Allow-Origin", "'*'"),
                        Optional.empty())
                .response(
                        "UNAUTHORIZED",
                        OptionalInt.of(403),
                        Map.of("X-Origin", "method.request.header.Origin"),
                        Optional.of(
                                "{\"error\":$context.error.messageString,\"type\":\"$context.error.responseType\"}"))
                .build());

        GatewayResponse missing = call(gateway, get("/Prod/nothing"));
        GatewayResponse unauthorized = call(gateway, get("/Prod/claims", "Origin", "https://app.example"));
        answer.set(new InvocationResult.FunctionError("Runtime.UserException", new byte[0]));
        GatewayResponse failed = call(gateway, publicPost());
        answer.set(ok("{\"statusCode\":404,\"body\":\"mine\"}"));
        GatewayResponse own = call(gateway, publicPost());

        assertThat(missing.status()).isEqualTo(403);
        assertThat(missing.header("access-control-allow-origin")).contains("*");
        assertThat(missing.header("access-control-allow-headers")).contains("*");
        assertThat(unauthorized.status()).isEqualTo(403);
        assertThat(unauthorized.header("x-origin")).contains("https://app.example");
        assertThat(unauthorized.header("access-control-allow-origin")).isEmpty();
        assertThat(unauthorized.bodyText()).isEqualTo("{\"error\":\"Unauthorized\",\"type\":\"UNAUTHORIZED\"}");
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.header("access-control-allow-origin")).contains("*");
        assertThat(own.status()).isEqualTo(404);
        assertThat(own.header("access-control-allow-origin")).isEmpty();
    }

    @Test
    void restCorsWhenConfiguredThenPreflightAnsweredAndTheFunctionsOwnHeadersKept() {
        Gateway rest = Gateway.builder(Api.builder("rest", "r1e2s3t4a5")
                        .type(ApiType.REST)
                        .stage("Prod")
                        .route("POST /notes", Integration.function(functions, "f", PayloadFormat.V1_0))
                        .cors(CorsConfig.builder()
                                .allowOrigins("*")
                                .allowMethods("*")
                                .allowHeaders("*")
                                .build())
                        .build())
                .clock(clock)
                .build();
        try {
            answer.set(ok("{\"statusCode\":200,\"headers\":{\"Access-Control-Allow-Origin\":\"https://mine.example\"},"
                    + "\"body\":\"ok\"}"));
            GatewayResponse preflight = call(
                    rest,
                    Requests.request(
                            "OPTIONS",
                            "/Prod/notes",
                            new byte[0],
                            "origin",
                            "https://app.example",
                            "access-control-request-method",
                            "POST"));
            GatewayResponse answered =
                    call(rest, Requests.request("POST", "/Prod/notes", new byte[0], "origin", "https://app.example"));

            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("access-control-allow-origin")).contains("*");
            assertThat(answered.header("access-control-allow-origin")).contains("https://mine.example");
        } finally {
            rest.close();
        }
    }

    @Test
    void gatewayResponsesWhenUnsupportedMappingOrTemplateThenRefused() {
        assertThatThrownBy(() -> GatewayResponses.builder()
                        .response(
                                "DEFAULT_4XX",
                                OptionalInt.empty(),
                                Map.of("X-A", "context.requestId"),
                                Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayResponses.builder()
                        .response(
                                "DEFAULT_4XX",
                                OptionalInt.empty(),
                                Map.of(),
                                Optional.of("{\"id\":\"$context.identity.sourceIp\"}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayResponses.builder()
                        .response("NOT_A_TYPE", OptionalInt.empty(), Map.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildWhenRestApiHasNoStageOrAnInProcessHandlerThenRefused() {
        assertThatThrownBy(() -> Api.builder("rest", "r1e2s3t4a5")
                        .type(ApiType.REST)
                        .route("GET /x", Integration.function(functions, "f", PayloadFormat.V1_0))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stage");
        assertThatThrownBy(() -> Api.builder("rest", "r1e2s3t4a5")
                        .type(ApiType.REST)
                        .stage("Prod")
                        .route("GET /x", Requests.answering("hi"))
                        .build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void httpApiFunctionRouteWhenPayload2AnswerHasNoStatusCodeThenInferred() {
        Gateway http = Gateway.builder(Api.builder("http", "h1t2t3p4a5")
                        .route("GET /v2", Integration.function(functions, "f", PayloadFormat.V2_0))
                        .route("GET /v1", Integration.function(functions, "f", PayloadFormat.V1_0))
                        .build())
                .clock(clock)
                .build();
        try {
            answer.set(ok("{\"hello\":\"world\"}"));
            GatewayResponse inferred = call(http, get("/v2?a=1", "X-Custom", "one"));
            JsonNode v2 = event.get();
            answer.set(ok("\"plain text\""));
            GatewayResponse text = call(http, get("/v2"));
            answer.set(new InvocationResult.FunctionError("Runtime.UserException", new byte[0]));
            GatewayResponse failed = call(http, get("/v1", "X-Custom", "one"));
            JsonNode v1 = event.get();

            assertThat(inferred.status()).isEqualTo(200);
            assertThat(inferred.bodyText()).isEqualTo("{\"hello\":\"world\"}");
            assertThat(inferred.header("content-type")).contains("application/json");
            assertThat(text.bodyText()).isEqualTo("plain text");
            assertThat(v2.get("version").asText()).isEqualTo("2.0");
            assertThat(v2.get("rawQueryString").asText()).isEqualTo("a=1");
            assertThat(v2.get("headers").get("x-custom").asText()).isEqualTo("one");
            assertThat(v2.get("requestContext").get("http").get("method").asText())
                    .isEqualTo("GET");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.bodyText()).isEqualTo("{\"message\":\"Internal Server Error\"}");
            assertThat(v1.get("version").asText()).isEqualTo("1.0");
            assertThat(v1.get("headers").get("x-custom").asText()).isEqualTo("one");
        } finally {
            http.close();
        }
    }

    @Test
    void httpApiFunctionRouteWhenIamSignedOrJwtThenEventJsonCarriesTheAuthorizerAsAwsSendsIt() {
        JwtAuthorizer jwt = JwtAuthorizer.of(
                "pool", ISSUER, List.of("any-client-of-the-pool"), () -> new JWKSet(SIGNING_KEY.toPublicJWK()));
        Gateway http = Gateway.builder(Api.builder("http", "r1e2s3t4a5")
                        .defaultAuthorization(Authorization.awsIam())
                        .route("GET /private", Integration.function(functions, "f", PayloadFormat.V2_0))
                        .route(
                                "GET /claims",
                                Integration.function(functions, "f", PayloadFormat.V1_0),
                                Authorization.jwt(jwt))
                        .build())
                .clock(clock)
                .accountId(ACCOUNT)
                .credentialResolver(TestCallers.alice(NOW, "r1e2s3t4a5"))
                .build();
        try {
            assertThat(call(http, signed("/private")).status()).isEqualTo(200);
            JsonNode iam = event.get().get("requestContext").get("authorizer").get("iam");
            call(http, get("/claims", "Authorization", "Bearer " + idToken("id")));
            JsonNode v1 = event.get().get("requestContext").get("authorizer");

            assertThat(iam.get("cognitoIdentity").get("identityId").asText()).isEqualTo(IDENTITY);
            assertThat(iam.get("cognitoIdentity").get("identityPoolId").asText())
                    .isEqualTo(POOL);
            assertThat(iam.get("cognitoIdentity").get("amr").get(0).asText()).isEqualTo("authenticated");
            assertThat(iam.get("accessKey").asText()).isEqualTo(KEY);
            assertThat(iam.get("userArn").asText()).isEqualTo(ROLE_ARN);
            assertThat(iam.has("principalOrgId")).isTrue();
            assertThat(v1.get("claims").get("email").asText()).isEqualTo("alice@example.com");
            assertThat(v1.get("claims").get("exp").asText())
                    .isEqualTo(Long.toString(NOW.plusSeconds(3600).getEpochSecond()));
            assertThat(v1.get("scopes").isNull()).isTrue();
        } finally {
            http.close();
        }
    }

    private static InvocationResult ok(String payload) {
        return new InvocationResult.Success(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayRequest publicPost() {
        return Requests.request("POST", "/Prod/notes", "{}".getBytes(StandardCharsets.UTF_8));
    }

    private GatewayRequest signed(String pathAndQuery, String... headerPairs) {
        return TestCallers.signedByAlice(clock.instant(), pathAndQuery, headerPairs);
    }

    private static String idToken(String tokenUse) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("7d8ca528-4931-4254-9273-ea5ee853f271")
                .issuer(ISSUER)
                .audience("any-client-of-the-pool")
                .claim("token_use", tokenUse)
                .claim("email", "alice@example.com")
                .claim("email_verified", true)
                .claim("auth_time", NOW.getEpochSecond())
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(Duration.ofHours(1))))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(), claims);
            jwt.sign(new RSASSASigner(SIGNING_KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
