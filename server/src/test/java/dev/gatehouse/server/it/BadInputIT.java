package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input sent by hand (what no SDK would send): every case gets an AWS error with HTTP 400, the documented
 * headers and no stack trace, nothing is stored, and the server keeps serving.
 */
class BadInputIT {

    @RegisterExtension
    static final GatehouseProcess GATEHOUSE = GatehouseProcess.create("bad-input");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> post(String operation, String body) {
        return RawAws.post(GATEHOUSE.endpoint(), operation, body);
    }

    private static String clientId() {
        return GATEHOUSE.outputs().userPoolClientId();
    }

    private static String signUpBody(String username) {
        return "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"" + username + "\",\"Password\":\""
                + TestUsers.PASSWORD + "\"}";
    }

    @AfterEach
    void serverKeepsServing() {
        HttpResponse<String> response = post("SignUp", signUpBody(TestUsers.email("still-serving")));
        assertThat(response.statusCode())
                .as("a valid SignUp after the bad input: %s", response.body())
                .isEqualTo(200);
        assertThat(GATEHOUSE.isAlive()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"ClientId\":",
                "not json",
                "{\"ClientId\":\"x\",}",
                "[]",
                "\"just a string\"",
                "{\"ClientId\":\"\\uZZZZ\"}"
            })
    void postWhenBodyIsNotAJsonObjectThenSerializationException(String body) {
        assertError(post("SignUp", body), "SerializationException");
    }

    @Test
    void postWhenFieldHasTheWrongTypeThenSerializationExceptionAndNothingStored() {
        String email = TestUsers.email("wrong-type");
        String base = "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"" + email + "\",\"Password\":\""
                + TestUsers.PASSWORD + "\"";

        assertError(
                post("SignUp", "{\"ClientId\":42,\"Username\":\"" + email + "\",\"Password\":\"x\"}"),
                "SerializationException");
        assertError(post("SignUp", base + ",\"UserAttributes\":\"email\"}"), "SerializationException");
        assertError(
                post("SignUp", base + ",\"UserAttributes\":[{\"Name\":\"email\",\"Value\":7}]}"),
                "SerializationException");
        String listUsers = "{\"UserPoolId\":\"" + GATEHOUSE.outputs().userPoolId() + "\",\"Limit\":\"ten\"}";
        assertError(
                RawAws.postSigned(
                        GATEHOUSE.endpoint(),
                        "ListUsers",
                        listUsers,
                        listUsers,
                        GATEHOUSE.adminCredentials(),
                        GATEHOUSE.outputs().region(),
                        "cognito-idp",
                        Clock.systemUTC()),
                "SerializationException");

        // nothing was stored for that address
        assertThat(post("SignUp", base + "}").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\"ClientMetadata\":[1,2]",
                "\"ValidationData\":{\"Name\":\"x\"}",
                "\"AnalyticsMetadata\":\"endpoint\"",
                "\"UserContextData\":5"
            })
    void postWhenAnOptionalFieldHasTheWrongTypeThenSerializationExceptionAndNothingStored(String field) {
        String email = TestUsers.email("wrong-type-optional");
        String base = "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"" + email + "\",\"Password\":\""
                + TestUsers.PASSWORD + "\"";

        assertError(post("SignUp", base + "," + field + "}"), "SerializationException");

        assertThat(post("SignUp", base + "}").statusCode()).isEqualTo(200);
    }

    @Test
    void postWhenTargetUnknownThenUnknownOperation() {
        assertError(post("NoSuchOperation", "{}"), "UnknownOperationException");
        // a service Gatehouse does not serve (DynamoDB's is served: see
        // postWhenDynamoDbUnsignedThenMissingAuthenticationToken)
        assertError(
                RawAws.post(
                        GATEHOUSE.endpoint(),
                        Map.of("X-Amz-Target", "Kinesis_20131202.PutRecord", "Content-Type", RawAws.CONTENT_TYPE),
                        "{}"),
                "UnknownOperationException");
        assertError(
                RawAws.post(GATEHOUSE.endpoint(), Map.of("Content-Type", RawAws.CONTENT_TYPE), "{}"),
                "UnknownOperationException");
    }

