package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StackOptionTests {

    @Test
    void parseWhenNoStackOptionsThenBuiltInTemplateInStageDev() {
        StackConfig stack = Main.parseStack(new String[0], Map.of());

        assertThat(stack.isBuiltIn()).isTrue();
        assertThat(stack.stage()).isEqualTo("dev");
        assertThat(stack.parameterOverrides()).isEmpty();
    }

    @Test
    void parseWhenTemplateOverridesAndStageThenAllTaken() {
        StackConfig stack = Main.parseStack(
                new String[] {
                    "--template",
                    "app/template.yaml",
                    "--parameter-overrides",
                    "Env=test Size=8",
                    "--parameter-overrides",
                    "Name=a=b",
                    "--stage",
                    "prod"
                },
                Map.of());

        assertThat(stack.template())
                .contains(Path.of("app/template.yaml").toAbsolutePath().normalize());
        assertThat(stack.parameterOverrides()).isEqualTo(Map.of("Env", "test", "Size", "8", "Name", "a=b"));
        assertThat(stack.stage()).isEqualTo("prod");
    }

    @Test
    void parseWhenStageFromEnvironmentThenTaken() {
        assertThat(Main.parseStack(new String[0], Map.of("GATEHOUSE_STAGE", "qa"))
                        .stage())
                .isEqualTo("qa");
    }

    @Test
    void parseWhenStageNotANameThenParameterException() {
        assertThatThrownBy(() -> Main.parseStack(new String[] {"--stage", "../x"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("stage must be a letter");
    }
}
