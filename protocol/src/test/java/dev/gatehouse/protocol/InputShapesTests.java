package dev.gatehouse.protocol;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputShapesTests {

    private static InputShapes shapes;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("shapes.json");
        Files.writeString(
                file,
                "{\"SignUp\":{\"structure\":{\"ClientId\":\"string\",\"Limit\":\"integer\","
                        + "\"Flag\":\"boolean\",\"When\":\"timestamp\",\"ClientMetadata\":{\"map\":\"string\"},"
                        + "\"UserAttributes\":{\"list\":{\"structure\":{\"Name\":\"string\",\"Value\":\"string\"}}}}}}");
        shapes = InputShapes.load(file.toUri().toURL());
    }

    private static JsonNode json(String text) throws IOException {
        return AwsJson.mapper().readTree(text);
    }

    @Test
    void checkWhenTypesMatchThenPasses() throws IOException {
        assertThatCode(() -> shapes.check(
                        "SignUp",
                        json("{\"ClientId\":\"a\",\"Limit\":3,\"Flag\":true,\"When\":1.5,"
                                + "\"ClientMetadata\":{\"k\":\"v\"},\"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"x\"}],"
                                + "\"Unknown\":[1,{}],\"ClientId2\":5}")))
                .doesNotThrowAnyException();
    }

    @Test
    void checkWhenNullMemberThenTreatedAsAbsent() throws IOException {
        assertThatCode(() -> shapes.check("SignUp", json("{\"ClientId\":null,\"ClientMetadata\":null}")))
                .doesNotThrowAnyException();
    }

    @Test
    void checkWhenUnusedMemberHasWrongTypeThenSerializationException() {
        assertSerialization("{\"ClientMetadata\":[1,2]}", "'clientMetadata'");
        assertSerialization("{\"ClientMetadata\":{\"k\":1}}", "'clientMetadata.k'");
        assertSerialization("{\"UserAttributes\":{\"Name\":\"x\"}}", "'userAttributes'");
        assertSerialization("{\"UserAttributes\":[{\"Name\":7}]}", "'userAttributes.member.Name'");
        assertSerialization("{\"Limit\":1.5}", "'limit'");
        assertSerialization("{\"Flag\":\"true\"}", "'flag'");
        assertSerialization("{\"When\":\"2024-01-01\"}", "'when'");
        assertSerialization("{\"ClientId\":{}}", "'clientId'");
    }

    @Test
    void checkWhenOperationNotInTableThenNothingChecked() {
        assertThatCode(() -> shapes.check("Other", json("{\"ClientId\":5}"))).doesNotThrowAnyException();
    }

    private static void assertSerialization(String body, String where) {
        assertThatThrownBy(() -> shapes.check("SignUp", json(body)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.error().code()).isEqualTo(CommonErrors.SERIALIZATION);
                    org.assertj.core.api.Assertions.assertThat(e.error().message())
                            .contains(where);
                });
    }
}
