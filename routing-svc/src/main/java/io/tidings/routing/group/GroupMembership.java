package io.tidings.routing.group;

import io.smallrye.mutiny.Uni;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Checks who may send to a group and reports when a user was a member, from the group view. */
@ApplicationScoped
public class GroupMembership {

    private final GroupView view;

    public GroupMembership(GroupView view) {
        this.view = view;
    }

    /**
     * Completes when {@code userId} may send to the group now, else fails with GROUP_NOT_FOUND,
     * GROUP_DISMISSED or NOT_GROUP_MEMBER. A "not a member" result from the in-process cache is
     * checked again in Redis, because the cache may not have seen a just-added member yet.
     */
    public Uni<Void> requireSender(String groupId, String userId) {
        return view.get(groupId).chain(cached -> {
            if (cached.isPresent() && !cached.get().getDismissed() && cached.get().containsMembers(userId)) {
                return Uni.createFrom().voidItem();
            }
            return view.getFresh(groupId).invoke(fresh -> requireMember(fresh, groupId, userId)).replaceWithVoid();
        });
    }

    /** Completes when the group exists and is not dismissed, else fails with GROUP_NOT_FOUND or GROUP_DISMISSED. */
    public Uni<Void> requireGroupActive(String groupId) {
        return view.get(groupId).invoke(found -> GroupRecords.requireActive(found, groupId)).replaceWithVoid();
    }

    /** Returns whether the group exists and when the user joined and left it. */
    public Uni<MembershipReply> membership(String groupIdField, String userIdField) {
        String groupId = Ids.requireId("group_id", groupIdField);
        String userId = Ids.requireId("user_id", userIdField);
        return view.get(groupId).map(found -> found.map(group -> membership(group, userId))
                .orElse(MembershipReply.newBuilder().setGroupExists(false).build()));
    }

    static MembershipReply membership(GroupRecord group, String userId) {
        MembershipReply.Builder reply = MembershipReply.newBuilder().setGroupExists(true);
        Long joinedAt = group.getMembersMap().get(userId);
        if (joinedAt != null) {
            reply.setJoinedAt(joinedAt);
            if (group.getDismissed()) {
                reply.setMember(false).setLeftAt(group.getDismissedAt());
            } else {
                reply.setMember(true);
            }
            return reply.build();
        }
        Long leftAt = group.getFormerMembersMap().get(userId);
        if (leftAt != null) {
            // NOTE: the record keeps when a former member left but not when they joined, so
            // joined_at stays 0 and history-svc cannot bound the start of their access.
            reply.setLeftAt(leftAt);
        }
        return reply.build();
    }

    private static void requireMember(Optional<GroupRecord> found, String groupId, String userId) {
        GroupRecord group = GroupRecords.requireActive(found, groupId);
        if (!group.containsMembers(userId)) {
            throw new TidingsException(ErrorCode.NOT_GROUP_MEMBER,
                    "user '" + userId + "' is not a member of group '" + groupId + "'");
        }
    }
}

