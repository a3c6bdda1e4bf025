package io.tidings.history.query;

import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.HistoryRequest;

/** Validation of history requests. Every failure is INVALID_ARGUMENT naming the field and value. */
final class HistoryRequests {

    static final int DEFAULT_COUNT = 20;
    static final int MAX_COUNT = 100;

    private HistoryRequests() {
    }

    /** Returns the requested page size, where 0 means {@value #DEFAULT_COUNT}. */
    static int count(HistoryRequest request) {
        long count = Integer.toUnsignedLong(request.getCount());
        if (count > MAX_COUNT) {
            throw TidingsException.invalidArgument(
                    "count " + count + " is above the maximum of " + MAX_COUNT + ": request at most " + MAX_COUNT
                            + " messages per page");
        }
        return count == 0 ? DEFAULT_COUNT : (int) count;
    }

    static long beforeTime(HistoryRequest request) {
        if (request.getBeforeTime() < 0) {
            throw TidingsException.invalidArgument("before_time " + request.getBeforeTime()
                    + " is negative: use 0 for the newest messages or a server time in milliseconds");
        }
        return request.getBeforeTime();
    }

    /**
     * Returns the canonical key of the conversation that {@code userId} addresses, after checking
     * the conversation's fields.
     *
     * @param userField the request field that contains userId, named in errors
     */
    static String conversationKey(String userField, String userId, HistoryRequest request) {
        if (!request.hasConversation()) {
            throw TidingsException.invalidArgument("conversation is missing: set its type and target_id");
        }
        return conversationKey(userField, userId, request.getConversation());
    }

    static String conversationKey(String userField, String userId, Conversation conversation) {
        Ids.requireId("conversation.target_id", conversation.getTargetId());
        if (conversation.getType() != ConversationType.GROUP) {
            Ids.requireId(userField, userId);
        }
        return ConversationKeys.of(userId, conversation);
    }
}
