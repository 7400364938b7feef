package dev.gatehouse.tables;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.AwsResponse;
import dev.gatehouse.store.InMemoryItemStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Drives a {@link DynamoDbService} over an in-memory store with JSON text, as a client would. */
final class Api {

    final DynamoDbService service;
    int status;
    JsonNode body;

    Api() {
        this(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    Api(Clock clock) {
        this(new InMemoryItemStore(clock), clock);
    }

    Api(dev.gatehouse.store.ItemStore store, Clock clock) {
        service = new DynamoDbService(store, clock, "us-east-1", "123456789012", TablesAuthorizer.allowAll());
    }

    static Clock fixedClock() {
        return Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    }

    /** Calls the operation; single quotes in {@code json} stand for double quotes. */
    JsonNode call(String operation, String json) {
        AwsRequest request = new AwsRequest(
                "POST",
                "/",
                "",
                Map.of(
                        "x-amz-target",
                        List.of("DynamoDB_20120810." + operation),
                        "content-type",
                        List.of("application/x-amz-json-1.0")),
                json.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
                "127.0.0.1",
                "r1");
        AwsResponse response = service.dispatch(request);
        status = response.status();
        try {
            body = TableData.JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return body;
    }

    /** Calls and expects success. */
    JsonNode ok(String operation, String json) {
        JsonNode out = call(operation, json);
        if (status != 200) {
            throw new AssertionError(operation + " failed: " + out);
        }
        return out;
    }

    /** Calls and returns the error message, expecting a failure. */
    String error(String operation, String json) {
        JsonNode out = call(operation, json);
        if (status == 200) {
            throw new AssertionError(operation + " succeeded: " + out);
        }
        return out.has("message")
                ? out.get("message").asText()
                : out.path("Message").asText();
    }

    String type() {
        return body.path("__type").asText();
    }

    /** A PAY_PER_REQUEST table keyed pk (S) and, if given, sk of the given type. */
    void table(String name, String sortType) {
        String sort = sortType == null ? "" : ",{'AttributeName':'sk','KeyType':'RANGE'}";
        String sortDef = sortType == null ? "" : ",{'AttributeName':'sk','AttributeType':'" + sortType + "'}";
        ok(
                "CreateTable",
                "{'TableName':'" + name + "','BillingMode':'PAY_PER_REQUEST',"
                        + "'KeySchema':[{'AttributeName':'pk','KeyType':'HASH'}" + sort + "],"
                        + "'AttributeDefinitions':[{'AttributeName':'pk','AttributeType':'S'}" + sortDef + "]}");
    }
}
