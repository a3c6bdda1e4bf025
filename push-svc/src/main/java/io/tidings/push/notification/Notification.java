package io.tidings.push.notification;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One notification as composed for a recipient, before any provider's size limits apply.
 *
 * @param title sender (and group) name
 * @param body push text, text preview or a generic text
 * @param badge the recipient's unread total, at least 0
 * @param threadId canonical conversation key; groups notifications by conversation (APNs thread-id)
 * @param collapseId server message id; a repeated send of one message replaces the first notification
 * @param conversationKey canonical conversation key, sent as custom data
 * @param messageId server message id, sent as custom data
 */
public record Notification(
        String title,
        String body,
        int badge,
        String threadId,
        String collapseId,
        String conversationKey,
        String messageId) {

    /** Custom data keys that the client SDK reads from every notification. */
    public static final String DATA_CONVERSATION = "conversation";
    public static final String DATA_MESSAGE_ID = "message_id";

    /** Returns the custom data: conversation key and message id. */
    public Map<String, String> data() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(DATA_CONVERSATION, conversationKey);
        data.put(DATA_MESSAGE_ID, messageId);
        return data;
    }

    public Notification withTexts(String newTitle, String newBody) {
        return new Notification(newTitle, newBody, badge, threadId, collapseId, conversationKey, messageId);
    }
}
