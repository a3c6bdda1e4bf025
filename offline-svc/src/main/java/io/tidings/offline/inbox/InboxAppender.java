package io.tidings.offline.inbox;

import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.offline.redis.OfflineLua;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.support.redis.LuaScript;
import io.tidings.support.redis.ScriptCall;
import io.tidings.support.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends entries to users' inboxes. Each entry gets a sync time that is strictly increasing per
 * user, and a repeated append of the same message id for the same user is a duplicate that
 * returns the first sync time and changes nothing. A conversation that exceeds the cap loses its
 * own oldest entries, and entries past retention are trimmed as the user's inbox grows.
 * See append.lua for the steps, which run atomically per entry.
 */
@ApplicationScoped
public class InboxAppender {

    static final LuaScript APPEND = OfflineLua.load("append", "append.lua");

    /**
     * Maximum expired entries one append trims, which bounds the time the script blocks Redis.
     * More expired entries go with later appends, or with the keys' TTL when the user goes quiet.
     */
    static final int TRIM_PER_APPEND = 500;

    /**
     * Ids of cap-evicted entries that each user's inbox remembers, so that an Append retried
     * after its entry was evicted stays a duplicate. Beyond this many newer evictions, such a
     * retry is stored again as a new entry.
     */
    static final int REMOVED_IDS_KEPT = 1000;

    private final ScriptRunner scripts;
    private final InboxSettings settings;
    private final Clock clock;
    private final InboxMetrics metrics;

    public InboxAppender(ScriptRunner scripts, InboxSettings settings, Clock clock, InboxMetrics metrics) {
        this.scripts = scripts;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Appends every entry in one Redis round trip and returns one result per append, in request
     * order. Entries of the same user get increasing sync times in request order.
     *
     * @throws TidingsException INVALID_ARGUMENT naming the first bad field, before anything is written
     */
    public Uni<List<AppendResult>> append(List<InboxAppend> appends) {
        long now = clock.millis();
        List<ScriptCall> calls = new ArrayList<>(appends.size());
        for (int i = 0; i < appends.size(); i++) {
            calls.add(callFor("appends[" + i + "]", appends.get(i), now));
        }
        Timer.Sample sample = Timer.start(metrics.registry());
        return scripts.runAll(calls)
                .map(replies -> results(appends, replies))
                .onTermination().invoke(() -> sample.stop(metrics.writeLatency()));
    }

    private ScriptCall callFor(String field, InboxAppend append, long now) {
        String userId = InboxArguments.requireUserId(field + ".user_id", append.getUserId());
        if (!append.hasEntry()) {
            throw TidingsException.invalidArgument(field + ".entry is missing for user " + userId);
        }
        InboxEntry entry = append.getEntry();
        if (!entry.hasMessage()) {
            throw TidingsException.invalidArgument(field + ".entry.message is missing for user " + userId);
        }
        Message message = entry.getMessage();
        String messageId = InboxArguments.requireMessageId(field + ".entry.message.message_id", message.getMessageId());
        requireStorable(field, message);
        String conversationKey = InboxArguments.requireConversationKey(
                field + ".entry.conversation", userId, entry.hasConversation(), entry.getConversation());

        InboxKeys keys = InboxKeys.of(userId);
        byte[] stored = entry.toBuilder().clearSyncTime().build().toByteArray();
        return new ScriptCall(APPEND,
                List.of(keys.inbox(), keys.entries(), keys.lastSync(), keys.conversation(conversationKey),
                        keys.unread(), keys.unreadTotal(), keys.removed()),
                List.<Object>of(messageId, stored, now, settings.retentionCutoff(now),
                        (long) settings.conversationCap(), settings.keyTtl().toMillis(),
                        countsAsUnread(userId, entry) ? "1" : "0", conversationKey,
                        (long) TRIM_PER_APPEND, (long) REMOVED_IDS_KEPT));
    }

    /** Rejects messages that the flags keep out of inboxes: status-only and not persisted. */
    private static void requireStorable(String field, Message message) {
        if (!message.hasFlags()) {
            return;
        }
        if (message.getFlags().getStatusOnly()) {
            throw TidingsException.invalidArgument(field + ".entry.message.flags.status_only is set for message "
                    + message.getMessageId() + ": status-only messages go to live devices only, never to inboxes");
        }
        if (!message.getFlags().getPersisted()) {
            throw TidingsException.invalidArgument(field + ".entry.message.flags.persisted is false for message "
                    + message.getMessageId() + ": only persisted messages are stored in inboxes");
        }
    }

    /**
     * Returns true when the message raises the unread count: its flags have counted set (a
     * message without flags is counted) and the inbox owner did not send it. The sender of a
     * SYSTEM message is a name chosen by the app backend, which may equal a user id by chance,
     * so there only {@code own} marks the owner's messages.
     */
    static boolean countsAsUnread(String userId, InboxEntry entry) {
        Message message = entry.getMessage();
        boolean counted = !message.hasFlags() || message.getFlags().getCounted();
        boolean system = entry.getConversation().getType() == ConversationType.SYSTEM;
        boolean sentByOwner = entry.getOwn() || (!system && userId.equals(message.getSenderId()));
        return counted && !sentByOwner;
    }

    private List<AppendResult> results(List<InboxAppend> appends, List<Response> replies) {
        List<AppendResult> results = new ArrayList<>(appends.size());
        for (int i = 0; i < appends.size(); i++) {
            InboxAppend append = appends.get(i);
            Response reply = replies.get(i);
            boolean duplicate = reply.get(2).toLong() == 1L;
            AppendResult result = AppendResult.newBuilder()
                    .setUserId(append.getUserId())
                    .setMessageId(append.getEntry().getMessage().getMessageId())
                    .setSyncTime(reply.get(0).toLong())
                    .setPrevSyncTime(reply.get(1).toLong())
                    .setDuplicate(duplicate)
                    .setUnreadTotal(reply.get(3).toLong())
                    .build();
            results.add(result);
            record(result, reply.get(4).toLong(), reply.get(5).toLong());
        }
        return results;
    }

    private void record(AppendResult result, long evicted, long trimmed) {
        if (result.getDuplicate()) {
            metrics.duplicates().increment();
            Log.debugf("Duplicate inbox append userId=%s messageId=%s syncTime=%d",
                    result.getUserId(), result.getMessageId(), result.getSyncTime());
        } else {
            metrics.stored().increment();
        }
        if (evicted > 0) {
            metrics.evicted().increment(evicted);
        }
        if (trimmed > 0) {
            metrics.trimmed().increment(trimmed);
        }
    }
}
