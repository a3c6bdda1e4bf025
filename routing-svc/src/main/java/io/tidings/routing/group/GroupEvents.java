package io.tidings.routing.group;

import com.google.protobuf.ByteString;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.GroupChange;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.send.MessageAcceptor;
import io.tidings.routing.send.SendValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * Announces group changes to the members as system messages in the group conversation, through
 * the normal send path, so that they reach inboxes and history like any message. The client
 * message id is derived from the group version ({@code group-v<version>}, de-duplicated per
 * group), so a retried call that announces the same version again sends nothing twice.
 *
 * <p>Content ({@code content_type "system"}), for example:
 * {@code {"event":"member_added","group_id":"g1","users":["u2"],"operator":"u1","version":4}};
 * group_created also carries {@code "name"}. The messages are persisted but neither counted as
 * unread nor pushed.
 */
@ApplicationScoped
public class GroupEvents {

    private static final MessageFlags FLAGS = MessageFlags.newBuilder()
            .setPersisted(true)
            .setCounted(false)
            .setPushDisabled(true)
            .build();

    private final MessageAcceptor acceptor;

    public GroupEvents(MessageAcceptor acceptor) {
        this.acceptor = acceptor;
    }

    public static String clientMessageId(long version) {
        return "group-v" + version;
    }

    /** Sends the system message of {@code record.last_change}. */
    public Uni<SendAck> announce(GroupRecord record) {
        GroupChange change = record.getLastChange();
        Conversation conversation = Conversation.newBuilder()
                .setType(ConversationType.GROUP)
                .setTargetId(record.getGroupId())
                .build();
        Message message = Message.newBuilder()
                .setClientMessageId(clientMessageId(record.getVersion()))
                .setConversation(conversation)
                .setSenderId(change.getOperatorId())
                .setContentType(SendValidator.SYSTEM_CONTENT_TYPE)
                .setContent(ByteString.copyFrom(content(record).encode(), StandardCharsets.UTF_8))
                .setFlags(FLAGS)
                .build();
        return acceptor.accept(new MessageAcceptor.Submission(
                "g:" + record.getGroupId(),
                message,
                GroupRecords.announcementRecipients(record),
                ConversationKeys.of(change.getOperatorId(), conversation),
                null));
    }

    static JsonObject content(GroupRecord record) {
        GroupChange change = record.getLastChange();
        JsonObject content = new JsonObject()
                .put("event", change.getEvent())
                .put("group_id", record.getGroupId())
                .put("users", new JsonArray(change.getUserIdsList()))
                .put("operator", change.getOperatorId())
                .put("version", record.getVersion());
        if (change.getEvent().equals(GroupRecords.GROUP_CREATED)) {
            content.put("name", record.getName());
        }
        return content;
    }
}
