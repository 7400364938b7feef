package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --web-port} / {@code GATEHOUSE_WEB_PORT} and the web port's default two above the AWS port. */
class WebPortOptionTests {

    @Test
    void parseWhenNothingGivenThenWebPortTwoAboveAwsPort() {
        assertThat(Main.parse(new String[0], Map.of()).webPort())
                .isEqualTo(9231)
                .isEqualTo(ServerConfig.DEFAULT_WEB_PORT);
        assertThat(Main.parse(new String[] {"--aws-port", "8000"}, Map.of()).webPort())
                .isEqualTo(8002);
        assertThat(Main.parse(new String[] {"--aws-port", "0"}, Map.of()).webPort())
                .isZero();
        assertThat(Main.parse(new String[] {"--aws-port", "65534"}, Map.of()).webPort())
                .isZero();
    }

    @Test
    void parseWhenWebPortFlagOrEnvironmentThenUsed() {
        assertThat(Main.parse(new String[] {"--web-port", "7001"}, Map.of()).webPort())
                .isEqualTo(7001);
        assertThat(Main.parse(new String[0], Map.of("GATEHOUSE_WEB_PORT", "0")).webPort())
                .isZero();
        assertThat(Main.parse(new String[] {"--web-port", "7002"}, Map.of("GATEHOUSE_WEB_PORT", "7003"))
                        .webPort())
                .isEqualTo(7002);
    }

    @Test
    void configWhenWebPortOutOfRangeThenRefused() {
        ServerConfig config = ServerConfig.defaults(Path.of("/tmp/gh"));

        assertThatThrownBy(() -> config.withWebPort(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("web port");
    }

    @Test
    void withAwsPortWhenCalledThenWebPortFollowsUnlessSetAfter() {
        ServerConfig config = ServerConfig.defaults(Path.of("/tmp/gh"));

        assertThat(config.withAwsPort(0).webPort()).isZero();
        assertThat(config.withAwsPort(9300).webPort()).isEqualTo(9302);
        assertThat(config.withAwsPort(9300).withWebPort(9500).webPort()).isEqualTo(9500);
    }
}
