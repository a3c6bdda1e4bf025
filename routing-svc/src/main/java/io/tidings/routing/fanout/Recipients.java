package io.tidings.routing.fanout;

import io.quarkus.logging.Log;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.v1.Message;
import io.tidings.routing.Await;
import io.tidings.routing.group.GroupView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Finds the users that get a copy of a message. */
@ApplicationScoped
public class Recipients {

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final GroupView groups;

    public Recipients(GroupView groups) {
        this.groups = groups;
    }

    /**
     * The users of one message and, for a group message, the group's name.
     *
     * @param userIds in a stable order, each once
     */
    public record Resolved(List<String> userIds, String groupName) {
    }

    /**
     * Returns the recipients. They are the record's explicit recipient_ids when it has them. For
     * PRIVATE they are the peer and the sender, whose other devices get the sender's own copy
     * (once for self-chat). For GROUP they are the members when the record is fanned out, at most
     * tidings.routing.groups.max-members. Blocks on Redis for groups.
     */
    public Resolved resolve(MessageRecord record) {
        Message message = record.getMessage();
        String groupName = "";
        Set<String> users = new LinkedHashSet<>();
        switch (message.getConversation().getType()) {
            case PRIVATE:
                users.add(message.getConversation().getTargetId());
                users.add(message.getSenderId());
                break;
            case GROUP:
                String groupId = message.getConversation().getTargetId();
                Optional<GroupRecord> group = Await.await(groups.get(groupId), REDIS_TIMEOUT, "reading group '" + groupId + "'");
                if (group.isEmpty()) {
                    Log.errorf("Group %s of messageId=%s does not exist: the message reaches no member", groupId,
                            message.getMessageId());
                } else {
                    groupName = group.get().getName();
                    if (record.getRecipientIdsCount() == 0) {
                        users.addAll(group.get().getMembersMap().keySet());
                    }
                }
                break;
            default:
                break;
        }
        if (record.getRecipientIdsCount() > 0) {
            users.clear();
            users.addAll(record.getRecipientIdsList());
        }
        return new Resolved(new ArrayList<>(users), groupName);
    }
}
