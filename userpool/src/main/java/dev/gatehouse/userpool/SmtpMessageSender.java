package dev.gatehouse.userpool;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Objects;
import java.util.Properties;

/**
 * Delivers messages over SMTP (Jakarta Mail). One connection per message: codes are rare and a pooled connection
 * would need its own health checks. Blocking; call it off the event loop. The body, which carries the code, is never
 * logged and never put into an exception message.
 */
public final class SmtpMessageSender implements MessageSender {

    private final SmtpSettings settings;
    private final Clock clock;
    private final String protocol;
    private final Session session;

    public SmtpMessageSender(SmtpSettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** A sender whose messages are dated by {@code clock}. */
    public SmtpMessageSender(SmtpSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings cannot be null");
        this.clock = Objects.requireNonNull(clock, "clock cannot be null");
        this.protocol = settings.tls() == SmtpSettings.Tls.TLS ? "smtps" : "smtp";
        this.session = Session.getInstance(properties(settings));
    }

    /** The Jakarta Mail session properties for these settings. */
    static Properties properties(SmtpSettings settings) {
        String protocol = settings.tls() == SmtpSettings.Tls.TLS ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty(prefix + "host", settings.host());
        properties.setProperty(prefix + "port", Integer.toString(settings.port()));
        properties.setProperty(prefix + "from", settings.from());
        properties.setProperty(
                prefix + "connectiontimeout",
                Long.toString(settings.connectTimeout().toMillis()));
        properties.setProperty(
                prefix + "timeout", Long.toString(settings.readTimeout().toMillis()));
        properties.setProperty(
                prefix + "writetimeout", Long.toString(settings.readTimeout().toMillis()));
        properties.setProperty(prefix + "auth", Boolean.toString(settings.user().isPresent()));
        if (settings.tls() == SmtpSettings.Tls.STARTTLS) {
            // required: never fall back to plain text when the server does not offer STARTTLS
            properties.setProperty(prefix + "starttls.enable", "true");
            properties.setProperty(prefix + "starttls.required", "true");
        }
        if (settings.tls() != SmtpSettings.Tls.NONE) {
            properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        return properties;
    }

    @Override
    public void send(OutgoingMessage message) {
        try {
            MimeMessage mime = new MimeMessage(session);
            mime.setFrom(new InternetAddress(settings.from(), true));
            mime.setRecipient(Message.RecipientType.TO, new InternetAddress(message.destination(), true));
            mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
            mime.setText(message.body(), StandardCharsets.UTF_8.name());
            mime.setSentDate(Date.from(clock.instant()));
            mime.saveChanges();
            try (Transport transport = session.getTransport(protocol)) {
                transport.connect(
                        settings.host(),
                        settings.port(),
                        settings.user().orElse(null),
                        settings.secret().orElse(null));
                transport.sendMessage(mime, mime.getAllRecipients());
            }
        } catch (MessagingException | RuntimeException e) {
            String masked = OutboxMessageSender.mask(message.destination());
            throw new MessageDeliveryException(
                    "could not deliver a " + message.purpose() + " message to " + masked
                            + " via " + settings.host() + ":" + settings.port() + ": "
                            + rootCause(e).replace(message.destination(), masked),
                    e);
        }
    }

    /** What went wrong at the bottom (connection refused, authentication, TLS), for the operator's log. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage();
        return root.getClass().getSimpleName() + (text == null || text.isBlank() ? "" : " " + text.strip());
    }
}