    @Test
    void postWhenDynamoDbUnsignedThenMissingAuthenticationToken() {
        // DynamoDB's API is served on this endpoint and, as on AWS, refuses a request that is not signed (in its own
        // AWS JSON 1.0)
        HttpResponse<String> response = RawAws.post(
                GATEHOUSE.endpoint(),
                Map.of("X-Amz-Target", "DynamoDB_20120810.GetItem", "Content-Type", "application/x-amz-json-1.0"),
                "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(errorType(response)).isEqualTo("MissingAuthenticationTokenException");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/x-amz-json-1.0"));
    }

    @Test
    void postWhenRequiredFieldMissingThenInvalidParameter() {
        assertError(
                post("SignUp", "{\"ClientId\":\"" + clientId() + "\",\"Password\":\"" + TestUsers.PASSWORD + "\"}"),
                "InvalidParameterException");
        assertError(
                post("ConfirmSignUp", "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"a@example.com\"}"),
                "InvalidParameterException");
        assertError(post("InitiateAuth", "{\"ClientId\":\"" + clientId() + "\"}"), "InvalidParameterException");
        assertError(post("GetUser", "{}"), "InvalidParameterException");
    }

    @Test
    void postWhenFieldTooLongThenInvalidParameterAndNothingStored() {
        String longName = "a".repeat(120) + "@example.com";
        assertError(post("SignUp", signUpBody(longName)), "InvalidParameterException");
        assertError(
                post(
                        "SignUp",
                        "{\"ClientId\":\"" + "c".repeat(129) + "\",\"Username\":\"x@example.com\"," + "\"Password\":\""
                                + TestUsers.PASSWORD + "\"}"),
                "InvalidParameterException");
        String email = TestUsers.email("long-password");
        assertError(
                post(
                        "SignUp",
                        "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"" + email + "\",\"Password\":\"Aa1!"
                                + "x".repeat(253) + "\"}"),
                "InvalidParameterException");
        assertThat(post("SignUp", signUpBody(email)).statusCode()).isEqualTo(200);
    }

    @Test
    void postWhenUnknownFieldsPresentThenIgnoredAsAwsDoes() {
        String email = TestUsers.email("extra-fields");
        HttpResponse<String> response = post(
                "SignUp",
                "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"" + email + "\",\"Password\":\""
                        + TestUsers.PASSWORD + "\",\"SomeFutureField\":{\"x\":[1,2]}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("UserSub").asText()).isNotBlank();
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith(RawAws.CONTENT_TYPE));
    }

    @Test
    void postWhenBodyHugeThenRefusedWithoutHarm() {
        String huge = "{\"ClientId\":\"" + clientId() + "\",\"Username\":\"" + "x".repeat(8 * 1024 * 1024) + "\"}";
        HttpResponse<String> response;
        try {
            response = post("SignUp", huge);
        } catch (AssertionError connectionClosed) {
            return; // closing the connection on an oversized body is fine too; @AfterEach checks the server still
            // serves
        }
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.body()).doesNotContain("\tat ", "dev.gatehouse", "java.");
    }

    /** Asserts HTTP 400, {@code __type} one of {@code codes} in body and header, JSON content type, no stack trace. */
    static void assertError(HttpResponse<String> response, String... codes) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(400);
        assertThat(errorType(response)).as("__type of %s", response.body()).isIn((Object[]) codes);
        assertThat(response.headers().firstValue("x-amzn-ErrorType"))
                .as("x-amzn-ErrorType")
                .hasValueSatisfying(v -> assertThat(v).startsWith(errorType(response)));
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith(RawAws.CONTENT_TYPE));
        assertThat(json(response).path("message").isTextual())
                .as("message in %s", response.body())
                .isTrue();
        assertThat(response.body()).doesNotContain("\tat ", "dev.gatehouse", "com.fasterxml", "java.lang");
    }

    /** The error code of an AWS JSON error response, with any {@code namespace#} prefix removed. */
    static String errorType(HttpResponse<String> response) {
        String type = json(response).path("__type").asText("");
        return type.substring(type.indexOf('#') + 1);
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
