package io.tidings.routing.group;

import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupChange;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.server.GroupMember;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.v1.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state changes of groups as pure functions from the current state to the next one. Each
 * change is idempotent: applied to a state that already reflects it, it writes nothing. When the
 * state's last change is that same change, the outcome asks the caller to announce it again, so
 * a retry re-sends a system message that may have been lost (de-duplication absorbs it if not).
 */
final class GroupRecords {

    static final String GROUP_CREATED = "group_created";
    static final String MEMBER_ADDED = "member_added";
    static final String MEMBER_REMOVED = "member_removed";
    static final String GROUP_DISMISSED = "group_dismissed";

    private GroupRecords() {
    }

    /**
     * The result of a change.
     *
     * @param record the state after the change
     * @param written whether the state is new and must be written to the groups topic
     * @param announce whether to send the system message of {@code record.last_change}
     */
    record Outcome(GroupRecord record, boolean written, boolean announce) {

        static Outcome changed(GroupRecord record) {
            return new Outcome(record, true, true);
        }

        static Outcome unchanged(GroupRecord record, boolean announceAgain) {
            return new Outcome(record, false, announceAgain);
        }
    }

    static Outcome create(Optional<GroupRecord> current, String groupId, String name, String ownerId,
            Collection<String> memberIds, long now, int maxMembers) {
        Set<String> members = new TreeSet<>(memberIds);
        members.add(ownerId);
        if (current.isPresent()) {
            return createAgain(current.get(), name, ownerId, members);
        }
        requireWithinLimit(groupId, members.size(), maxMembers);
        GroupRecord.Builder record = GroupRecord.newBuilder()
                .setGroupId(groupId)
                .setName(name)
                .setOwnerId(ownerId)
                .setVersion(1)
                .setUpdatedAt(now)
                .setLastChange(change(GROUP_CREATED, members, ownerId));
        members.forEach(member -> record.putMembers(member, now));
        return Outcome.changed(record.build());
    }

    /** A create for an existing group: returns it when the request matches it, else ALREADY_EXISTS. */
    private static Outcome createAgain(GroupRecord existing, String name, String ownerId, Set<String> members) {
        String groupId = existing.getGroupId();
        if (existing.getDismissed()) {
            throw new TidingsException(ErrorCode.GROUP_DISMISSED,
                    "group '" + groupId + "' was dismissed; create the group under another group_id");
        }
        if (!existing.getOwnerId().equals(ownerId)) {
            throw new TidingsException(ErrorCode.ALREADY_EXISTS, "group '" + groupId + "' already exists with owner '"
                    + existing.getOwnerId() + "', not '" + ownerId + "'; choose another group_id");
        }
        if (!existing.getName().equals(name)) {
            throw new TidingsException(ErrorCode.ALREADY_EXISTS, "group '" + groupId + "' already exists with name '"
                    + existing.getName() + "', not '" + name + "'; choose another group_id");
        }
        Set<String> missing = new TreeSet<>(members);
        missing.removeAll(existing.getMembersMap().keySet());
        if (!missing.isEmpty()) {
            throw new TidingsException(ErrorCode.ALREADY_EXISTS, "group '" + groupId + "' already exists without the members "
                    + missing + "; add them with AddMembers or choose another group_id");
        }
        return Outcome.unchanged(existing, existing.getLastChange().getEvent().equals(GROUP_CREATED));
    }

    static Outcome addMembers(Optional<GroupRecord> current, String groupId, Collection<String> memberIds,
            String operatorId, long now, int maxMembers) {
        GroupRecord group = requireActive(current, groupId);
        Set<String> added = new TreeSet<>(memberIds);
        added.removeAll(group.getMembersMap().keySet());
        if (added.isEmpty()) {
            return Outcome.unchanged(group, isLastChange(group, MEMBER_ADDED, memberIds));
        }
        requireWithinLimit(groupId, group.getMembersCount() + added.size(), maxMembers);
        GroupRecord.Builder next = group.toBuilder();
        for (String member : added) {
            next.putMembers(member, now);
            next.removeFormerMembers(member);
        }
        return Outcome.changed(next(next, now, change(MEMBER_ADDED, added, operatorId)));
    }

