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
 * Fans out a batch of accepted messages from one partition, in order. It finds each message's
 * recipients and appends all copies of the batch to their inboxes with one InboxService.Append
 * per chunk of users (a user's copies stay in one chunk, in batch order, so each inbox gets
 * them in partition order). Then it delivers the batch's copies to live devices and writes push
 * events for the users that were not reached.
 *
 * <p>A message whose recipients cannot be resolved stops the batch there: the messages before
 * it are stored and delivered and count as done, and the caller must fan out the failed one
 * again later. A failed append fails the whole batch, which the caller fans out again; appends
 * are idempotent by message id. Blocks; the fan-out consumer calls it from its worker threads.
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
        List<Pending> pending = new ArrayList<>();
        RuntimeException failure = null;
        for (MessageRecord record : records) {
            try {
                Recipients.Resolved resolved = recipients.resolve(record);
                metrics.fanOutRecipients(resolved.userIds().size());
                pending.add(new Pending(record.getMessage(), resolved));
            } catch (RuntimeException e) {
                failure = e;
                break;
            }
        }
        try {
            List<Copy> copies = store(pending);
            if (!copies.isEmpty()) {
                pushEvents.produce(delivery.deliver(copies));
            }
        } catch (RuntimeException e) {
            // The appends, live delivery (when it times out as a whole) or the push events (when
            // Kafka fails) failed. Redo the whole batch: appends are idempotent and devices drop
            // Deliver frames they already have.
            return new Outcome(0, e);
        }
        return new Outcome(pending.size(), failure);
    }

    /** A message with its resolved recipients, waiting for its inbox appends. */
    private record Pending(Message message, Recipients.Resolved resolved) {
    }

    /**
     * Appends the copies of every persisted message in one {@link InboxAppender#append} call and
     * returns all copies, in batch order, with their sync times.
     */
    private List<Copy> store(List<Pending> pending) {
        List<InboxAppend> appends = new ArrayList<>();
        for (Pending message : pending) {
            if (message.message().getFlags().getPersisted()) {
                for (String userId : message.resolved().userIds()) {
                    appends.add(InboxAppend.newBuilder().setUserId(userId).setEntry(entryFor(userId, message.message())).build());
                }
            }
        }
        List<AppendResult> results = appends.isEmpty() ? List.of() : inbox.append(appends);
        List<Copy> copies = new ArrayList<>(Math.max(appends.size(), pending.size()));
        int next = 0;
        for (Pending message : pending) {
            Message body = message.message();
            boolean persisted = body.getFlags().getPersisted();
            for (String userId : message.resolved().userIds()) {
                if (!persisted) {
                    copies.add(copy(userId, message.resolved(), entryFor(userId, body), body, 0, Copy.UNREAD_UNKNOWN, false));
                    continue;
                }
                AppendResult result = results.get(next);
                InboxEntry entry = appends.get(next).getEntry().toBuilder().setSyncTime(result.getSyncTime()).build();
                next++;
                copies.add(copy(userId, message.resolved(), entry, body, result.getPrevSyncTime(), result.getUnreadTotal(), true));
            }
            if (persisted) {
                Log.debugf("Appended messageId=%s to %d inboxes", body.getMessageId(), message.resolved().userIds().size());
            }
        }
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
