package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsJson;
import dev.gatehouse.protocol.AwsJsonService;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.AwsResponse;
import dev.gatehouse.protocol.Caller;
import dev.gatehouse.protocol.CommonErrors;
import dev.gatehouse.protocol.ServiceException;
import dev.gatehouse.store.InMemoryItemStore;
import dev.gatehouse.store.MutableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A user-pool API over an in-memory store, a recording mail sender and the real token service, driven through the
 * AWS JSON dispatcher so the wire shapes are what tests see. Cheap Argon2 parameters keep tests fast.
 */
final class PoolFixture {

    static final String PASSWORD = "Passw0rd!";
    static final Caller ADMIN = new Caller("AKIAEXAMPLE", "123456789012", "arn:aws:iam::123456789012:root");

    final MutableClock clock;
    final InMemoryItemStore store;
    final RecordingMessageSender mail = new RecordingMessageSender();
    final JwtTokenService tokens;
    /** What the API reads and writes, counted. */
    final CountingItemStore counted;

    final UserPoolApi api;
    final AwsJsonService service = new AwsJsonService(
            "AWSCognitoIdentityProviderService", "cognito-idp", (request, signingName, operation) -> {
                if (request.header("authorization").isEmpty()) {
                    throw new ServiceException(CommonErrors.missingAuthenticationToken());
                }
                return ADMIN;
            });
    private int requests;

    PoolFixture() {
        this(LambdaTriggers.NONE);
    }

    /** A fixture whose pools' triggers invoke {@code triggers}. */
    PoolFixture(LambdaTriggers triggers) {
        this(MutableClock.at("2026-01-01T00:00:00Z"), null, triggers);
    }

    /** A second node: its own API, token service and caches over {@code other}'s store and clock. */
    PoolFixture(PoolFixture other) {
        this(other.clock, other.store, LambdaTriggers.NONE);
    }

    private PoolFixture(MutableClock clock, @Nullable InMemoryItemStore shared, LambdaTriggers triggers) {
        this.clock = clock;
        this.store = shared == null ? new InMemoryItemStore(clock) : shared;
        this.tokens = TestRsaKeys.tokenService(store, clock, JwtTokenService.issuerUnder("http://127.0.0.1:9229"));
        this.counted = new CountingItemStore(store);
        api = new UserPoolApi(
                counted,
                tokens,
                mail,
                clock,
                "us-east-1",
                "123456789012",
                new PasswordHasher(64, 1, new SecureRandom()),
                new SecureRandom(),
                triggers);
        api.registerOn(service);
    }

    /** The outcome of one call: HTTP status and JSON body. */
    record Reply(int status, JsonNode body) {

        Reply ok() {
            assertThat(status).as("status of %s", body).isEqualTo(200);
            return this;
        }

        String code() {
            return body.path("__type").asText();
        }

        String message() {
            return body.path("message").asText();
        }

        JsonNode get(String name) {
            return body.path(name);
        }
    }

    Reply call(String operation, String json) {
        return send(operation, json, true);
    }

    Reply unsigned(String operation, String json) {
        return send(operation, json, false);
    }

    /**
     * An unsigned call as the AWS endpoint makes it: answered from memos on the calling thread when the service can
     * ({@link AwsJsonService#dispatchWithoutBlocking}), else dispatched.
     */
    Reply asEndpoint(String operation, String json) {
        Optional<AwsResponse> quick = service.dispatchWithoutBlocking(request(operation, json, false));
        return quick.isPresent() ? reply(quick.get()) : unsigned(operation, json);
    }

    /** The answer from memos alone, if the service has one. */
    Optional<Reply> withoutBlocking(String operation, String json) {
        return service.dispatchWithoutBlocking(request(operation, json, false)).map(PoolFixture::reply);
    }

    Reply send(String operation, String json, boolean signed) {
        return reply(service.dispatch(request(operation, json, signed)));
    }

