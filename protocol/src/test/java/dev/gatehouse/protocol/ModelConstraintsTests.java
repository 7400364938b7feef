package dev.gatehouse.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConstraintsTests {

    private static InputShapes shapes;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        // the shape gen-input-shapes.py writes for a CreateGroup-like input
        Path file = dir.resolve("shapes.json");
        Files.writeString(
                file,
                "{\"CreateGroup\":{\"required\":[\"GroupName\",\"UserPoolId\"],\"type\":{\"structure\":{"
                        + "\"GroupName\":{\"max\":128,\"min\":1,\"pattern\":\"[\\\\p{L}\\\\p{M}\\\\p{S}\\\\p{N}\\\\p{P}]+\","
                        + "\"type\":\"string\"},\"UserPoolId\":{\"max\":55,\"min\":1,\"type\":\"string\"},"
                        + "\"Precedence\":{\"min\":0,\"type\":\"integer\"},"
                        + "\"Secret\":{\"max\":3,\"sensitive\":true,\"type\":\"string\"},"
                        + "\"Flows\":{\"max\":3,\"type\":{\"list\":{\"enum\":[\"code\",\"implicit\"],\"type\":\"string\"}}},"
                        + "\"Attributes\":{\"type\":{\"list\":{\"required\":[\"Name\"],\"type\":{\"structure\":{"
                        + "\"Name\":{\"max\":4,\"type\":\"string\"}}}}}}}}}}");
        shapes = InputShapes.load(file.toUri().toURL());
    }

    private static JsonNode json(String text) throws IOException {
        return AwsJson.mapper().readTree(text);
    }

    @Test
    void violationsWhenInputValidThenNone() throws IOException {
        assertThat(shapes.violations(
                        "CreateGroup",
                        json("{\"GroupName\":\"admins\",\"UserPoolId\":\"p_1\","
                                + "\"Precedence\":0,\"Flows\":[\"code\"],\"Attributes\":[{\"Name\":\"ab\"}]}")))
                .isEmpty();
    }

    @Test
    void violationsWhenRequiredMissingThenValueNull() throws IOException {
        assertThat(shapes.violations("CreateGroup", json("{\"GroupName\":\"a\"}")))
                .containsExactly("Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void violationsWhenPatternLengthAndRangeBrokenThenEachReportedWithValue() throws IOException {
        assertThat(shapes.violations(
                        "CreateGroup", json("{\"GroupName\":\"a b\",\"UserPoolId\":\"\"," + "\"Precedence\":-1}")))
                .containsExactlyInAnyOrder(
                        "Value 'a b' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                                + "[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
                        "Value '-1' at 'precedence' failed to satisfy constraint: Member must have value greater than or equal to 0",
                        "Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1");
    }

    @Test
    void violationsWhenSensitiveMemberBrokenThenValueNotEchoed() throws IOException {
        assertThat(shapes.violations(
                        "CreateGroup", json("{\"GroupName\":\"a\",\"UserPoolId\":\"p\"," + "\"Secret\":\"hunter2\"}")))
                .containsExactly(
                        "Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3");
    }

    @Test
    void violationsWhenListElementBrokenThenListAndNestedPathsNamed() throws IOException {
        assertThat(shapes.violations(
                        "CreateGroup",
                        json("{\"GroupName\":\"a\",\"UserPoolId\":\"p\","
                                + "\"Flows\":[\"code\",\"token\"],"
                                + "\"Attributes\":[{\"Name\":\"ok\"},{\"Name\":\"toolong\"}]}")))
                .containsExactlyInAnyOrder(
                        "Value 'toolong' at 'attributes.2.member.name' failed to satisfy constraint: "
                                + "Member must have length less than or equal to 4",
                        "Value '[code, token]' at 'flows' failed to satisfy constraint: Member must satisfy constraint: "
                                + "[Member must satisfy enum value set: [code, implicit]]");
    }

    @Test
    void validateWhenTwoViolationsThenOneErrorCountingThem() throws IOException {
        assertThatThrownBy(() -> shapes.validate("CreateGroup", json("{}"), CommonErrors::invalidParameter))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.error().code()).isEqualTo("InvalidParameterException");
                    assertThat(e.error().message())
                            .startsWith("2 validation errors detected: Value null at 'groupName'");
                });
    }

    @Test
    void checkWhenWrappedTypeMismatchedThenSerializationException() throws IOException {
        assertThatThrownBy(() -> shapes.check("CreateGroup", json("{\"Precedence\":\"1\"}")))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.error().code()).isEqualTo("SerializationException"));
    }
}
