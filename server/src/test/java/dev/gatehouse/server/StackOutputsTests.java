package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackOutputsTests {

    @TempDir
    Path dir;

    private final StackOutputs outputs = StackOutputs.of(ordered());

    private static Map<String, String> ordered() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("Region", "us-east-1");
        values.put("AwsEndpoint", "http://127.0.0.1:9229");
        values.put("UserPoolId", "us-east-1_AbCdEf123");
        values.put("UserPoolClientId", "abcdefghijklmnopqrstuvwxyz");
        values.put("AdminCredentialsFile", "/tmp/x/admin-credentials");
        return values;
    }

    @Test
    void toTextWhenRenderedThenOutputsBlockInOrder() {
        assertThat(outputs.toText())
                .contains("Outputs:\n  Region: us-east-1\n  AwsEndpoint: http://127.0.0.1:9229\n"
                        + "  UserPoolId: us-east-1_AbCdEf123\n  UserPoolClientId: abcdefghijklmnopqrstuvwxyz\n"
                        + "  AdminCredentialsFile: /tmp/x/admin-credentials\n");
    }

    @Test
    void writeJsonWhenWrittenThenOneObjectWithEveryOutputInOrder() throws Exception {
        Path file = dir.resolve("sub/outputs.json");

        outputs.writeJson(file);

        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly("Region", "AwsEndpoint", "UserPoolId", "UserPoolClientId", "AdminCredentialsFile");
        assertThat(json.get("UserPoolId").asText()).isEqualTo("us-east-1_AbCdEf123");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeJsonWhenFileExistsThenReplaced() throws Exception {
        Path file = dir.resolve("outputs.json");
        Files.writeString(file, "stale and longer than the new content ".repeat(100));

        outputs.writeJson(file);

        assertThat(new ObjectMapper()
                        .readTree(Files.readString(file))
                        .get("Region")
                        .asText())
                .isEqualTo("us-east-1");
    }
}
