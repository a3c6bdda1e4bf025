package io.tidings.offline.inbox;

import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import java.util.regex.Pattern;

/** Checks of request fields shared by the inbox operations; each failure is INVALID_ARGUMENT naming the value. */
public final class InboxArguments {

    /** Server message ids are base-32 text; this also admits other id alphabets up to 128 characters. */
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    private InboxArguments() {
    }

    public static String requireUserId(String field, String userId) {
        if (userId == null || userId.isEmpty()) {
            throw TidingsException.invalidArgument(field + " is missing");
        }
        return Ids.requireId(field, userId);
    }

    public static String requireMessageId(String field, String messageId) {
        if (messageId == null || messageId.isEmpty()) {
            throw TidingsException.invalidArgument(field + " is missing");
        }
        if (!MESSAGE_ID.matcher(messageId).matches()) {
            throw TidingsException.invalidArgument(field + " '" + messageId
                    + "' is invalid: use 1..128 characters of A-Z a-z 0-9 _ . : @ -");
        }
        return messageId;
    }

    public static long requireCursor(String field, long cursor) {
        if (cursor < 0) {
            throw TidingsException.invalidArgument(field + " " + cursor
                    + " is negative: pass 0 for everything retained or a sync time returned earlier");
        }
        return cursor;
    }

    /**
     * Returns the canonical key of a conversation from {@code userId}'s view.
     *
     * @param field the request field, for example "conversation"
     */
    public static String requireConversationKey(String field, String userId, boolean present, Conversation conversation) {
        if (!present) {
            throw TidingsException.invalidArgument(field + " is missing");
        }
        ConversationType type = conversation.getType();
        if (type != ConversationType.PRIVATE && type != ConversationType.GROUP && type != ConversationType.SYSTEM) {
            throw TidingsException.invalidArgument(field + ".type " + type + " is invalid: use PRIVATE, GROUP or SYSTEM");
        }
        String targetId = conversation.getTargetId();
        if (targetId.isEmpty()) {
            throw TidingsException.invalidArgument(field + ".target_id is missing");
        }
        Ids.requireId(field + ".target_id", targetId);
        return ConversationKeys.of(userId, conversation);
    }
}
