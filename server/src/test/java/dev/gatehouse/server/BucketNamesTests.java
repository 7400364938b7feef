package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BucketNamesTests {

    @Test
    void generatedWhenNamesHaveCapitalsAndSymbolsThenLowerCaseStackLogicalIdAndSuffix() {
        assertThat(BucketNames.generated("My_App", "Uploads", "abc123def456")).isEqualTo("myapp-uploads-abc123def456");
    }

    @Test
    void generatedWhenTooLongThenShortenedToSixtyThreeAndStillValid() {
        String name = BucketNames.generated("a".repeat(40), "B".repeat(40), "abc123def456");

        assertThat(name).hasSize(63).endsWith("-abc123def456").startsWith("aaaa");
        assertThat(BucketNames.check("B", name, List.of())).isEqualTo(name);
    }

    @Test
    void checkWhenNameBreaksS3RulesOrIsTakenThenStackExceptionNamingResourceAndProperty() {
        assertThatThrownBy(() -> BucketNames.check("Files", "My_Bucket", List.of()))
                .isInstanceOf(StackException.class)
                .hasMessageStartingWith("resource Files, property BucketName: My_Bucket is not a valid bucket name");
        assertThatThrownBy(() -> BucketNames.check("Files", "192.168.1.1", List.of()))
                .isInstanceOf(StackException.class);
        assertThatThrownBy(() -> BucketNames.check("Files", "a..b", List.of())).isInstanceOf(StackException.class);
        assertThatThrownBy(() -> BucketNames.check("Other", "shared", List.of("shared")))
                .isInstanceOf(StackException.class)
                .hasMessage("resource Other, property BucketName: shared already exists in this stack");
        assertThat(BucketNames.check("Files", "my.files-1", List.of("shared"))).isEqualTo("my.files-1");
    }
}
