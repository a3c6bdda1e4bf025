package io.tidings.offline.unread;

import io.smallrye.mutiny.Uni;
import io.tidings.offline.inbox.InboxArguments;
import io.tidings.offline.inbox.InboxKeys;
import io.tidings.offline.redis.OfflineLua;
import io.tidings.protocol.internal.UnreadReply;
import io.tidings.protocol.v1.Conversation;
import io.tidings.support.redis.LuaScript;
import io.tidings.support.redis.ScriptCall;
import io.tidings.support.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Reads and clears per-conversation unread counts. Append raises them (see
 * {@link io.tidings.offline.inbox.InboxAppender#countsAsUnread}); counts stay when the cap or
 * retention removes the entries they counted, and expire with the user's other keys.
 */
@ApplicationScoped
public class UnreadCounter {

    static final LuaScript MARK_READ = OfflineLua.load("mark-read", "mark-read.lua");
    /** A script so that the reply is a flat array under both RESP2 and RESP3. */
    static final LuaScript UNREAD = OfflineLua.load("unread", "unread.lua");

    private final ScriptRunner scripts;

    public UnreadCounter(ScriptRunner scripts) {
        this.scripts = scripts;
    }

    /**
     * Clears the unread count of one conversation.
     *
     * @return the count that was cleared
     */
    public Uni<Long> markRead(String userId, boolean hasConversation, Conversation conversation) {
        InboxArguments.requireUserId("user_id", userId);
        String conversationKey = InboxArguments.requireConversationKey("conversation", userId, hasConversation, conversation);
        InboxKeys keys = InboxKeys.of(userId);
        return scripts.run(new ScriptCall(MARK_READ, List.of(keys.unread(), keys.unreadTotal()), List.of(conversationKey)))
                .map(Response::toLong);
    }

    /** Returns the user's unread counts by conversation key and their total. */
    public Uni<UnreadReply> unread(String userId) {
        InboxArguments.requireUserId("user_id", userId);
        InboxKeys keys = InboxKeys.of(userId);
        return scripts.run(new ScriptCall(UNREAD, List.of(keys.unread()), List.of()))
                .map(UnreadCounter::toReply);
    }

    private static UnreadReply toReply(Response fields) {
        UnreadReply.Builder reply = UnreadReply.newBuilder();
        long total = 0;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            long count = fields.get(i + 1).toLong();
            reply.putByConversation(fields.get(i).toString(), count);
            total += count;
        }
        return reply.setTotal(total).build();
    }
}
