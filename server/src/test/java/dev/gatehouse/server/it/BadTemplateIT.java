package dev.gatehouse.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A template Gatehouse cannot run stops the jar at start: exit status 1, one error line naming file, line, resource
 * and property, and no outputs file (nothing served).
 */
class BadTemplateIT {

    private static final String SAM = "Transform: AWS::Serverless-2016-10-31\nResources:\n";

    static Stream<Arguments> badTemplates() {
        return Stream.of(
                Arguments.of(
                        "unknown-type",
                        SAM + "  Queue:\n    Type: AWS::SQS::Queue\n",
                        "template.yaml:4: resource Queue, property Type: resource type AWS::SQS::Queue is not supported"),
                Arguments.of("yaml-error", SAM + "  A: [unclosed\n  B: x\n", "template.yaml:4: not valid YAML or JSON"),
                Arguments.of(
                        "ref-cycle",
                        SAM + "  A:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref B}\n"
                                + "  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: !Ref A}\n",
                        "template.yaml:4: resource A: Circular dependency between resources: [A, B]"),
                Arguments.of(
                        "unsupported-intrinsic",
                        SAM + "  A:\n    Type: AWS::S3::Bucket\n"
                                + "    Properties: {BucketName: !FindInMap [m, k, v]}\n",
                        "template.yaml:5: resource A, property BucketName: intrinsic function Fn::FindInMap is not supported"),
                Arguments.of(
                        "missing-handler-class",
                        SAM + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                                + "      Runtime: java17\n      Handler: example.Missing::handleRequest\n      CodeUri: classes\n",
                        "resource Fn, property Handler: example.Missing::handleRequest is not in"),
                Arguments.of(
                        "python-runtime",
                        SAM + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                                + "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src\n",
                        "template.yaml:6: resource Fn, property Runtime: runtime python3.12 is not supported yet"),
                Arguments.of(
                        "schedule-event",
                        SAM + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
                                + "      Runtime: nodejs20.x\n      Handler: app.handler\n      CodeUri: src\n"
                                + "      Events:\n        Nightly:\n          Type: Schedule\n"
                                + "          Properties: {Schedule: rate(1 day)}\n",
                        "template.yaml:11: resource Fn, property Events.Nightly.Type: event type Schedule is not"
                                + " supported: Gatehouse runs no scheduler"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTemplates")
    void startWhenTemplateCannotRunThenExitsNonZeroWithTheError(String name, String template, String error)
            throws IOException, InterruptedException {
        Path dir = GatehouseProcess.itRoot()
                .resolve("bad-template-" + name + "-"
                        + UUID.randomUUID().toString().substring(0, 6));
        Files.createDirectories(dir.resolve("classes"));
        Path file = Files.writeString(dir.resolve("template.yaml"), template);
        Path outputs = dir.resolve("outputs.json");
        Path log = dir.resolve("server.log");
        Process process = new ProcessBuilder(List.of(
                        GatehouseProcess.javaExecutable(),
                        "-Xmx256m",
                        "-jar",
                        GatehouseProcess.jar().toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--aws-port",
                        "0",
                        "--outputs-file",
                        outputs.toString(),
                        "--template",
                        file.toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("Gatehouse could not start: ").contains(error);
        assertThat(output).as("one line, no stack trace").doesNotContain("\tat dev.gatehouse");
        assertThat(outputs).doesNotExist();
    }
}
