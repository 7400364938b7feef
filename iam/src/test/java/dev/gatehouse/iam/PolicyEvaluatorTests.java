package dev.gatehouse.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table-driven evaluation tests: {@code policy/evaluation-cases.json} encodes the IAM User Guide's examples (each row
 * cites its source; see {@code policy/README.md} for the format).
 */
class PolicyEvaluatorTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_ACTION = "s3:GetObject";
    private static final String DEFAULT_RESOURCE = "arn:aws:s3:::b/k";

    static Stream<Arguments> cases() {
        JsonNode table = load("policy/evaluation-cases.json");
        JsonNode policies = table.get("policies");
        List<Arguments> rows = new ArrayList<>();
        for (JsonNode row : table.get("cases")) {
            rows.add(Arguments.of(row.get("name").asText(), row, policies));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluateWhenTableRowThenExpectedDecision(String name, JsonNode row, JsonNode policies) {
        Decision decision = PolicyEvaluator.evaluate(policies(row, policies), context(row));

        String expected = row.get("expected").asText();
        Optional<String> sid = row.has("sid") ? Optional.of(row.get("sid").asText()) : Optional.empty();
        switch (expected) {
            case "Allow" -> {
                assertThat(decision).as(row.get("doc").asText()).isInstanceOf(Decision.Allow.class);
                sid.ifPresent(s -> assertThat(((Decision.Allow) decision).sid()).contains(s));
            }
            case "ExplicitDeny" -> {
                assertThat(decision).as(row.get("doc").asText()).isInstanceOf(Decision.ExplicitDeny.class);
                sid.ifPresent(s ->
                        assertThat(((Decision.ExplicitDeny) decision).sid()).contains(s));
            }
            case "ImplicitDeny" -> assertThat(decision)
                    .as(row.get("doc").asText())
                    .isEqualTo(Decision.IMPLICIT_DENY);
            default -> throw new IllegalStateException("bad expected value in table: " + expected);
        }
    }

    @Test
    void evaluateWhenAllowMatchesThenAllowedIsTrue() {
        Decision decision = PolicyEvaluator.evaluate(
                List.of(allowAll()), RequestContext.builder("s3:GetObject", "*").build());

        assertThat(decision.allowed()).isTrue();
        assertThat(decision).isEqualTo(new Decision.Allow(Optional.of("All")));
    }

    @Test
    void evaluateWhenStatementHasNoSidThenDecisionCarriesEmptySid() {
        Policy policy = Policy.parse("{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}");

        RequestContext context = RequestContext.builder("s3:GetObject", "*").build();

        Decision decision = PolicyEvaluator.evaluate(List.of(allowAll(), policy), context);

        assertThat(decision).isEqualTo(new Decision.ExplicitDeny(Optional.empty()));
        assertThat(decision.allowed()).isFalse();
    }

    @Test
    void evaluateWhenNothingMatchesThenImplicitDenyIsNotAllowed() {
        assertThat(PolicyEvaluator.evaluate(
                                List.of(),
                                RequestContext.builder("s3:GetObject", "*").build())
                        .allowed())
                .isFalse();
    }

    @Test
    void evaluateWhenNullArgumentsThenNullPointerException() {
        RequestContext context = RequestContext.builder("s3:GetObject", "*").build();
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(null, context))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("policies cannot be null");
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(List.of(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("context cannot be null");
    }

    private static Policy allowAll() {
        return Policy.parse(
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\"}}");
    }

    private static List<Policy> policies(JsonNode row, JsonNode named) {
        List<Policy> out = new ArrayList<>();
        if (row.has("condition")) {
            ObjectNode statement = JSON.createObjectNode()
                    .put("Sid", "C")
                    .put("Effect", "Allow")
                    .put("Action", DEFAULT_ACTION)
                    .put("Resource", "*");
            statement.set("Condition", row.get("condition"));
            ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
            policy.set("Statement", statement);
            out.add(Policy.parse(policy.toString()));
        }
        if (row.has("policies")) {
            for (JsonNode name : row.get("policies")) {
                JsonNode document = named.get(name.asText());
                if (document == null) {
                    throw new IllegalStateException("unknown policy in table: " + name.asText());
                }
                out.add(Policy.parse(document.toString()));
            }
        }
        return out;
    }

    private static RequestContext context(JsonNode row) {
        String action = row.has("action") ? row.get("action").asText() : DEFAULT_ACTION;
        String resource = row.has("resource") ? row.get("resource").asText() : DEFAULT_RESOURCE;
        RequestContext.Builder builder = RequestContext.builder(action, resource);
        if (row.has("context")) {
            for (Iterator<Map.Entry<String, JsonNode>> keys = row.get("context").fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                List<String> values = new ArrayList<>();
                if (key.getValue().isArray()) {
                    key.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(key.getValue().asText());
                }
                builder.put(key.getKey(), values);
            }
        }
        return builder.build();
    }

    static JsonNode load(String resource) {
        try (InputStream in = PolicyEvaluatorTests.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
