package io.tidings.offline.inbox;

/**
 * The Redis keys of one user's inbox. Every key starts with {@code tidings:{u:<userId>}:}, and
 * the braces are a Redis Cluster hash tag, so all keys of one user share a slot and every script
 * touches one slot only. The session registry of service-support uses the same tag.
 *
 * <ul>
 *   <li>{@code inbox}: sorted set, member = message id, score = sync time
 *   <li>{@code entries}: hash, message id to the serialized {@code InboxEntry} with sync_time
 *       unset (the score in {@code inbox} is the sync time)
 *   <li>{@code last-sync}: string, the last sync time given to the user
 *   <li>{@code conv:<conversation key>}: sorted set like {@code inbox} for one conversation,
 *       which enforces the per-conversation cap
 *   <li>{@code removed}: sorted set of message ids evicted by the cap, scored by the sync time
 *       they had, so that a retried Append of an evicted message stays a duplicate
 *   <li>{@code cursors}: hash, device id to the device's acked cursor
 *   <li>{@code unread}: hash, conversation key to the unread count
 *   <li>{@code unread-total}: string, the sum of the {@code unread} hash
 * </ul>
 *
 * Conversation keys are those of {@link io.tidings.protocol.ConversationKeys}.
 */
public final class InboxKeys {

    private final String prefix;

    private InboxKeys(String userId) {
        this.prefix = "tidings:{u:" + userId + "}:";
    }

    public static InboxKeys of(String userId) {
        return new InboxKeys(userId);
    }

    public String inbox() {
        return prefix + "inbox";
    }

    public String entries() {
        return prefix + "entries";
    }

    public String lastSync() {
        return prefix + "last-sync";
    }

    public String conversation(String conversationKey) {
        return prefix + "conv:" + conversationKey;
    }

    public String removed() {
        return prefix + "removed";
    }

    public String cursors() {
        return prefix + "cursors";
    }

    public String unread() {
        return prefix + "unread";
    }

    public String unreadTotal() {
        return prefix + "unread-total";
    }
}
