package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackOutputsTests {

    @TempDir
    Path dir;

    @Test
    void readWhenServerOutputsThenEveryStringValue() throws IOException {
        Path file = Files.writeString(
                dir.resolve("outputs.json"),
                """
        { "Region" : "us-east-1", "AwsEndpoint" : "http://127.0.0.1:9229", "Port" : 9229,
          "AdminCredentialsFile" : "/abs/admin-credentials" }
        """);

        StackOutputs outputs = StackOutputs.read(file);

        assertThat(outputs.get("Region")).contains("us-east-1");
        assertThat(outputs.get("AwsEndpoint")).contains("http://127.0.0.1:9229");
        assertThat(outputs.get("Port")).isEmpty();
        assertThat(outputs.adminCredentialsFile()).contains(Path.of("/abs/admin-credentials"));
        assertThat(outputs.toText())
                .isEqualTo("Region: us-east-1\nAwsEndpoint: http://127.0.0.1:9229\n"
                        + "AdminCredentialsFile: /abs/admin-credentials\n");
    }

    @Test
    void adminCredentialsFileWhenRelativeThenBesideTheOutputsFile() throws IOException {
        Path file =
                Files.writeString(dir.resolve("outputs.json"), "{\"AdminCredentialsFile\":\"data/admin-credentials\"}");

        assertThat(StackOutputs.read(file).adminCredentialsFile())
                .contains(dir.toAbsolutePath().resolve("data/admin-credentials"));
    }

    @Test
    void readWhenMissingThenUsageErrorSaysHowToWriteIt() {
        Path file = dir.resolve("nope.json");

        assertThatThrownBy(() -> StackOutputs.read(file))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("does not exist")
                .hasMessageContaining("--outputs-file " + file);
    }

    @Test
    void readWhenNotJsonThenUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), "Outputs:\n  Region: us-east-1\n");

        assertThatThrownBy(() -> StackOutputs.read(file))
                .isInstanceOfSatisfying(
                        CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.USAGE))
                .hasMessageContaining("is not JSON");
    }

    @Test
    void readWhenJsonArrayThenUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("outputs.json"), "[]");

        assertThatThrownBy(() -> StackOutputs.read(file))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("not a JSON object");
    }
}
