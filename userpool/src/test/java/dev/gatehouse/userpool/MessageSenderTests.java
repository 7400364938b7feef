package dev.gatehouse.userpool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageSenderTests {

    private static OutgoingMessage to(String destination) {
        return new OutgoingMessage("SMS_MFA", "us-east-1_abc", "carol", destination, "", "Code 123456", "123456");
    }

    @Test
    void routingSmsWhenPhoneDestinationThenTextSenderElseEmailSender() {
        RecordingMessageSender email = new RecordingMessageSender();
        RecordingMessageSender sms = new RecordingMessageSender();
        MessageSender routing = MessageSender.routingSms(email, sms);

        routing.send(to("+15551234567"));
        routing.send(to("carol@example.com"));
        routing.send(to("+carol@example.com"));

        assertThat(sms.sent).extracting(OutgoingMessage::destination).containsExactly("+15551234567");
        assertThat(email.sent)
                .extracting(OutgoingMessage::destination)
                .containsExactly("carol@example.com", "+carol@example.com");
    }
}
