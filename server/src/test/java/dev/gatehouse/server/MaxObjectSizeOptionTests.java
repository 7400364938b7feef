package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --max-object-size} / {@code GATEHOUSE_MAX_OBJECT_SIZE}: the attachments bucket's object size limit. */
class MaxObjectSizeOptionTests {

    @Test
    void parseWhenNothingGivenThen100MiB() {
        assertThat(Main.parse(new String[0], Map.of()).maxObjectSize())
                .isEqualTo(100L << 20)
                .isEqualTo(ServerConfig.DEFAULT_MAX_OBJECT_SIZE);
    }

    @Test
    void parseWhenFlagOrEnvironmentThenUsed() {
        assertThat(Main.parse(new String[] {"--max-object-size", "1048576"}, Map.of())
                        .maxObjectSize())
                .isEqualTo(1 << 20);
        assertThat(Main.parse(new String[0], Map.of("GATEHOUSE_MAX_OBJECT_SIZE", "5000000000"))
                        .maxObjectSize())
                .isEqualTo(5_000_000_000L);
    }

    @Test
    void parseWhenZeroThenRefused() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--max-object-size", "0"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("max object size");
    }
}
