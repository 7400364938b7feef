package dev.gatehouse.userpool;

import java.util.ArrayList;
import java.util.List;

/** Keeps the messages a test's pool sends. */
final class RecordingMessageSender implements MessageSender {

    final List<OutgoingMessage> sent = new ArrayList<>();
    boolean failing;

    @Override
    public synchronized void send(OutgoingMessage message) {
        if (failing) {
            throw new MessageDeliveryException("no route", new IllegalStateException("down"));
        }
        sent.add(message);
    }

    synchronized OutgoingMessage last() {
        return sent.get(sent.size() - 1);
    }
}
