package dev.gatehouse.tables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.protocol.AwsRequest;
import dev.gatehouse.protocol.AwsResponse;
import dev.gatehouse.store.testing.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compatibility suite: every request file under {@code compat/} runs against Gatehouse and against moto's
 * server (an independent open-source DynamoDB-API engine), step by step, and the answers are compared: success or
 * the error's type, and the members a step names. Where a step says {@code differs}, moto is known to answer
 * otherwise and AWS's documentation (the step's {@code source}) decides: Gatehouse must give AWS's answer. The table
 * of these differences is in docs/tables.md. Skipped, with the reason, when moto's server cannot be started.
 */
class MotoComparisonTests {

    private static final List<String> FILES = List.of("items.json", "query.json", "partiql.json");
    private static MotoServer moto;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startMoto() {
        try {
            moto = MotoServer.shared();
        } catch (IllegalStateException e) {
            Assumptions.abort("moto's server is not available, so the comparison cannot run: " + e.getMessage());
        }
    }

    static Stream<String> files() {
        return FILES.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void requestFileWhenRunOnBothThenAnswersAgreeOrGatehouseGivesAwsAnswer(String file) throws Exception {
        JsonNode spec = read(file);
        Api gatehouse = new Api();
        String suffix = "_" + System.nanoTime();
        gatehouse.ok("CreateTable", quoted(renamed(spec.get("table"), suffix)));
        Answer created = callMoto("CreateTable", renamed(spec.get("table"), suffix));
        assertThat(created.status()).as("moto CreateTable: %s", created.body()).isEqualTo(200);
        List<String> mismatches = new ArrayList<>();
        int index = 0;
        for (JsonNode step : spec.get("steps")) {
            JsonNode request = renamed(step.get("request"), suffix);
            Answer ours = callGatehouse(gatehouse, step.get("op").asText(), request);
            Answer theirs = callMoto(step.get("op").asText(), request);
            String where = file + " step " + index++ + " (" + step.get("op").asText() + ")";
            if (step.has("differs") && step.get("differs").has("expect")) {
                step.get("differs").get("expect").fields().forEachRemaining(e -> assertThat(
                                ours.body().get(e.getKey()))
                        .as(
                                "%s: %s as AWS answers it per %s",
                                where, e.getKey(), step.get("differs").get("source"))
                        .isEqualTo(e.getValue()));
                System.out.println("[compat] " + where + ": Gatehouse " + ours.body() + ", moto " + theirs.body());
                continue;
            }
            if (step.has("differs")) {
                assertThat(ours.outcome())
                        .as(
                                "%s: AWS's answer per %s",
                                where, step.get("differs").get("source"))
                        .isEqualTo(step.get("differs").get("aws").asText());
                System.out.println("[compat] " + where + ": Gatehouse " + ours.outcome() + ", moto " + theirs.outcome()
                        + " (documented: " + step.get("differs").get("aws").asText() + ")");
                continue;
            }
            if (!ours.outcome().equals(theirs.outcome())) {
                mismatches.add(where + ": Gatehouse " + ours.outcome() + " " + ours.body() + ", moto "
                        + theirs.outcome() + " " + theirs.body());
                continue;
            }
            for (JsonNode member : step.path("compare")) {
                String name = member.asText();
                JsonNode a = normalised(step.get("op").asText(), ours.body().get(name));
                JsonNode b = normalised(step.get("op").asText(), theirs.body().get(name));
                if (!java.util.Objects.equals(a, b)) {
                    mismatches.add(where + " member " + name + ": Gatehouse " + a + ", moto " + b);
                }
            }
        }
        assertThat(mismatches)
                .as("answers that differ and are not documented in the request file")
                .isEmpty();
    }

    /** Scan order is the engine's own: compare a Scan's items as a set. */
    private static JsonNode normalised(String operation, JsonNode value) {
        if (value == null || !operation.equals("Scan") || !value.isArray()) {
            return value;
        }
        List<JsonNode> items = new ArrayList<>();
        value.forEach(items::add);
        items.sort((x, y) -> x.toString().compareTo(y.toString()));
        return TableData.JSON.valueToTree(items);
    }

    private record Answer(int status, JsonNode body) {
        String errorType() {
            String type = body.path("__type").asText("");
            return type.substring(type.indexOf('#') + 1);
        }

        String outcome() {
            return status == 200 ? "OK" : errorType();
        }
    }

    private static Answer callGatehouse(Api api, String operation, JsonNode request) throws IOException {
        AwsRequest call = new AwsRequest(
                "POST",
                "/",
                "",
                Map.of(
                        "x-amz-target",
                        List.of("DynamoDB_20120810." + operation),
                        "content-type",
                        List.of("application/x-amz-json-1.0")),
                TableData.JSON.writeValueAsBytes(request),
                "127.0.0.1",
                "r1");
        AwsResponse response = api.service.dispatch(call);
        return new Answer(response.status(), TableData.JSON.readTree(response.body()));
    }

    private static Answer callMoto(String operation, JsonNode request) throws Exception {
        HttpRequest call = HttpRequest.newBuilder(URI.create(moto.endpoint() + "/"))
                .header("X-Amz-Target", "DynamoDB_20120810." + operation)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/dynamodb/aws4_request, "
                                + "SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TableData.JSON.writeValueAsBytes(request)))
                .build();
        HttpResponse<String> response = HTTP.send(call, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body;
        try {
            body = response.body().isEmpty()
                    ? TableData.JSON.createObjectNode()
                    : TableData.JSON.readTree(response.body());
        } catch (IOException e) {
            body = TableData.JSON
                    .createObjectNode()
                    .put("__type", "NotJson")
                    .put(
                            "raw",
                            response.body()
                                    .substring(0, Math.min(200, response.body().length())));
        }
        return new Answer(response.statusCode(), body);
    }

    /** The request with every table name given this run's suffix, so runs never meet in moto's shared server. */
    private static JsonNode renamed(JsonNode request, String suffix) throws IOException {
        String text = TableData.JSON.writeValueAsString(request).replaceAll("(compat_[a-z]+)", "$1" + suffix);
        return TableData.JSON.readTree(text);
    }

    private static String quoted(JsonNode request) throws IOException {
        return TableData.JSON.writeValueAsString(request).replace('"', '\'');
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = MotoComparisonTests.class.getResourceAsStream("/compat/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing request file compat/" + file);
            }
            return (ObjectNode) TableData.JSON.readTree(in);
        }
    }
}
