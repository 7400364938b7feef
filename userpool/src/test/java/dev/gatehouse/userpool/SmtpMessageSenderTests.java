package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.gatehouse.store.MutableClock;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmtpMessageSenderTests {

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("mailer", "s3cret-Pass"));

    private static final OutgoingMessage CONFIRMATION = new OutgoingMessage(
            "SIGN_UP",
            "us-east-1_TestPool1",
            "6418b458-d091-705e-122e-0123456789ab",
            "alice@example.com",
            "Your verification code",
            "Your verification code is 493817.",
            "493817");

    private static SmtpSettings settings() {
        return SmtpSettings.of("127.0.0.1", MAIL.getSmtp().getPort(), SmtpSettings.Tls.NONE, "no-reply@gatehouse.test");
    }

    @Test
    void sendWhenServerAcceptsThenRecipientGetsSubjectAndCode() throws Exception {
        MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
        new SmtpMessageSender(settings(), clock).send(CONFIRMATION);

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getRecipients(Message.RecipientType.TO))
                .extracting(Object::toString)
                .containsExactly("alice@example.com");
        assertThat(received[0].getFrom()).extracting(Object::toString).containsExactly("no-reply@gatehouse.test");
        assertThat(received[0].getSubject()).isEqualTo("Your verification code");
        assertThat(GreenMailUtil.getBody(received[0])).contains("493817");
        assertThat(received[0].getSentDate().toInstant()).isEqualTo(clock.instant());
    }

    @Test
    void sendWhenCredentialsRightThenAuthenticatesAndDelivers() {
        new SmtpMessageSender(settings().withCredentials("mailer", "s3cret-Pass")).send(CONFIRMATION);

        assertThat(MAIL.getReceivedMessages()).hasSize(1);
    }

    @Test
    void sendWhenCredentialsWrongThenMessageDeliveryException() {
        SmtpMessageSender sender = new SmtpMessageSender(settings().withCredentials("mailer", "wrong"));

        assertThatThrownBy(() -> sender.send(CONFIRMATION))
                .isInstanceOf(MessageDeliveryException.class)
                .hasMessageContaining("AuthenticationFailedException");
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendWhenServerUnreachableThenMessageDeliveryExceptionWithoutTheCode() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SmtpSettings unreachable = SmtpSettings.of("127.0.0.1", closedPort, SmtpSettings.Tls.NONE, "a@gatehouse.test")
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));

        assertThatThrownBy(() -> new SmtpMessageSender(unreachable).send(CONFIRMATION))
                .isInstanceOf(MessageDeliveryException.class)
                .hasMessageContaining("a***@e***")
                .hasMessageContaining("ConnectException Connection refused")
                .hasMessageNotContaining("493817")
                .hasMessageNotContaining("alice@example.com");
    }

    @Test
    void sendWhenDestinationIsNoAddressThenMessageDeliveryException() {
        OutgoingMessage bad = new OutgoingMessage(
                "SIGN_UP", "us-east-1_TestPool1", "bob", "bob@example.com\r\nBcc: x@y", "subject", "code 1", "1");

        assertThatThrownBy(() -> new SmtpMessageSender(settings()).send(bad))
                .isInstanceOf(MessageDeliveryException.class);
        assertThat(MAIL.getReceivedMessages()).isEmpty();
    }

    @Test
    void propertiesWhenStartTlsThenUpgradeIsRequiredAndHostChecked() {
        Properties properties = SmtpMessageSender.properties(
                SmtpSettings.of("mail.example.com", 587, SmtpSettings.Tls.STARTTLS, "a@example.com"));

        assertThat(properties.getProperty("mail.smtp.starttls.enable")).isEqualTo("true");
        assertThat(properties.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
        assertThat(properties.getProperty("mail.smtp.ssl.checkserveridentity")).isEqualTo("true");
        assertThat(properties.getProperty("mail.smtp.connectiontimeout")).isEqualTo("10000");
        assertThat(properties.getProperty("mail.smtp.timeout")).isEqualTo("10000");
    }

    @Test
    void propertiesWhenImplicitTlsThenSmtpsWithHostCheck() {
        Properties properties = SmtpMessageSender.properties(
                SmtpSettings.of("mail.example.com", 465, SmtpSettings.Tls.TLS, "a@example.com")
                        .withCredentials("user", "secret"));

        assertThat(properties.getProperty("mail.transport.protocol")).isEqualTo("smtps");
        assertThat(properties.getProperty("mail.smtps.host")).isEqualTo("mail.example.com");
        assertThat(properties.getProperty("mail.smtps.auth")).isEqualTo("true");
        assertThat(properties.getProperty("mail.smtps.ssl.checkserveridentity")).isEqualTo("true");
        assertThat(properties.stringPropertyNames()).noneMatch(name -> name.contains("starttls"));
    }

    @Test
    void settingsWhenPrintedThenPasswordHidden() {
        SmtpSettings settings = settings().withCredentials("mailer", "s3cret-Pass");

        assertThat(settings.toString()).contains("mailer").doesNotContain("s3cret-Pass");
    }

    @Test
    void settingsWhenInvalidThenRejected() {
        assertThat(SmtpSettings.Tls.parse("StartTLS")).isEqualTo(SmtpSettings.Tls.STARTTLS);
        assertThatThrownBy(() -> SmtpSettings.Tls.parse("ssl")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SmtpSettings.of("host", 0, SmtpSettings.Tls.NONE, "a@b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SmtpSettings(
                        "host",
                        25,
                        SmtpSettings.Tls.NONE,
                        "user",
                        null,
                        "a@b",
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
