package dev.gatehouse.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwsJsonServiceTests {

    private static final Caller ADMIN = new Caller("AKIAEXAMPLE", "123456789012", "arn:aws:iam::123456789012:root");

    private final AtomicInteger authenticated = new AtomicInteger();
    private final AwsJsonService service =
            new AwsJsonService("TestService", "test", (request, signingName, operation) -> {
                authenticated.incrementAndGet();
                if (request.header("authorization").isEmpty()) {
                    throw new ServiceException(CommonErrors.missingAuthenticationToken());
                }
                return ADMIN;
            });

    AwsJsonServiceTests() {
        service.register("Echo", Operation.Auth.NONE, (input, context) -> {
            Input in = Input.of(input);
            String name = in.requiredString("Name", 1, 5);
            in.validate();
            return Map.of("Hello", name);
        });
        service.register(
                "Admin",
                Operation.Auth.SIGV4,
                (input, context) ->
                        Map.of("Caller", context.caller().orElseThrow().arn()));
        service.register("Fails", Operation.Auth.NONE, (input, context) -> {
            throw new IllegalStateException("secret detail");
        });
        service.register("Empty", Operation.Auth.NONE, (input, context) -> null);
    }

    @Test
    void dispatchWhenValidThenJsonBodyAndRequestId() throws Exception {
        AwsResponse response = service.dispatch(request("TestService.Echo", "{\"Name\":\"ann\"}", Map.of()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers())
                .containsEntry("Content-Type", AwsJson.CONTENT_TYPE)
                .containsEntry("x-amzn-RequestId", "r-1");
        assertThat(json(response).get("Hello").asText()).isEqualTo("ann");
    }

    @Test
    void dispatchWhenUnknownOperationThenUnknownOperationException() throws Exception {
        AwsResponse response = service.dispatch(request("TestService.Nope", "{}", Map.of()));
        assertError(response, 400, CommonErrors.UNKNOWN_OPERATION);
    }

    @Test
    void dispatchWhenOtherServicePrefixThenUnknownOperationException() throws Exception {
        AwsResponse response = service.dispatch(request("OtherService.Echo", "{\"Name\":\"ann\"}", Map.of()));
        assertError(response, 400, CommonErrors.UNKNOWN_OPERATION);
    }

    @Test
    void dispatchWhenMalformedJsonThenSerializationException() throws Exception {
        assertError(
                service.dispatch(request("TestService.Echo", "{\"Name\":", Map.of())), 400, CommonErrors.SERIALIZATION);
        assertError(service.dispatch(request("TestService.Echo", "[1,2]", Map.of())), 400, CommonErrors.SERIALIZATION);
        assertError(service.dispatch(request("TestService.Echo", "{} {}", Map.of())), 400, CommonErrors.SERIALIZATION);
    }

    @Test
    void dispatchWhenWrongTypeThenSerializationException() throws Exception {
        assertError(
                service.dispatch(request("TestService.Echo", "{\"Name\":5}", Map.of())),
                400,
                CommonErrors.SERIALIZATION);
    }

    @Test
    void dispatchWhenMissingOrLongFieldThenInvalidParameterWithAwsWording() throws Exception {
        AwsResponse missing = service.dispatch(request("TestService.Echo", "{}", Map.of()));
        assertError(missing, 400, CommonErrors.INVALID_PARAMETER);
        assertThat(json(missing).get("message").asText())
                .isEqualTo(
                        "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must not be null");
        AwsResponse tooLong = service.dispatch(request("TestService.Echo", "{\"Name\":\"abcdef\"}", Map.of()));
        assertThat(json(tooLong).get("message").asText()).contains("Member must have length less than or equal to 5");
    }

    @Test
    void dispatchWhenEmptyBodyThenTreatedAsEmptyObject() throws Exception {
        AwsResponse response = service.dispatch(request("TestService.Empty", "", Map.of()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void dispatchWhenOperationThrowsThenInternalErrorWithoutDetail() throws Exception {
        AwsResponse response = service.dispatch(request("TestService.Fails", "{}", Map.of()));
        assertError(response, 500, CommonErrors.INTERNAL_ERROR);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("secret detail");
    }

    @Test
    void dispatchWhenSignedOperationThenAuthenticatorRunsFirst() throws Exception {
        assertError(
                service.dispatch(request("TestService.Admin", "{}", Map.of())),
                400,
                CommonErrors.MISSING_AUTHENTICATION_TOKEN);
        AwsResponse signed =
                service.dispatch(request("TestService.Admin", "{}", Map.of("authorization", List.of("x"))));
        assertThat(json(signed).get("Caller").asText()).isEqualTo(ADMIN.arn());
    }

    @Test
    void dispatchWhenUnsignedOperationThenAuthenticatorNotCalled() {
        service.dispatch(request("TestService.Echo", "{\"Name\":\"ann\"}", Map.of()));
        assertThat(authenticated).hasValue(0);
    }

    @Test
    void registerWhenDuplicateThenIllegalState() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> service.register("Echo", Operation.Auth.NONE, (i, c) -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("operation Echo is already registered");
    }

    private static AwsRequest request(String target, String body, Map<String, List<String>> extraHeaders) {
        Map<String, List<String>> headers = new java.util.HashMap<>(extraHeaders);
        headers.put("x-amz-target", List.of(target));
        headers.put("content-type", List.of(AwsJson.CONTENT_TYPE));
        return new AwsRequest("POST", "/", "", headers, body.getBytes(StandardCharsets.UTF_8), "127.0.0.1", "r-1");
    }

    private static JsonNode json(AwsResponse response) throws Exception {
        return AwsJson.mapper().readTree(response.body());
    }

    private static void assertError(AwsResponse response, int status, String code) throws Exception {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.headers()).containsEntry("x-amzn-ErrorType", code);
        JsonNode body = json(response);
        assertThat(body.get("__type").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
    }
}