    private AwsRequest request(String operation, String json, boolean signed) {
        Map<String, List<String>> headers = signed
                ? Map.of(
                        "x-amz-target",
                        List.of("AWSCognitoIdentityProviderService." + operation),
                        "authorization",
                        List.of("AWS4-HMAC-SHA256 test"))
                : Map.of("x-amz-target", List.of("AWSCognitoIdentityProviderService." + operation));
        return new AwsRequest(
                "POST", "/", "", headers, json.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "req-" + ++requests);
    }

    private static Reply reply(AwsResponse response) {
        try {
            return new Reply(response.status(), AwsJson.mapper().readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply call(String operation, ObjectNode json) {
        return call(operation, json.toString());
    }

    static ObjectNode json() {
        return AwsJson.mapper().createObjectNode();
    }

    /** A pool from a CreateUserPool body; returns its id. */
    String createPool(String body) {
        return call("CreateUserPool", body).ok().get("UserPool").path("Id").asText();
    }

    /** A client with the flows (and extra members) given; returns its id. */
    String createClient(String poolId, String extraMembers) {
        String body = "{\"UserPoolId\":\"" + poolId + "\",\"ClientName\":\"app\""
                + (extraMembers.isEmpty() ? "" : "," + extraMembers) + "}";
        return call("CreateUserPoolClient", body)
                .ok()
                .get("UserPoolClient")
                .path("ClientId")
                .asText();
    }

    /** The email pool of the recipe with a password-flow client; returns {poolId, clientId}. */
    String[] emailPool(String clientMembers) {
        String poolId = createPool("{\"PoolName\":\"recipe\",\"UsernameAttributes\":[\"email\"],"
                + "\"AutoVerifiedAttributes\":[\"email\"]}");
        String clientId = createClient(
                poolId,
                "\"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\","
                        + "\"ALLOW_REFRESH_TOKEN_AUTH\",\"ALLOW_ADMIN_USER_PASSWORD_AUTH\"]"
                        + (clientMembers.isEmpty() ? "" : "," + clientMembers));
        return new String[] {poolId, clientId};
    }

    Reply signUp(String clientId, String username, String password) {
        return call(
                "SignUp",
                "{\"ClientId\":\"" + clientId + "\",\"Username\":\"" + username + "\",\"Password\":\"" + password
                        + "\"}");
    }

    Reply confirm(String clientId, String username, String code) {
        return call(
                "ConfirmSignUp",
                "{\"ClientId\":\"" + clientId + "\",\"Username\":\"" + username + "\",\"ConfirmationCode\":\"" + code
                        + "\"}");
    }

    Reply signIn(String clientId, String username, String password) {
        return call(
                "InitiateAuth",
                "{\"AuthFlow\":\"USER_PASSWORD_AUTH\",\"ClientId\":\"" + clientId
                        + "\",\"AuthParameters\":{\"USERNAME\":\"" + username + "\",\"PASSWORD\":\"" + password
                        + "\"}}");
    }

    /** Signs up and confirms with the mailed code; returns the access token of a first sign-in. */
    String signedUpAndIn(String clientId, String username) {
        signUp(clientId, username, PASSWORD).ok();
        confirm(clientId, username, lastCode()).ok();
        return signIn(clientId, username, PASSWORD)
                .ok()
                .get("AuthenticationResult")
                .path("AccessToken")
                .asText();
    }

    /** How many users the pool's user partition holds, read as ListUsers reads it. */
    int userCount(String poolId) {
        return store.query(
                        UserRepository.TABLE,
                        dev.gatehouse.store.Query.partition(poolId + "#user").withLimit(1000))
                .items()
                .size();
    }

    /** The six-digit code of the last message sent. */
    String lastCode() {
        Matcher m = Pattern.compile("(\\d{6})").matcher(mail.last().body());
        assertThat(m.find()).as("a code in %s", mail.last().body()).isTrue();
        return m.group(1);
    }
}
