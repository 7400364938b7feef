package dev.gatehouse.server;

import dev.gatehouse.userpool.MessageSender;
import dev.gatehouse.userpool.OutboxMessageSender;
import dev.gatehouse.userpool.SmtpMessageSender;
import dev.gatehouse.userpool.SmtpSettings;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the pools' messages go: SMTP when configured, else the data dir's outbox; text messages always the outbox. */
final class MessageSenders {

    private static final Logger LOG = LoggerFactory.getLogger(GatehouseServer.class);

    private MessageSenders() {}

    static MessageSender forConfig(Optional<ServerConfig.Smtp> smtp, DataDirectory dataDir, Clock clock) {
        if (smtp.isEmpty()) {
            OutboxMessageSender outbox = OutboxMessageSender.inDataDir(dataDir.root(), clock);
            LOG.info("No SMTP server configured: emails (with their codes) go to {} and this log", outbox.file());
            return outbox;
        }
        ServerConfig.Smtp mail = smtp.get();
        SmtpSettings settings =
                SmtpSettings.of(mail.host(), mail.port(), SmtpSettings.Tls.parse(mail.tls()), mail.from());
        if (mail.username().isPresent() && mail.secret().isPresent()) {
            settings = settings.withCredentials(
                    mail.username().get(), mail.secret().get());
        }
        LOG.info("Emails are delivered by SMTP via {}:{} ({})", mail.host(), mail.port(), mail.tls());
        OutboxMessageSender texts = OutboxMessageSender.inDataDir(dataDir.root(), clock);
        LOG.info("There is no SMS gateway: text messages (SMS MFA codes) go to {} and this log", texts.file());
        return MessageSender.routingSms(new SmtpMessageSender(settings, clock), texts);
    }
}
