package io.tidings.routing.send;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.ids.MessageIdGenerator;
import io.tidings.routing.ids.MessageIdGenerator.MessageId;
import io.tidings.routing.kafka.KafkaWriter;
import io.tidings.routing.metrics.RoutingMetrics;
import io.tidings.routing.send.DedupStore.Acked;
import io.tidings.routing.send.DedupStore.Claim;
import io.tidings.routing.send.DedupStore.Claimed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Accepts a validated message: de-duplicates it on (scope, client message id), gives it a message
 * id and server time, writes its MessageRecord to the messages topic and returns the SendAck once
 * Kafka acknowledged the write. Every path that creates messages (client sends, app system
 * messages, group events) goes through here.
 *
 * <p>The steps from picking the message id to queuing the record in the producer run in the
 * conversation's turn ({@link ConversationSequencer}), so the ids of one conversation grow in
 * partition order; waiting for Kafka's ack does not hold the turn.
 */
@ApplicationScoped
public class MessageAcceptor {

    private static final Duration PENDING_POLL_INTERVAL = Duration.ofMillis(50);

    private final DedupStore dedup;
    private final ConversationSequencer sequencer;
    private final MessageIdGenerator ids;
    private final KafkaWriter kafka;
    private final RoutingMetrics metrics;
    private final String messagesTopic;
    private final Duration pendingWait;

    public MessageAcceptor(DedupStore dedup, ConversationSequencer sequencer, MessageIdGenerator ids, KafkaWriter kafka,
            RoutingMetrics metrics, RoutingConfig config) {
        this.dedup = dedup;
        this.sequencer = sequencer;
        this.ids = ids;
        this.kafka = kafka;
        this.metrics = metrics;
        this.messagesTopic = config.kafka().messagesTopic();
        this.pendingWait = config.dedup().pendingWait();
    }

    /**
     * A message ready to be accepted.
     *
     * @param dedupScope {@code u:<sender>}, {@code s:<from>} or {@code g:<group>}, see {@link DedupStore}
     * @param message the message without message id and server time
     * @param recipientIds explicit recipients for the MessageRecord, or empty
     * @param kafkaKey the record key on the messages topic
     * @param admission checks that run only for a new message, for example group membership, so
     *     a retry of an acked send skips them and gets its original ack. Null when there are none.
     */
    public record Submission(
            String dedupScope,
            Message message,
            List<String> recipientIds,
            String kafkaKey,
            Supplier<Uni<Void>> admission) {
    }

    public Uni<SendAck> accept(Submission submission) {
        String key = DedupStore.key(submission.dedupScope(), submission.message().getClientMessageId());
        long deadline = System.currentTimeMillis() + pendingWait.toMillis();
        return attempt(submission, key, deadline);
    }

    /** Claims the marker in the conversation's turn; the turn ends when the record is queued or the attempt ends. */
    private Uni<SendAck> attempt(Submission submission, String key, long deadline) {
        return sequencer.acquire(submission.kafkaKey()).chain(turn -> {
            MessageId candidate = ids.next();
            return dedup.claim(key, candidate.id(), candidate.time())
                    .chain(claim -> {
                        if (claim instanceof Acked acked) {
                            turn.release();
                            metrics.duplicateSend();
                            Log.debugf("Duplicate send key=%s returns messageId=%s", key, acked.ack().getMessageId());
                            return Uni.createFrom().item(acked.ack());
                        }
                        if (claim instanceof Claimed claimed) {
                            return admitAndWrite(submission, key, claimed, turn);
                        }
                        turn.release();
                        return waitForPending(submission, key, deadline);
                    })
                    .onTermination().invoke(turn::release);
        });
    }

    /** Waits while another attempt owns the marker, then claims again: it returns its ack or gives up. */
    private Uni<SendAck> waitForPending(Submission submission, String key, long deadline) {
        if (System.currentTimeMillis() >= deadline) {
            return Uni.createFrom().failure(new TidingsException(ErrorCode.TIMEOUT,
                    "an earlier send with client_message_id '" + submission.message().getClientMessageId()
                            + "' is still in progress after " + pendingWait.toMillis() + " ms; retry with the same client_message_id"));
        }
        return Uni.createFrom().voidItem()
                .onItem().delayIt().by(PENDING_POLL_INTERVAL)
                .chain(() -> attempt(submission, key, deadline));
    }

    private Uni<SendAck> admitAndWrite(Submission submission, String key, Claimed claim, ConversationSequencer.Turn turn) {
        Uni<Void> admission = submission.admission() == null
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().deferred(() -> submission.admission().get());
        return admission
                .onFailure().invoke(turn::release)
                .onFailure().call(failure -> giveUp(key, claim))
                .chain(() -> write(submission, key, claim, turn));
    }

    private Uni<SendAck> write(Submission submission, String key, Claimed claim, ConversationSequencer.Turn turn) {
        Message message = submission.message().toBuilder()
                .setMessageId(claim.messageId())
                .setServerTime(claim.serverTime())
                .build();
        MessageRecord record = MessageRecord.newBuilder()
                .setMessage(message)
                .addAllRecipientIds(submission.recipientIds())
                .build();
        SendAck ack = SendAck.newBuilder()
                .setClientMessageId(message.getClientMessageId())
                .setMessageId(message.getMessageId())
                .setServerTime(message.getServerTime())
                .build();
        return kafka.write(messagesTopic, submission.kafkaKey(), record.toByteArray(), turn::release)
                .onFailure().call(failure -> {
                    Log.warnf("Kafka write failed messageId=%s senderId=%s deviceId=%s: %s", message.getMessageId(),
                            message.getSenderId(), message.getSenderDeviceId(), failure.getMessage());
                    return release(key, claim);
                })
                .chain(metadata -> {
                    metrics.messageAccepted(message.getConversation().getType());
                    Log.debugf("Accepted messageId=%s senderId=%s deviceId=%s key=%s partition=%d offset=%d",
                            message.getMessageId(), message.getSenderId(), message.getSenderDeviceId(),
                            submission.kafkaKey(), metadata.partition(), metadata.offset());
                    return dedup.complete(key, ack).onFailure().recoverWithUni(failure -> {
                        // The message is committed, so the sender still gets its ack. A retry
                        // after the lease takes the marker over and re-sends under the same id.
                        Log.warnf("Storing the ack failed messageId=%s key=%s: %s", message.getMessageId(), key,
                                failure.getMessage());
                        return Uni.createFrom().voidItem();
                    });
                })
                .replaceWith(ack);
    }

    /** Undoes a claim after a rejected admission: nothing was written under a fresh claim. */
    private Uni<Void> giveUp(String key, Claimed claim) {
        return claim.fresh() ? quietly(dedup.abandon(key, claim), key) : release(key, claim);
    }

    private Uni<Void> release(String key, Claimed claim) {
        return quietly(dedup.release(key, claim), key);
    }

    /** Runs a clean-up step whose failure only delays retries until the lease ends. */
    private static Uni<Void> quietly(Uni<Void> cleanup, String key) {
        return cleanup.onFailure().recoverWithUni(failure -> {
            Log.warnf("Releasing de-duplication key %s failed, a retry waits for its lease: %s", key,
                    failure.getMessage());
            return Uni.createFrom().voidItem();
        });
    }
}