    static Outcome removeMembers(Optional<GroupRecord> current, String groupId, Collection<String> memberIds,
            String operatorId, long now) {
        GroupRecord group = requireActive(current, groupId);
        if (memberIds.contains(group.getOwnerId())) {
            throw TidingsException.invalidArgument("member_ids contains the owner '" + group.getOwnerId() + "' of group '"
                    + groupId + "'; the owner cannot be removed, dismiss the group instead");
        }
        Set<String> removed = new TreeSet<>(memberIds);
        removed.retainAll(group.getMembersMap().keySet());
        if (removed.isEmpty()) {
            return Outcome.unchanged(group, isLastChange(group, MEMBER_REMOVED, memberIds));
        }
        GroupRecord.Builder next = group.toBuilder();
        for (String member : removed) {
            next.removeMembers(member);
            next.putFormerMembers(member, now);
        }
        return Outcome.changed(next(next, now, change(MEMBER_REMOVED, removed, operatorId)));
    }

    static Outcome dismiss(Optional<GroupRecord> current, String groupId, String operatorId, long now) {
        GroupRecord group = requireExisting(current, groupId);
        if (group.getDismissed()) {
            return Outcome.unchanged(group, group.getLastChange().getEvent().equals(GROUP_DISMISSED));
        }
        GroupRecord.Builder next = group.toBuilder().setDismissed(true).setDismissedAt(now);
        return Outcome.changed(next(next, now, change(GROUP_DISMISSED, List.of(), operatorId)));
    }

    static GroupRecord requireExisting(Optional<GroupRecord> current, String groupId) {
        return current.orElseThrow(() -> new TidingsException(ErrorCode.GROUP_NOT_FOUND,
                "group '" + groupId + "' does not exist; create it with CreateGroup"));
    }

    static GroupRecord requireActive(Optional<GroupRecord> current, String groupId) {
        GroupRecord group = requireExisting(current, groupId);
        if (group.getDismissed()) {
            throw new TidingsException(ErrorCode.GROUP_DISMISSED,
                    "group '" + groupId + "' was dismissed at " + group.getDismissedAt() + " ms and cannot change or receive messages");
        }
        return group;
    }

    /**
     * Returns the users that receive the system message of the record's last change: the members
     * after the change, plus the removed users for a removal, so that they learn of it.
     */
    static List<String> announcementRecipients(GroupRecord record) {
        Set<String> recipients = new TreeSet<>(record.getMembersMap().keySet());
        if (record.getLastChange().getEvent().equals(MEMBER_REMOVED)) {
            recipients.addAll(record.getLastChange().getUserIdsList());
        }
        return new ArrayList<>(recipients);
    }

    static GroupReply reply(GroupRecord record) {
        GroupReply.Builder reply = GroupReply.newBuilder()
                .setGroupId(record.getGroupId())
                .setName(record.getName())
                .setOwnerId(record.getOwnerId())
                .setDismissed(record.getDismissed())
                .setVersion(record.getVersion());
        new TreeSet<>(record.getMembersMap().keySet()).forEach(member -> reply.addMembers(GroupMember.newBuilder()
                .setUserId(member)
                .setJoinedAt(record.getMembersMap().get(member))));
        return reply.build();
    }

    /**
     * Returns whether the group's last change could have come from this request: same event, and
     * every user it changed is in the request (a retry names them, maybe with users that needed
     * no change).
     */
    private static boolean isLastChange(GroupRecord group, String event, Collection<String> userIds) {
        GroupChange last = group.getLastChange();
        return last.getEvent().equals(event) && userIds.containsAll(last.getUserIdsList());
    }

    private static GroupRecord next(GroupRecord.Builder builder, long now, GroupChange change) {
        return builder.setVersion(builder.getVersion() + 1).setUpdatedAt(now).setLastChange(change).build();
    }

    private static GroupChange change(String event, Collection<String> userIds, String operatorId) {
        return GroupChange.newBuilder().setEvent(event).addAllUserIds(userIds).setOperatorId(operatorId).build();
    }

    private static void requireWithinLimit(String groupId, int members, int maxMembers) {
        if (members > maxMembers) {
            throw new TidingsException(ErrorCode.GROUP_TOO_LARGE, "group '" + groupId + "' would have " + members
                    + " members, above the limit of " + maxMembers);
        }
    }
}
