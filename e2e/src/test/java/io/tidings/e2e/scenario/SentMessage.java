package io.tidings.e2e.scenario;

import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.SendAck;
import java.util.List;

/**
 * One message the scenario sent, with who must get it and what the server acked. The
 * recipients are users: every device of each must get the message, except the sending device,
 * which may get its own copy once (on a pull) or not at all.
 */
final class SentMessage {

    private final String clientMessageId;
    private final ScenarioDevice sender;
    private final Conversation conversation;
    private final List<String> recipients;
    private final long sentAtNanos;
    private volatile long ackedAtNanos;
    private volatile String messageId;
    private volatile String failure;

    SentMessage(String clientMessageId, ScenarioDevice sender, Conversation conversation, List<String> recipients,
            long sentAtNanos) {
        this.clientMessageId = clientMessageId;
        this.sender = sender;
        this.conversation = conversation;
        this.recipients = List.copyOf(recipients);
        this.sentAtNanos = sentAtNanos;
    }

    void acked(SendAck ack, long nowNanos) {
        messageId = ack.getMessageId();
        ackedAtNanos = nowNanos;
    }

    void failed(Throwable cause) {
        failure = cause.toString();
    }

    String clientMessageId() {
        return clientMessageId;
    }

    ScenarioDevice sender() {
        return sender;
    }

    /** Returns the conversation from the sender's view: the peer or the group. */
    Conversation conversation() {
        return conversation;
    }

    List<String> recipients() {
        return recipients;
    }

    long sentAtNanos() {
        return sentAtNanos;
    }

    long ackedAtNanos() {
        return ackedAtNanos;
    }

    boolean isAcked() {
        return messageId != null;
    }

    /** Returns the server's message id, or null when the send was not acked. */
    String messageId() {
        return messageId;
    }

    /** Returns why the send failed, or null when it was acked or is still pending. */
    String failure() {
        return failure;
    }

    boolean isDone() {
        return messageId != null || failure != null;
    }
}
