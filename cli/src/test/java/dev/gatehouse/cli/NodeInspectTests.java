package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeInspectTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    // node-inspect-cases.json: each "inspect" is what Node v20.20 util.inspect (console.dir's renderer) printed for the
    // JSON.parse of "json" (generated once with a 10-line node script; data, not code).
    static List<Arguments> cases() throws IOException {
        try (InputStream in = NodeInspectTests.class.getResourceAsStream("/node-inspect-cases.json")) {
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode c : JSON.readTree(in)) {
                cases.add(
                        Arguments.of(c.path("json").asText(), c.path("inspect").asText()));
            }
            return cases;
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inspectWhenNodeCaseThenSameTextAsNode(String json, String expected) throws IOException {
        assertThat(NodeInspect.inspect(JSON.readTree(json))).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("quotes")
    void quoteWhenTextHoldsQuotesThenPicksNodesQuote(String text, String expected) {
        assertThat(NodeInspect.quote(text)).isEqualTo(expected);
    }

    static List<Arguments> quotes() {
        return List.of(
                Arguments.of("plain", "'plain'"),
                Arguments.of("it's", "\"it's\""),
                Arguments.of("it's \"x\"", "`it's \"x\"`"),
                Arguments.of("a\tb\u0001", "'a\\tb\\x01'"),
                Arguments.of("back\\slash", "'back\\\\slash'"));
    }
}
