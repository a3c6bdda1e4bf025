package io.tidings.history.query;

import io.tidings.history.config.HistoryConfig;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Decides which part of a conversation's history a user may read.
 *
 * <ul>
 *   <li>PRIVATE {@code p:a:b}: users a and b, all of it.
 *   <li>SYSTEM {@code s:from:u}: user u, all of it.
 *   <li>GROUP {@code g:id}: a member, from their latest join (or from the start when
 *       {@code tidings.history.query.group-history-before-join} is true); a former member up to
 *       the time they left or the group was dismissed. Anyone else is denied, whether the group
 *       exists or not.
 * </ul>
 */
@ApplicationScoped
public class ConversationAccess {

    private final MembershipLookup memberships;
    private final boolean historyBeforeJoin;

    @Inject
    public ConversationAccess(MembershipLookup memberships, HistoryConfig config) {
        this(memberships, config.query().groupHistoryBeforeJoin());
    }

    ConversationAccess(MembershipLookup memberships, boolean historyBeforeJoin) {
        this.memberships = memberships;
        this.historyBeforeJoin = historyBeforeJoin;
    }

    /**
     * Returns the window of a conversation that {@code userId} may read.
     *
     * @param conversationKey canonical key (ConversationKeys)
     * @throws TidingsException PERMISSION_DENIED when the user may read none of it
     */
    public ReadWindow windowFor(String userId, String conversationKey) {
        String[] parts = conversationKey.split(":", -1);
        switch (parts[0]) {
            case "p":
                if (parts.length == 3 && (parts[1].equals(userId) || parts[2].equals(userId))) {
                    return ReadWindow.ALL;
                }
                throw denied(userId, "private conversation " + conversationKey);
            case "s":
                if (parts.length == 3 && parts[2].equals(userId)) {
                    return ReadWindow.ALL;
                }
                throw denied(userId, "system conversation " + conversationKey);
            case "g":
                return groupWindow(userId, conversationKey.substring(2));
            default:
                throw TidingsException.invalidArgument(
                        "conversation key '" + conversationKey + "' is not p:, g: or s:");
        }
    }

    static ReadWindow groupWindow(MembershipReply membership, boolean historyBeforeJoin) {
        long joinedAt = membership.getJoinedAt();
        long leftAt = membership.getLeftAt();
        // left_at before joined_at belongs to an earlier membership that a rejoin ended.
        boolean left = leftAt > 0 && leftAt >= joinedAt;
        if (!membership.getMember() && !left) {
            return null;
        }
        // NOTE: a former member whose joined_at routing-svc no longer reports (0) reads from the
        // start of the group, because the start of their membership is unknown here.
        long notBefore = historyBeforeJoin ? 0 : joinedAt;
        // left_at is inclusive: messages of the millisecond of the removal stay visible.
        long before = left ? leftAt + 1 : 0;
        return new ReadWindow(notBefore, before);
    }

    private ReadWindow groupWindow(String userId, String groupId) {
        ReadWindow window = groupWindow(memberships.membership(groupId, userId), historyBeforeJoin);
        if (window == null) {
            throw denied(userId, "group " + groupId + " (not a member)");
        }
        return window;
    }

    private static TidingsException denied(String userId, String what) {
        return new TidingsException(
                ErrorCode.PERMISSION_DENIED, "user " + userId + " may not read the history of " + what);
    }
}
