package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --api-port} / {@code GATEHOUSE_API_PORT} and the API port's default next to the AWS port. */
class ApiPortOptionTests {

    @Test
    void parseWhenNothingGivenThenApiPortNextToAwsPort() {
        ServerConfig config = Main.parse(new String[0], Map.of());

        assertThat(config.apiPort()).isEqualTo(9230).isEqualTo(ServerConfig.DEFAULT_API_PORT);
    }

    @Test
    void parseWhenOnlyAwsPortGivenThenApiPortFollowsIt() {
        assertThat(Main.parse(new String[] {"--aws-port", "8000"}, Map.of()).apiPort())
                .isEqualTo(8001);
        assertThat(Main.parse(new String[] {"--aws-port", "0"}, Map.of()).apiPort())
                .isZero();
        assertThat(Main.parse(new String[] {"--aws-port", "65535"}, Map.of()).apiPort())
                .isZero();
    }

    @Test
    void parseWhenApiPortFlagOrEnvironmentThenUsed() {
        assertThat(Main.parse(new String[] {"--api-port", "7001"}, Map.of()).apiPort())
                .isEqualTo(7001);
        assertThat(Main.parse(new String[0], Map.of("GATEHOUSE_API_PORT", "0")).apiPort())
                .isZero();
        assertThat(Main.parse(new String[] {"--api-port", "7002"}, Map.of("GATEHOUSE_API_PORT", "7003"))
                        .apiPort())
                .isEqualTo(7002);
    }

    @Test
    void configWhenApiPortOutOfRangeThenRefused() {
        ServerConfig config = ServerConfig.defaults(Path.of("/tmp/gh"));

        assertThatThrownBy(() -> config.withApiPort(65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("api port");
        assertThatThrownBy(() -> config.withApiPort(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withAwsPortWhenCalledThenApiPortNextToItUnlessSetAfter() {
        ServerConfig config = ServerConfig.defaults(Path.of("/tmp/gh"));

        assertThat(config.withAwsPort(0).apiPort()).isZero();
        assertThat(config.withAwsPort(9300).apiPort()).isEqualTo(9301);
        assertThat(config.withAwsPort(9300).withApiPort(9400).apiPort()).isEqualTo(9400);
    }
}
