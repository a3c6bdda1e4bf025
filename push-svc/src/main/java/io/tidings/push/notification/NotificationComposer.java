package io.tidings.push.notification;

import io.quarkus.logging.Log;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Message;
import io.tidings.push.config.PushConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** Composes the notification for one PushEvent: title, body, badge and ids. */
@ApplicationScoped
public class NotificationComposer {

    /** Content type whose JSON content {"text": "..."} is shown as the preview. */
    static final String TEXT_CONTENT_TYPE = "text";

    private final PushConfig.Payload payload;

    public NotificationComposer(PushConfig config) {
        this.payload = config.payload();
    }

    /**
     * Composes the notification.
     *
     * @param conversationKey canonical key of the event's conversation
     * @param showPreview false replaces the body with the generic text
     */
    public Notification compose(PushEvent event, String conversationKey, boolean showPreview) {
        Message message = event.getEntry().getMessage();
        String body = showPreview ? previewOf(message) : payload.genericBody();
        int badge = (int) Math.max(0, Math.min(Integer.MAX_VALUE, event.getUnreadTotal()));
        return new Notification(titleOf(event), body, badge, conversationKey, message.getMessageId(),
                conversationKey, message.getMessageId());
    }

    String titleOf(PushEvent event) {
        Message message = event.getEntry().getMessage();
        String sender = event.getSenderDisplayName().isBlank()
                ? message.getSenderId()
                : event.getSenderDisplayName().strip();
        if (event.getEntry().getConversation().getType() != ConversationType.GROUP) {
            return sender;
        }
        String group = event.getGroupName().isBlank()
                ? event.getEntry().getConversation().getTargetId()
                : event.getGroupName().strip();
        return payload.groupTitleFormat().replace("{sender}", sender).replace("{group}", group);
    }

    String previewOf(Message message) {
        if (!message.getPushText().isBlank()) {
            return message.getPushText().strip();
        }
        if (TEXT_CONTENT_TYPE.equals(message.getContentType())) {
            String text = textOf(message);
            if (text != null && !text.isBlank()) {
                return text.strip();
            }
            return payload.genericBody();
        }
        return payload.placeholders().getOrDefault(message.getContentType(), payload.genericBody());
    }

    private static String textOf(Message message) {
        try {
            JsonObject content = new JsonObject(message.getContent().toString(StandardCharsets.UTF_8));
            Object text = content.getValue("text");
            return text instanceof String ? (String) text : null;
        } catch (DecodeException | ClassCastException e) {
            Log.debugf("Text message has no readable {\"text\"} content messageId=%s: %s",
                    message.getMessageId(), e.getMessage());
            return null;
        }
    }
}
