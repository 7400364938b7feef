package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;

/** With SMTP settings, the confirmation code goes to the mail server (an embedded GreenMail), not the outbox. */
class GatehouseServerSmtpTests {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", "s3cret-Pass"));

    @TempDir
    Path dir;

    private GatehouseServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void signUpWhenSmtpConfiguredThenCodeMailedAndNoOutbox() throws Exception {
        ServerConfig config = Main.parse(
                new String[] {
                    "--data-dir",
                    dir.resolve("data").toString(),
                    "--aws-port",
                    "0",
                    "--smtp-host",
                    "127.0.0.1",
                    "--smtp-port",
                    String.valueOf(MAIL.getSmtp().getPort()),
                    "--smtp-tls",
                    "none",
                    "--smtp-user",
                    "mailer",
                    "--smtp-from",
                    "auth@gatehouse.test"
                },
                java.util.Map.of("GATEHOUSE_SMTP_PASSWORD", "s3cret-Pass"));
        server = new GatehouseServer(config.withWorkers(2, 8));
        StackOutputs outputs = server.start();

        try (CognitoIdentityProviderClient client = CognitoIdentityProviderClient.builder()
                .endpointOverride(URI.create(outputs.get("AwsEndpoint").orElseThrow()))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            client.signUp(r -> r.clientId(outputs.get("UserPoolClientId").orElseThrow())
                    .username("mail@example.com")
                    .password("Passw0rd!"));
        }

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("mail@example.com");
        assertThat(received[0].getFrom()[0].toString()).isEqualTo("auth@gatehouse.test");
        assertThat(GreenMailUtil.getBody(received[0])).containsPattern("\\d{6}");
        assertThat(dir.resolve("data/outbox.jsonl")).doesNotExist();
    }
}
