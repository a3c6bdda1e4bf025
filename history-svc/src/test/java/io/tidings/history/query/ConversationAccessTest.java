package io.tidings.history.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.v1.ErrorCode;
import org.junit.jupiter.api.Test;

class ConversationAccessTest {

    // Private and system conversations never ask routing-svc, so no lookup is needed here.
    private final ConversationAccess access = new ConversationAccess(null, false);

    private static MembershipReply membership(boolean member, long joinedAt, long leftAt) {
        return MembershipReply.newBuilder()
                .setGroupExists(true)
                .setMember(member)
                .setJoinedAt(joinedAt)
                .setLeftAt(leftAt)
                .build();
    }

    @Test
    void privateParticipantsReadAll() {
        assertThat(access.windowFor("alice", "p:alice:bob")).isEqualTo(ReadWindow.ALL);
        assertThat(access.windowFor("bob", "p:alice:bob")).isEqualTo(ReadWindow.ALL);
    }

    @Test
    void privateStrangerDenied() {
        assertThatThrownBy(() -> access.windowFor("mallory", "p:alice:bob"))
                .isInstanceOfSatisfying(TidingsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                .hasMessageContaining("mallory");
    }

    @Test
    void systemRecipientReadsAll() {
        assertThat(access.windowFor("alice", "s:admin:alice")).isEqualTo(ReadWindow.ALL);
    }

    @Test
    void systemOtherUserDenied() {
        assertThatThrownBy(() -> access.windowFor("bob", "s:admin:alice"))
                .isInstanceOfSatisfying(TidingsException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED));
    }

    @Test
    void memberReadsFromJoin() {
        assertThat(ConversationAccess.groupWindow(membership(true, 1_000, 0), false))
                .isEqualTo(new ReadWindow(1_000, 0));
    }

    @Test
    void memberReadsBeforeJoinWhenEnabled() {
        assertThat(ConversationAccess.groupWindow(membership(true, 1_000, 0), true))
                .isEqualTo(new ReadWindow(0, 0));
    }

    @Test
    void formerMemberReadsUntilLeft() {
        assertThat(ConversationAccess.groupWindow(membership(false, 1_000, 5_000), false))
                .isEqualTo(new ReadWindow(1_000, 5_001));
    }

    @Test
    void rejoinedMemberIgnoresEarlierLeave() {
        assertThat(ConversationAccess.groupWindow(membership(true, 9_000, 5_000), false))
                .isEqualTo(new ReadWindow(9_000, 0));
    }

    @Test
    void memberOfDismissedGroupReadsUntilDismissal() {
        assertThat(ConversationAccess.groupWindow(membership(true, 1_000, 7_000), false))
                .isEqualTo(new ReadWindow(1_000, 7_001));
    }

    @Test
    void neverMemberHasNoWindow() {
        assertThat(ConversationAccess.groupWindow(membership(false, 0, 0), false)).isNull();
        assertThat(ConversationAccess.groupWindow(MembershipReply.getDefaultInstance(), true)).isNull();
    }

    @Test
    void pageBeforeTakesEarlierBound() {
        ReadWindow window = new ReadWindow(0, 5_001);
        assertThat(window.pageBefore(0)).isEqualTo(5_001);
        assertThat(window.pageBefore(3_000)).isEqualTo(3_000);
        assertThat(window.pageBefore(9_000)).isEqualTo(5_001);
        assertThat(ReadWindow.ALL.pageBefore(0)).isZero();
    }
}
