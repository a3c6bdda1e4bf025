package io.tidings.offline;

import static io.tidings.offline.InboxFixtures.append;
import static io.tidings.offline.InboxFixtures.await;
import static io.tidings.offline.InboxFixtures.group;
import static io.tidings.offline.InboxFixtures.message;
import static io.tidings.offline.InboxFixtures.privateWith;
import static io.tidings.offline.InboxFixtures.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.offline.inbox.InboxAppender;
import io.tidings.offline.unread.UnreadCounter;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.UnreadReply;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
class UnreadTest {

    @Inject
    InboxAppender appender;

    @Inject
    UnreadCounter unread;

    private AppendResult appendOne(InboxAppend append) {
        return await(appender.append(List.of(append))).get(0);
    }

    @Test
    void countedMessagesFromOthersRaiseUnread() {
        String userId = uniqueId("u");
        Conversation friend = privateWith("friend");
        Conversation team = group("team");

        assertThat(appendOne(append(userId, "m-1", friend, "friend")).getUnreadTotal()).isEqualTo(1);
        assertThat(appendOne(append(userId, "m-2", friend, "friend")).getUnreadTotal()).isEqualTo(2);
        assertThat(appendOne(append(userId, "m-3", team, "alice")).getUnreadTotal()).isEqualTo(3);

        UnreadReply reply = await(unread.unread(userId));
        assertThat(reply.getTotal()).isEqualTo(3);
        assertThat(reply.getByConversationMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                ConversationKeys.privateKey(userId, "friend"), 2L,
                "g:team", 1L));
    }

    @Test
    void ownAndUncountedMessagesLeaveUnread() {
        String userId = uniqueId("u");
        Conversation team = group("team");
        appendOne(append(userId, "m-1", team, "alice"));

        AppendResult own = appendOne(append(userId, message("m-2", team, userId).build(), team, true));
        AppendResult sentByOwner = appendOne(append(userId, message("m-3", team, userId).build(), team, false));
        AppendResult uncounted = appendOne(append(userId,
                message("m-4", team, "alice").setFlags(MessageFlags.newBuilder().setPersisted(true)).build(), team, false));
        AppendResult noFlags = appendOne(append(userId, message("m-5", team, "alice").clearFlags().build(), team, false));

        assertThat(own.getUnreadTotal()).as("own message from another device").isEqualTo(1);
        assertThat(sentByOwner.getUnreadTotal()).as("sender is the inbox owner").isEqualTo(1);
        assertThat(uncounted.getUnreadTotal()).as("flags without counted").isEqualTo(1);
        assertThat(noFlags.getUnreadTotal()).as("no flags means persisted and counted").isEqualTo(2);
        assertThat(await(unread.unread(userId)).getTotal()).isEqualTo(2);
    }

    @Test
    void systemMessageCountsDespiteSenderName() {
        String userId = uniqueId("u");
        Conversation notices = Conversation.newBuilder().setType(ConversationType.SYSTEM).setTargetId(userId).build();

        AppendResult result = appendOne(append(userId, message("m-1", notices, userId).build(), notices, false));

        assertThat(result.getUnreadTotal()).as("SYSTEM sender named like the user").isEqualTo(1);
        assertThat(await(unread.unread(userId)).getByConversationMap())
                .containsOnlyKeys(ConversationKeys.of(userId, notices));
    }

    @Test
    void markReadClearsOneConversation() {
        String userId = uniqueId("u");
        Conversation friend = privateWith("friend");
        Conversation team = group("team");
        appendOne(append(userId, "m-1", friend, "friend"));
        appendOne(append(userId, "m-2", team, "alice"));
        appendOne(append(userId, "m-3", team, "bob"));

        long cleared = await(unread.markRead(userId, true, team));

        assertThat(cleared).isEqualTo(2);
        UnreadReply reply = await(unread.unread(userId));
        assertThat(reply.getTotal()).isEqualTo(1);
        assertThat(reply.getByConversationMap()).containsOnlyKeys(ConversationKeys.privateKey(userId, "friend"));

        AppendResult next = appendOne(append(userId, "m-4", team, "alice"));
        assertThat(next.getUnreadTotal()).as("total after read and a new message").isEqualTo(2);
    }

    @Test
    void markReadOfLastConversationClearsTotal() {
        String userId = uniqueId("u");
        Conversation friend = privateWith("friend");
        appendOne(append(userId, "m-1", friend, "friend"));

        await(unread.markRead(userId, true, friend));
        long clearedAgain = await(unread.markRead(userId, true, friend));

        assertThat(clearedAgain).isZero();
        UnreadReply reply = await(unread.unread(userId));
        assertThat(reply.getTotal()).isZero();
        assertThat(reply.getByConversationMap()).isEmpty();
        assertThat(appendOne(append(userId, "m-2", friend, "friend")).getUnreadTotal()).isEqualTo(1);
    }

    @Test
    void duplicateLeavesUnreadUnchanged() {
        String userId = uniqueId("u");
        InboxAppend first = append(userId, "m-1", group("team"), "alice");
        appendOne(first);

        AppendResult repeated = appendOne(first);

        assertThat(repeated.getDuplicate()).isTrue();
        assertThat(repeated.getUnreadTotal()).isEqualTo(1);
        assertThat(await(unread.unread(userId)).getTotal()).isEqualTo(1);
    }

    @Test
    void unknownUserHasNoUnread() {
        UnreadReply reply = await(unread.unread(uniqueId("nobody")));

        assertThat(reply.getTotal()).isZero();
        assertThat(reply.getByConversationMap()).isEmpty();
    }
}
