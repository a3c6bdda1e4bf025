package io.tidings.routing.group;

import io.quarkus.logging.Log;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.server.ChangeMembersRequest;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.DismissGroupRequest;
import io.tidings.protocol.server.GroupReply;
import io.tidings.routing.Await;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.group.GroupRecords.Outcome;
import io.tidings.routing.kafka.KafkaWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Creates and changes groups. Each change runs under the group's lock: wait until this instance's
 * view has read the whole groups topic, read the current state, compute the next one, write it
 * to the topic with acks=all, store it in the view, and then announce the change as a system
 * message. All methods block; call them from worker threads.
 */
@ApplicationScoped
public class GroupService {

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    private final GroupView view;
    private final GroupLock lock;
    private final GroupEvents events;
    private final KafkaWriter kafka;
    private final RoutingConfig.Groups config;
    private final String topic;
    private final Duration sendTimeout;

    public GroupService(GroupView view, GroupLock lock, GroupEvents events, KafkaWriter kafka, RoutingConfig config) {
        this.view = view;
        this.lock = lock;
        this.events = events;
        this.kafka = kafka;
        this.config = config.groups();
        this.topic = config.kafka().groupsTopic();
        this.sendTimeout = config.kafka().sendTimeout().plus(config.kafka().maxBlock()).plus(config.dedup().pendingWait());
    }

    public GroupReply create(CreateGroupRequest request) {
        String groupId = Ids.requireId("group_id", request.getGroupId());
        String ownerId = Ids.requireId("owner_id", request.getOwnerId());
        List<String> members = requireMemberIds(request.getMemberIdsList(), false);
        if (request.getName().length() > config.maxNameLength()) {
            throw TidingsException.invalidArgument("name is " + request.getName().length() + " characters long; the maximum is "
                    + config.maxNameLength());
        }
        return change(groupId, current -> GroupRecords.create(current, groupId, request.getName(), ownerId, members,
                System.currentTimeMillis(), config.maxMembers()));
    }

    public GroupReply addMembers(ChangeMembersRequest request) {
        String groupId = Ids.requireId("group_id", request.getGroupId());
        List<String> members = requireMemberIds(request.getMemberIdsList(), true);
        String operatorId = optionalOperator(request.getOperatorId());
        return change(groupId, current -> GroupRecords.addMembers(current, groupId, members, operatorId,
                System.currentTimeMillis(), config.maxMembers()));
    }

    public GroupReply removeMembers(ChangeMembersRequest request) {
        String groupId = Ids.requireId("group_id", request.getGroupId());
        List<String> members = requireMemberIds(request.getMemberIdsList(), true);
        String operatorId = optionalOperator(request.getOperatorId());
        return change(groupId, current -> GroupRecords.removeMembers(current, groupId, members, operatorId,
                System.currentTimeMillis()));
    }

    public GroupReply dismiss(DismissGroupRequest request) {
        String groupId = Ids.requireId("group_id", request.getGroupId());
        String operatorId = optionalOperator(request.getOperatorId());
        return change(groupId, current -> GroupRecords.dismiss(current, groupId, operatorId, System.currentTimeMillis()));
    }

    /** Returns a group's members, also for a dismissed group (with dismissed set). */
    public GroupReply get(String groupIdField) {
        String groupId = Ids.requireId("group_id", groupIdField);
        Optional<GroupRecord> group = Await.await(view.get(groupId), REDIS_TIMEOUT, "reading group '" + groupId + "'");
        return GroupRecords.reply(GroupRecords.requireExisting(group, groupId));
    }

    private GroupReply change(String groupId, Function<Optional<GroupRecord>, Outcome> mutation) {
        Outcome outcome;
        String token = lock.acquire(groupId);
        try {
            view.awaitCaughtUp(config.changeWait());
            Optional<GroupRecord> current = Await.await(view.getFresh(groupId), REDIS_TIMEOUT, "reading group '" + groupId + "'");
            outcome = mutation.apply(current);
            if (outcome.written()) {
                GroupRecord record = outcome.record();
                Await.await(kafka.write(topic, groupId, record.toByteArray()), sendTimeout, "writing group '" + groupId + "' to Kafka");
                view.applyLocal(record);
                Log.infof("Group %s is at version %d after %s of %s by operator '%s'", groupId, record.getVersion(),
                        record.getLastChange().getEvent(), record.getLastChange().getUserIdsList(),
                        record.getLastChange().getOperatorId());
            }
        } finally {
            lock.release(groupId, token);
        }
        if (outcome.announce()) {
            announce(outcome.record());
        }
        return GroupRecords.reply(outcome.record());
    }

    /**
     * Sends the system message of the record's last change. When it fails the change stays
     * written and the caller gets the error: retrying the call finds the change applied and
     * announces it again.
     */
    private void announce(GroupRecord record) {
        try {
            Await.await(events.announce(record), sendTimeout, "sending the system message");
        } catch (TidingsException e) {
            throw new TidingsException(e.code(), "group '" + record.getGroupId() + "' changed to version " + record.getVersion()
                    + " but its system message failed: " + e.getMessage() + " Retry the same call to send it.", e);
        }
    }

    private static List<String> requireMemberIds(List<String> memberIds, boolean required) {
        if (required && memberIds.isEmpty()) {
            throw TidingsException.invalidArgument("member_ids is empty: name at least one user");
        }
        for (int i = 0; i < memberIds.size(); i++) {
            Ids.requireId("member_ids[" + i + "]", memberIds.get(i));
        }
        return memberIds;
    }

    private static String optionalOperator(String operatorId) {
        return operatorId.isEmpty() ? operatorId : Ids.requireId("operator_id", operatorId);
    }
}
