package io.tidings.offline;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.tidings.offline.inbox.InboxAppender;
import io.tidings.offline.inbox.InboxMetrics;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.offline.sync.InboxSync;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.support.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Builders of inbox requests and of logic classes with their own settings or clock, for tests. */
public final class InboxFixtures {

    public static final Duration AWAIT = Duration.ofSeconds(60);

    private InboxFixtures() {
    }

    /** Returns an id that no other test run uses: tests share one Redis. */
    public static String uniqueId(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    public static Conversation group(String groupId) {
        return Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(groupId).build();
    }

    public static Conversation privateWith(String peerId) {
        return Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(peerId).build();
    }

    /** Returns an append of a counted text message from {@code senderId} in {@code conversation}, from the recipient's view. */
    public static InboxAppend append(String userId, String messageId, Conversation conversation, String senderId) {
        return append(userId, message(messageId, conversation, senderId).build(), conversation, false);
    }

    public static InboxAppend append(String userId, Message message, Conversation conversation, boolean own) {
        InboxEntry entry = InboxEntry.newBuilder()
                .setMessage(message)
                .setConversation(conversation)
                .setOwn(own)
                .build();
        return InboxAppend.newBuilder().setUserId(userId).setEntry(entry).build();
    }

    public static Message.Builder message(String messageId, Conversation conversation, String senderId) {
        return Message.newBuilder()
                .setMessageId(messageId)
                .setClientMessageId("c-" + messageId)
                .setConversation(conversation)
                .setSenderId(senderId)
                .setContentType("text")
                .setContent(com.google.protobuf.ByteString.copyFromUtf8("{\"text\":\"" + messageId + "\"}"))
                .setFlags(MessageFlags.newBuilder().setPersisted(true).setCounted(true))
                .setServerTime(System.currentTimeMillis());
    }

    /** Returns {@code count} appends to one group conversation with message ids {@code prefix-0, prefix-1, ...}. */
    public static List<InboxAppend> groupAppends(String userId, String groupId, String prefix, int count) {
        List<InboxAppend> appends = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            appends.add(append(userId, prefix + "-" + i, group(groupId), "sender-" + groupId));
        }
        return appends;
    }

    /** Appends in batches of {@code batchSize} and returns every result in order. */
    public static List<AppendResult> appendAll(InboxAppender appender, List<InboxAppend> appends, int batchSize) {
        List<AppendResult> results = new ArrayList<>(appends.size());
        for (int from = 0; from < appends.size(); from += batchSize) {
            List<InboxAppend> batch = appends.subList(from, Math.min(appends.size(), from + batchSize));
            results.addAll(appender.append(batch).await().atMost(AWAIT));
        }
        return results;
    }

    /** Syncs page after page from {@code cursor} until has_more is false and returns every entry. */
    public static List<InboxEntry> syncAll(InboxSync sync, String userId, String deviceId, long cursor) {
        List<InboxEntry> entries = new ArrayList<>();
        SyncReply page;
        do {
            page = await(sync.sync(userId, deviceId, SyncRequest.newBuilder().setCursor(cursor).build()));
            entries.addAll(page.getEntriesList());
            cursor = page.getNextCursor();
        } while (page.getHasMore());
        return entries;
    }

    public static <T> T await(Uni<T> uni) {
        return uni.await().atMost(AWAIT);
    }

    /** Logic classes over {@code redis} with their own settings and clock, and a private meter registry. */
    public record Inbox(InboxAppender appender, InboxSync sync, InboxMetrics metrics) {

        public static Inbox create(Redis redis, InboxSettings settings, Clock clock) {
            ScriptRunner scripts = new ScriptRunner(redis, false, settings.redisTimeout());
            InboxMetrics metrics = new InboxMetrics(new SimpleMeterRegistry());
            return new Inbox(new InboxAppender(scripts, settings, clock, metrics),
                    new InboxSync(scripts, settings, clock, metrics), metrics);
        }
    }
}
