package io.tidings.routing.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.group.GroupRecords.Outcome;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupRecordsTest {

    private static final int MAX = 5;

    private static GroupRecord created() {
        return GroupRecords.create(Optional.empty(), "g1", "Team", "owner", List.of("a", "b"), 1000, MAX).record();
    }

    @Test
    void createAddsOwnerAndStartsAtVersionOne() {
        Outcome outcome = GroupRecords.create(Optional.empty(), "g1", "Team", "owner", List.of("a", "b", "a"), 1000, MAX);

        assertThat(outcome.written()).isTrue();
        assertThat(outcome.announce()).isTrue();
        GroupRecord group = outcome.record();
        assertThat(group.getVersion()).isEqualTo(1);
        assertThat(group.getMembersMap()).containsOnlyKeys("owner", "a", "b");
        assertThat(group.getMembersMap()).containsEntry("a", 1000L);
        assertThat(group.getLastChange().getEvent()).isEqualTo(GroupRecords.GROUP_CREATED);
        assertThat(group.getLastChange().getUserIdsList()).containsExactly("a", "b", "owner");
    }

    @Test
    void identicalCreateReturnsExistingAndAnnouncesAgain() {
        Outcome again = GroupRecords.create(Optional.of(created()), "g1", "Team", "owner", List.of("b"), 2000, MAX);

        assertThat(again.written()).isFalse();
        assertThat(again.announce()).isTrue();
        assertThat(again.record()).isEqualTo(created());
    }

    @Test
    void createWithOtherOwnerOrNameFails() {
        assertThatThrownBy(() -> GroupRecords.create(Optional.of(created()), "g1", "Team", "intruder", List.of(), 2000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
                .hasMessageContaining("owner 'owner'")
                .hasMessageContaining("'intruder'");
        assertThatThrownBy(() -> GroupRecords.create(Optional.of(created()), "g1", "Other", "owner", List.of(), 2000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
                .hasMessageContaining("name 'Team'");
        assertThatThrownBy(() -> GroupRecords.create(Optional.of(created()), "g1", "Team", "owner", List.of("z"), 2000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_EXISTS))
                .hasMessageContaining("[z]");
    }

    @Test
    void createAboveLimitFails() {
        assertThatThrownBy(() -> GroupRecords.create(Optional.empty(), "g1", "", "owner", List.of("a", "b", "c", "d", "e"), 1000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GROUP_TOO_LARGE))
                .hasMessageContaining("6 members")
                .hasMessageContaining("limit of 5");
    }

    @Test
    void addIsIdempotent() {
        Outcome added = GroupRecords.addMembers(Optional.of(created()), "g1", List.of("c", "a"), "owner", 2000, MAX);
        assertThat(added.written()).isTrue();
        assertThat(added.record().getVersion()).isEqualTo(2);
        assertThat(added.record().getLastChange().getUserIdsList()).containsExactly("c");
        assertThat(added.record().getMembersMap()).containsEntry("c", 2000L).containsEntry("a", 1000L);

        Outcome retried = GroupRecords.addMembers(Optional.of(added.record()), "g1", List.of("c", "a"), "owner", 3000, MAX);
        assertThat(retried.written()).isFalse();
        assertThat(retried.announce()).as("a retry re-announces the change it made").isTrue();
        assertThat(retried.record()).isEqualTo(added.record());

        Outcome unrelated = GroupRecords.addMembers(Optional.of(added.record()), "g1", List.of("b"), "owner", 3000, MAX);
        assertThat(unrelated.written()).isFalse();
        assertThat(unrelated.announce()).isFalse();
    }

    @Test
    void addAboveLimitFails() {
        assertThatThrownBy(() -> GroupRecords.addMembers(Optional.of(created()), "g1", List.of("c", "d", "e"), "", 2000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GROUP_TOO_LARGE))
                .hasMessageContaining("6 members");
    }

    @Test
    void removeIsIdempotentAndKeepsLeftAt() {
        Outcome removed = GroupRecords.removeMembers(Optional.of(created()), "g1", List.of("a", "stranger"), "owner", 2000);
        assertThat(removed.written()).isTrue();
        assertThat(removed.record().getMembersMap()).doesNotContainKey("a");
        assertThat(removed.record().getFormerMembersMap()).containsEntry("a", 2000L);
        assertThat(removed.record().getLastChange().getUserIdsList()).containsExactly("a");
        assertThat(GroupRecords.announcementRecipients(removed.record())).containsExactly("a", "b", "owner");

        Outcome retried = GroupRecords.removeMembers(Optional.of(removed.record()), "g1", List.of("a"), "owner", 3000);
        assertThat(retried.written()).isFalse();
        assertThat(retried.announce()).isTrue();

        GroupRecord rejoined = GroupRecords.addMembers(Optional.of(removed.record()), "g1", List.of("a"), "", 4000, MAX).record();
        assertThat(rejoined.getMembersMap()).containsEntry("a", 4000L);
        assertThat(rejoined.getFormerMembersMap()).doesNotContainKey("a");
    }

    @Test
    void ownerCannotBeRemoved() {
        assertThatThrownBy(() -> GroupRecords.removeMembers(Optional.of(created()), "g1", List.of("owner"), "", 2000))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'owner'");
    }

    @Test
    void dismissIsIdempotentAndFinal() {
        Outcome dismissed = GroupRecords.dismiss(Optional.of(created()), "g1", "owner", 2000);
        assertThat(dismissed.record().getDismissed()).isTrue();
        assertThat(dismissed.record().getDismissedAt()).isEqualTo(2000);
        assertThat(dismissed.record().getMembersMap()).containsOnlyKeys("owner", "a", "b");

        Outcome again = GroupRecords.dismiss(Optional.of(dismissed.record()), "g1", "owner", 3000);
        assertThat(again.written()).isFalse();
        assertThat(again.announce()).isTrue();

        assertThatThrownBy(() -> GroupRecords.addMembers(Optional.of(dismissed.record()), "g1", List.of("c"), "", 3000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GROUP_DISMISSED));
        assertThatThrownBy(() -> GroupRecords.create(Optional.of(dismissed.record()), "g1", "Team", "owner", List.of(), 3000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GROUP_DISMISSED));
    }

    @Test
    void changesOfMissingGroupFail() {
        assertThatThrownBy(() -> GroupRecords.addMembers(Optional.empty(), "g9", List.of("c"), "", 1000, MAX))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GROUP_NOT_FOUND))
                .hasMessageContaining("'g9'");
        assertThatThrownBy(() -> GroupRecords.dismiss(Optional.empty(), "g9", "", 1000))
                .isInstanceOfSatisfying(TidingsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.GROUP_NOT_FOUND));
    }

    @Test
    void replyListsMembersSorted() {
        assertThat(GroupRecords.reply(created()).getMembersList())
                .extracting(member -> member.getUserId())
                .containsExactly("a", "b", "owner");
    }
}
