package dev.gatehouse.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InputTests {

    private static ObjectNode parse(String json) throws Exception {
        return (ObjectNode) AwsJson.mapper().readTree(json);
    }

    @Test
    void validateWhenSeveralViolationsThenAllListedInOneMessage() throws Exception {
        Input in = Input.of(parse("{\"Password\":\"abc\"}"));
        in.requiredString("ClientId", 1, 128);
        in.requiredString("Password", 6, 256);
        assertThatThrownBy(in::validate).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.error().code()).isEqualTo(CommonErrors.INVALID_PARAMETER);
            assertThat(e.error().message())
                    .startsWith("2 validation errors detected: ")
                    .contains("'clientId'")
                    .contains("'password' failed to satisfy constraint: Member must have length greater")
                    .doesNotContain("abc");
        });
    }

    @Test
    void lengthWhenSupplementaryCharactersThenCountedAsCodePoints() throws Exception {
        Input in = Input.of(parse("{\"Name\":\"\\uD83D\\uDE00\\uD83D\\uDE00\"}"));
        assertThat(in.requiredString("Name", 1, 2)).hasSize(4);
        in.validate();
    }

    @Test
    void checkPatternWhenMismatchThenViolation() throws Exception {
        Input in = Input.of(parse("{}"));
        in.checkPattern("ClientId", Optional.of("a b"), Pattern.compile("[\\w+]+"));
        assertThatThrownBy(in::validate)
                .isInstanceOf(ServiceException.class)
                .hasMessageContaining("Member must satisfy regular expression pattern: [\\w+]+");
    }

    @Test
    void checkEnumWhenUnknownValueThenViolation() throws Exception {
        Input in = Input.of(parse("{}"));
        in.checkEnum("AuthFlow", Optional.of("MAGIC"), List.of("USER_PASSWORD_AUTH"));
        assertThatThrownBy(in::validate)
                .hasMessageContaining("Member must satisfy enum value set: [USER_PASSWORD_AUTH]");
    }

    @Test
    void readersWhenWrongJsonTypeThenSerializationException() throws Exception {
        Input in = Input.of(parse("{\"A\":1,\"B\":\"x\",\"C\":[1],\"D\":{\"k\":2},\"E\":\"true\"}"));
        assertSerialization(() -> in.optionalString("A", 0, 10));
        assertSerialization(() -> in.stringMap("B"));
        assertSerialization(() -> in.stringList("C"));
        assertSerialization(() -> in.stringMap("D"));
        assertSerialization(() -> in.optionalBoolean("E"));
        assertSerialization(() -> in.optionalLong("B", 0, 10));
    }

    @Test
    void readersWhenAbsentOrNullThenEmpty() throws Exception {
        Input in = Input.of(parse("{\"A\":null}"));
        assertThat(in.optionalString("A", 1, 2)).isEmpty();
        assertThat(in.stringMap("A")).isEmpty();
        assertThat(in.objectList("Missing")).isEmpty();
        assertThat(in.optionalLong("Missing", 0, 1)).isEmpty();
        in.validate();
    }

    @Test
    void optionalLongWhenOutOfRangeThenViolation() throws Exception {
        Input in = Input.of(parse("{\"Limit\":61}"));
        assertThat(in.optionalLong("Limit", 0, 60)).contains(61L);
        assertThatThrownBy(in::validate).hasMessageContaining("Member must have value less than or equal to 60");
    }

    private static void assertSerialization(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServiceException.class, e -> assertThat(
                        e.error().code())
                .isEqualTo(CommonErrors.SERIALIZATION));
    }
}
