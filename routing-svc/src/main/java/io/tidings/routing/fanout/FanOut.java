package io.tidings.routing.fanout;

import io.quarkus.logging.Log;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.routing.metrics.RoutingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Fans out a batch of accepted messages from one partition, in order. For each message it finds
 * the recipients and appends their copies to their inboxes. Then it delivers the batch's copies
 * to live devices and writes push events for the users that were not reached.
 *
 * <p>A message whose appends fail stops the batch there: the messages before it are delivered
 * and count as done, and the caller must fan out the failed one again later. Blocks; the fan-out
 * consumer calls it from its worker threads.
 */
@ApplicationScoped
public class FanOut {

    private final Recipients recipients;
    private final InboxAppender inbox;
    private final LiveDelivery delivery;
    private final PushEvents pushEvents;
    private final RoutingMetrics metrics;

    public FanOut(Recipients recipients, InboxAppender inbox, LiveDelivery delivery, PushEvents pushEvents, RoutingMetrics metrics) {
        this.recipients = recipients;
        this.inbox = inbox;
        this.delivery = delivery;
        this.pushEvents = pushEvents;
        this.metrics = metrics;
    }

    /**
     * The result of a batch.
     *
     * @param done how many records from the start of the batch are completely fanned out
     * @param failure why the record after them failed, or null when all are done
     */
    public record Outcome(int done, RuntimeException failure) {
    }

    public Outcome fanOut(List<MessageRecord> records) {
        List<Copy> copies = new ArrayList<>();
        int done = 0;
        RuntimeException failure = null;
        for (MessageRecord record : records) {
            try {
                copies.addAll(store(record));
                done++;
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        if (!copies.isEmpty()) {
            try {
                pushEvents.produce(delivery.deliver(copies));
            } catch (RuntimeException e) {
                // Live delivery fails only when it times out as a whole, and push events when Kafka
                // fails. Redo the whole batch, because appends are idempotent and devices drop
                // Deliver frames they already have.
                return new Outcome(0, e);
            }
        }
        return new Outcome(done, failure);
    }

    /** Resolves the recipients of one message and appends their copies when it is persisted. */
    private List<Copy> store(MessageRecord record) {
        Message message = record.getMessage();
        Recipients.Resolved resolved = recipients.resolve(record);
        metrics.fanOutRecipients(resolved.userIds().size());
        List<InboxEntry> entries = new ArrayList<>(resolved.userIds().size());
        for (String userId : resolved.userIds()) {
            entries.add(entryFor(userId, message));
        }
        List<Copy> copies = new ArrayList<>(entries.size());
        if (!message.getFlags().getPersisted()) {
            for (int i = 0; i < entries.size(); i++) {
                copies.add(copy(resolved.userIds().get(i), resolved, entries.get(i), message, 0, Copy.UNREAD_UNKNOWN, false));
            }
            return copies;
        }
        List<InboxAppend> appends = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            appends.add(InboxAppend.newBuilder().setUserId(resolved.userIds().get(i)).setEntry(entries.get(i)).build());
        }
        List<AppendResult> results = inbox.append(appends);
        for (int i = 0; i < entries.size(); i++) {
            AppendResult result = results.get(i);
            InboxEntry entry = entries.get(i).toBuilder().setSyncTime(result.getSyncTime()).build();
            copies.add(copy(resolved.userIds().get(i), resolved, entry, message, result.getPrevSyncTime(),
                    result.getUnreadTotal(), true));
        }
        Log.debugf("Appended messageId=%s to %d inboxes", message.getMessageId(), copies.size());
        return copies;
    }

    private static Copy copy(String userId, Recipients.Resolved resolved, InboxEntry entry, Message message,
            long prevSyncTime, long unreadTotal, boolean inInbox) {
        // The sending device gets its own inbox copy too: without it the device's cursor would
        // stop below that entry, and the next push from anyone would look like a gap and cost a
        // pull. Only a status-only message, which has no inbox entry, is not echoed back.
        String skipDeviceId = entry.getOwn() && !inInbox ? message.getSenderDeviceId() : "";
        return new Copy(userId, entry, prevSyncTime, unreadTotal, inInbox, skipDeviceId, resolved.groupName());
    }

    /** Returns the recipient's copy: the conversation from the recipient's view, own when the recipient sent it. */
    static InboxEntry entryFor(String userId, Message message) {
        boolean own = message.getConversation().getType() != ConversationType.SYSTEM && userId.equals(message.getSenderId());
        return InboxEntry.newBuilder()
                .setMessage(message)
                .setConversation(ConversationKeys.viewOf(userId, message.getSenderId(), message.getConversation()))
                .setOwn(own)
                .build();
    }
}
