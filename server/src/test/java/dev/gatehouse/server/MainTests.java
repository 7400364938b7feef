package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTests {

    @Test
    void parseWhenNothingGivenThenDefaults() {
        ServerConfig config = Main.parse(new String[0], Map.of());

        assertThat(config.dataDir())
                .isEqualTo(Path.of(".gatehouse").toAbsolutePath().normalize());
        assertThat(config.outputs()).isEmpty();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.awsPort()).isEqualTo(9229);
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.mail()).isEmpty();
        assertThat(config.issuerStyle()).isEqualTo(ServerConfig.IssuerStyle.LOCAL);
    }

    @Test
    void parseWhenFlagsGivenThenFlagsUsed() {
        ServerConfig config = Main.parse(
                new String[] {
                    "--data-dir",
                    "/tmp/gh-data",
                    "--outputs-file",
                    "/tmp/out.json",
                    "--host",
                    "0.0.0.0",
                    "--aws-port",
                    "0",
                    "--region",
                    "eu-west-1",
                    "--issuer-style",
                    "aws"
                },
                Map.of());

        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/gh-data"));
        assertThat(config.outputs()).contains(Path.of("/tmp/out.json"));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.awsPort()).isZero();
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.issuerStyle()).isEqualTo(ServerConfig.IssuerStyle.AWS);
    }

    @Test
    void parseWhenEnvironmentSetThenEnvironmentUsed() {
        Map<String, String> env = Map.of(
                "GATEHOUSE_DATA_DIR",
                "/var/gh",
                "GATEHOUSE_AWS_PORT",
                "7000",
                "GATEHOUSE_REGION",
                "ap-southeast-2",
                "GATEHOUSE_OUTPUTS_FILE",
                "/tmp/o.json",
                "GATEHOUSE_SMTP_HOST",
                "mail.example.com",
                "GATEHOUSE_SMTP_USER",
                "mailer",
                "GATEHOUSE_SMTP_PASSWORD",
                "s3cret",
                "GATEHOUSE_SMTP_TLS",
                "TLS",
                "GATEHOUSE_SMTP_PORT",
                "465");

        ServerConfig config = Main.parse(new String[0], env);

        assertThat(config.dataDir()).isEqualTo(Path.of("/var/gh"));
        assertThat(config.awsPort()).isEqualTo(7000);
        assertThat(config.region()).isEqualTo("ap-southeast-2");
        assertThat(config.outputs()).contains(Path.of("/tmp/o.json"));
        ServerConfig.Smtp smtp = config.mail().orElseThrow();
        assertThat(smtp.host()).isEqualTo("mail.example.com");
        assertThat(smtp.port()).isEqualTo(465);
        assertThat(smtp.tls()).isEqualTo("tls");
        assertThat(smtp.username()).contains("mailer");
        assertThat(smtp.secret()).contains("s3cret");
        assertThat(smtp.from()).isEqualTo("no-reply@verificationemail.com");
        assertThat(smtp.toString()).doesNotContain("s3cret");
    }

    @Test
    void parseWhenFlagAndEnvironmentThenFlagWins() {
        ServerConfig config = Main.parse(new String[] {"--aws-port", "8001"}, Map.of("GATEHOUSE_AWS_PORT", "7000"));

        assertThat(config.awsPort()).isEqualTo(8001);
    }

    @Test
    void parseWhenPortOutOfRangeThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--aws-port", "70000"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("aws port");
    }

    @Test
    void parseWhenPortNotANumberThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[0], Map.of("GATEHOUSE_AWS_PORT", "abc")))
                .isInstanceOf(CommandLine.ParameterException.class);
    }

    @Test
    void parseWhenUnknownIssuerStyleThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--issuer-style", "google"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("issuer style");
    }

    @Test
    void parseWhenBadSmtpTlsThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--smtp-host", "localhost", "--smtp-tls", "ssl3"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("smtp tls");
    }

    @Test
    void parseWhenSmtpUserWithoutPasswordThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--smtp-host", "localhost", "--smtp-user", "me"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("GATEHOUSE_SMTP_PASSWORD");
    }

    @Test
    void parseWhenBadRegionThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--region", "moon"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("region");
    }

    @Test
    void environmentNameWhenDashedOptionThenUpperSnakeCase() {
        assertThat(Main.environmentName("--smtp-password")).isEqualTo("GATEHOUSE_SMTP_PASSWORD");
        assertThat(Main.environmentName("--data-dir")).isEqualTo("GATEHOUSE_DATA_DIR");
    }

    @Test
    void runWhenHelpRequestedThenUsageAndZero() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            code = Main.run(new String[] {"--help"}, Map.of(), System.out);
        } finally {
            System.setOut(previous);
        }
        assertThat(code).isZero();
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("--data-dir")
                .contains("GATEHOUSE_");
    }

    @Test
    void parseWhenBadSmtpTlsWithoutSmtpHostThenParameterException() {
        assertThatThrownBy(() -> Main.parse(new String[] {"--smtp-tls", "foo"}, Map.of()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("none, starttls or tls, not foo");
    }

    @Test
    void runWhenUnknownStoreOrIssuerStyleThenOneLineErrorAndNoStackTrace() {
        for (String[] args : new String[][] {{"--store", "mongo"}, {"--issuer-style", "foo"}, {"--smtp-tls", "foo"}}) {
            StringWriter err = new StringWriter();

            int code = Main.run(args, Map.of(), System.out, new PrintWriter(err, true));

            assertThat(code).as("%s", (Object) args).isEqualTo(2);
            assertThat(err.toString())
                    .as("%s", (Object) args)
                    .contains("not " + args[1])
                    .contains("--help")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ")
                    .doesNotContain("--data-dir");
        }
    }

    @Test
    void runWhenOptionMistypedThenDidYouMeanAndNotTheWholeHelp() {
        StringWriter err = new StringWriter();

        int code = Main.run(new String[] {"--aws-prot", "9000"}, Map.of(), System.out, new PrintWriter(err, true));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("Unknown option")
                .contains("'--aws-prot'")
                .contains("Did you mean: --aws-port")
                .doesNotContain("--data-dir")
                .doesNotContain("--smtp-host");
        assertThat(err.toString().lines()).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void helpWhenPrintedThenDefaultsComeFromServerConfig() {
        String help = new CommandLine(Main.class).getUsageMessage();

        assertThat(help)
                .contains("Default: " + ServerConfig.DEFAULT_AWS_PORT)
                .contains("(" + ServerConfig.DEFAULT_API_PORT + ")")
                .contains(ServerConfig.DEFAULT_SMTP_FROM)
                .contains(Long.toString(ServerConfig.DEFAULT_MAX_OBJECT_SIZE));
    }
}
