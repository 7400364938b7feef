package dev.gatehouse.identity;

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
import dev.gatehouse.userpool.JwtTokenService;
import dev.gatehouse.userpool.TestRsaKeys;
import dev.gatehouse.userpool.TokenClient;
import dev.gatehouse.userpool.TokenSubject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An identity-pool API over an in-memory store and a real {@link JwtTokenService}, dispatched through
 * {@link AwsJsonService} so the wire shapes are what tests see. Admin calls pass the test authenticator when they
 * carry an {@code Authorization} header (SigV4 itself is tested in iam).
 */
final class IdentityFixture {

    static final String REGION = "us-east-1";
    static final String ACCOUNT = "123456789012";
    static final String LOCAL_ENDPOINT = "http://127.0.0.1:9229";
    static final String USER_POOL = "us-east-1_GateHouse1";
    static final String OTHER_USER_POOL = "us-east-1_OtherPool2";
    static final String CLIENT = "3n4b5urk1ft4fl3mg5e62d9ado";
    static final String OTHER_CLIENT = "6f1u1dqd4vcjqmk9d0lm6gb7qk";

    final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    final InMemoryItemStore store = new InMemoryItemStore(clock);
    final JwtTokenService tokens = TestRsaKeys.tokenService(store, clock, JwtTokenService.issuerUnder(LOCAL_ENDPOINT));
    final IdentityPoolApi api =
            new IdentityPoolApi(store, tokens, clock, REGION, ACCOUNT, new SecureRandom(), Duration.ofMinutes(1), null);
    final AwsJsonService service = new AwsJsonService(
            IdentityPoolApi.TARGET_PREFIX, IdentityPoolApi.SIGNING_NAME, (request, signingName, operation) -> {
                if (request.header("authorization").isEmpty()) {
                    throw new ServiceException(CommonErrors.missingAuthenticationToken());
                }
                return new Caller("AKIAGATEHOUSEADMIN01", ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":root");
            });

    IdentityFixture() {
        service.setInputShapes(IdentityPoolApi.inputShapes());
        api.registerOn(service);
    }

    /** A wire response: HTTP status and JSON body. */
    record Response(int status, JsonNode body) {
        String errorType() {
            return body.path("__type").asText();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    Response call(String operation, String json) {
        return dispatch(operation, json, false);
    }

    Response admin(String operation, String json) {
        return dispatch(operation, json, true);
    }

    /** Calls the operation and fails unless it answers 200. */
    JsonNode ok(String operation, String json) {
        Response response = dispatch(
                operation,
                json,
                !List.of("GetId", "GetCredentialsForIdentity", "GetOpenIdToken").contains(operation));
        if (response.status() != 200) {
            throw new AssertionError(operation + " failed: " + response.body());
        }
        return response.body();
    }

    private Response dispatch(String operation, String json, boolean signed) {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        headers.put("x-amz-target", List.of(IdentityPoolApi.TARGET_PREFIX + "." + operation));
        headers.put("content-type", List.of(AwsJson.CONTENT_TYPE));
        if (signed) {
            headers.put(
                    "authorization",
                    List.of("AWS4-HMAC-SHA256 Credential=AKIAGATEHOUSEADMIN01/20260301/us-east-1/"
                            + "cognito-identity/aws4_request, SignedHeaders=host, Signature=00"));
        }
        AwsResponse response = service.dispatch(new AwsRequest(
                "POST",
                "/",
                "",
                headers,
                json.getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                UUID.randomUUID().toString()));
        try {
            return new Response(response.status(), AwsJson.mapper().readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates an identity pool trusting {@code CLIENT} of {@code USER_POOL}, with both roles set; returns its id. */
    String createPool(boolean allowUnauthenticated) {
        ObjectNode body = AwsJson.mapper()
                .createObjectNode()
                .put("IdentityPoolName", "notes app")
                .put("AllowUnauthenticatedIdentities", allowUnauthenticated);
        body.putArray("CognitoIdentityProviders")
                .addObject()
                .put("ProviderName", "cognito-idp.us-east-1.amazonaws.com/" + USER_POOL)
                .put("ClientId", CLIENT);
        String poolId =
                ok("CreateIdentityPool", body.toString()).path("IdentityPoolId").asText();
        ok(
                "SetIdentityPoolRoles",
                "{\"IdentityPoolId\":\"" + poolId + "\",\"Roles\":{\"authenticated\":\"" + authRole()
                        + "\",\"unauthenticated\":\"" + unauthRole() + "\"}}");
        return poolId;
    }

    static String authRole() {
        return "arn:aws:iam::" + ACCOUNT + ":role/notes-auth";
    }

    static String unauthRole() {
        return "arn:aws:iam::" + ACCOUNT + ":role/notes-unauth";
    }

    /** Signs a user in: an id token of {@code CLIENT} for a new session. */
    String idToken(String userPoolId, String clientId, String sub) {
        TokenSubject subject = new TokenSubject(userPoolId, sub, sub, Map.of("email", sub + "@example.com"), List.of());
        return tokens.issue(subject, TokenClient.withDefaults(clientId), clock.instant())
                .idToken();
    }

    String idToken(String sub) {
        return idToken(USER_POOL, CLIENT, sub);
    }

    /** An id token of {@code CLIENT} whose claims include {@code claims} (string values) and {@code cognito:groups}. */
    String idToken(String sub, Map<String, String> claims, List<String> groups) {
        Map<String, String> attributes = new java.util.HashMap<>(claims);
        attributes.putIfAbsent("email", sub + "@example.com");
        // the role claims come from groups: the token service sets them, never from attributes
        String roles = attributes.remove("cognito:roles");
        String preferred = attributes.remove("cognito:preferred_role");
        TokenSubject subject = new TokenSubject(
                USER_POOL,
                sub,
                sub,
                attributes,
                groups,
                roles == null ? List.of() : List.of(roles.split(",")),
                preferred);
        return tokens.issue(subject, TokenClient.withDefaults(CLIENT), clock.instant())
                .idToken();
    }

    /** The RoleMappings key of {@code CLIENT} of {@code USER_POOL}. */
    static String mappingKey() {
        return awsKey() + ":" + CLIENT;
    }

    static String awsKey() {
        return "cognito-idp.us-east-1.amazonaws.com/" + USER_POOL;
    }

    static String localKey() {
        return "127.0.0.1:9229/" + USER_POOL;
    }

    static String getId(String poolId, String loginKey, String idToken) {
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityPoolId", poolId);
        body.putObject("Logins").put(loginKey, idToken);
        return body.toString();
    }

    static String forIdentity(String identityId, String loginKey, String idToken) {
        ObjectNode body = AwsJson.mapper().createObjectNode().put("IdentityId", identityId);
        if (!loginKey.isEmpty()) {
            body.putObject("Logins").put(loginKey, idToken);
        }
        return body.toString();
    }
}
