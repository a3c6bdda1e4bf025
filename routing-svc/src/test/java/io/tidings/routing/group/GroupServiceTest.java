package io.tidings.routing.group;

import static io.tidings.routing.support.RoutingClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupChange;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.internal.MembershipRequest;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.server.ChangeMembersRequest;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.DismissGroupRequest;
import io.tidings.protocol.server.GetMembersRequest;
import io.tidings.protocol.server.GroupMember;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.kafka.KafkaWriter;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.KafkaProbe;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.Sends;
import io.tidings.routing.support.TestIds;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class GroupServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL url;

    @Inject
    GroupView view;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    KafkaWriter kafka;

    @Inject
    RoutingConfig config;

    RoutingClients clients;
    String group;
    String owner;
    String bob;
    String carol;

    @BeforeEach
    void setUp() {
        clients = RoutingClients.at(url.getPort());
        group = TestIds.unique("group");
        owner = TestIds.unique("owner");
        bob = TestIds.unique("bob");
        carol = TestIds.unique("carol");
    }

    @Test
    void lifecycleWithRetriesAnnouncesEachChangeOnce() throws Exception {
        try (KafkaProbe messages = KafkaProbe.fromEnd(config.kafka().messagesTopic())) {
            CreateGroupRequest create = CreateGroupRequest.newBuilder()
                    .setGroupId(group).setName("Team").setOwnerId(owner).addMemberIds(bob).build();
            GroupReply created = clients.groups().createGroup(create);
            assertThat(created.getVersion()).isEqualTo(1);
            assertThat(created.getMembersList()).extracting(GroupMember::getUserId).containsExactlyInAnyOrder(owner, bob);
            assertThat(clients.groups().createGroup(create)).isEqualTo(created);

            ChangeMembersRequest addCarol = ChangeMembersRequest.newBuilder()
                    .setGroupId(group).addMemberIds(carol).setOperatorId(owner).build();
            GroupReply added = clients.groups().addMembers(addCarol);
            assertThat(added.getVersion()).isEqualTo(2);
            assertThat(clients.groups().addMembers(addCarol)).isEqualTo(added);

            ChangeMembersRequest removeBob = ChangeMembersRequest.newBuilder()
                    .setGroupId(group).addMemberIds(bob).setOperatorId(owner).build();
            GroupReply removed = clients.groups().removeMembers(removeBob);
            assertThat(removed.getVersion()).isEqualTo(3);
            assertThat(removed.getMembersList()).extracting(GroupMember::getUserId).containsExactlyInAnyOrder(owner, carol);
            assertThat(clients.groups().removeMembers(removeBob)).isEqualTo(removed);

            DismissGroupRequest dismiss = DismissGroupRequest.newBuilder().setGroupId(group).setOperatorId(owner).build();
            GroupReply dismissed = clients.groups().dismissGroup(dismiss);
            assertThat(dismissed.getDismissed()).isTrue();
            assertThat(dismissed.getVersion()).isEqualTo(4);
            assertThat(clients.groups().dismissGroup(dismiss)).isEqualTo(dismissed);

            GroupReply members = clients.groups().getMembers(GetMembersRequest.newBuilder().setGroupId(group).build());
            assertThat(members).isEqualTo(dismissed);

            messages.await(this::isGroupEvent, 4, WAIT);
            List<ConsumerRecord<String, byte[]>> events = messages.settle(this::isGroupEvent, Duration.ofSeconds(3));
            assertThat(events).hasSize(4);
            List<String> kinds = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> event : events) {
                MessageRecord record = MessageRecord.parseFrom(event.value());
                assertThat(event.key()).isEqualTo("g:" + group);
                assertThat(record.getMessage().getContentType()).isEqualTo("system");
                assertThat(record.getMessage().getFlags().getCounted()).isFalse();
                JsonObject content = new JsonObject(record.getMessage().getContent().toStringUtf8());
                assertThat(record.getMessage().getClientMessageId()).isEqualTo("group-v" + content.getLong("version"));
                kinds.add(content.getString("event"));
                if (content.getString("event").equals("member_removed")) {
                    assertThat(content.getJsonArray("users").getList()).containsExactly(bob);
                    assertThat(content.getString("operator")).isEqualTo(owner);
                    assertThat(record.getRecipientIdsList()).containsExactlyInAnyOrder(owner, bob, carol);
                }
            }
            assertThat(kinds).containsExactly("group_created", "member_added", "member_removed", "group_dismissed");
        }
    }

    @Test
    void createWithOtherOwnerIsRejected() {
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner).build());
        assertError(() -> clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(bob).build()),
                ErrorCode.ALREADY_EXISTS, group, owner, bob);
    }

    @Test
    void invalidRequestsNameTheBadValue() {
        assertError(() -> clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId("bad:group").setOwnerId(owner).build()),
                ErrorCode.INVALID_ARGUMENT, "group_id", "bad:group");
        assertError(() -> clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner)
                        .addMemberIds(bob).addMemberIds("no spaces").build()),
                ErrorCode.INVALID_ARGUMENT, "member_ids[1]", "no spaces");
        assertError(() -> clients.groups().addMembers(ChangeMembersRequest.newBuilder().setGroupId(group).build()),
                ErrorCode.INVALID_ARGUMENT, "member_ids is empty");
        assertError(() -> clients.groups().addMembers(ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(bob).build()),
                ErrorCode.GROUP_NOT_FOUND, group);
        assertError(() -> clients.groups().getMembers(GetMembersRequest.newBuilder().setGroupId(group).build()),
                ErrorCode.GROUP_NOT_FOUND, group);

        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner).build());
        assertError(() -> clients.groups().removeMembers(ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(owner).build()),
                ErrorCode.INVALID_ARGUMENT, owner, "dismiss");
        clients.groups().dismissGroup(DismissGroupRequest.newBuilder().setGroupId(group).build());
        assertError(() -> clients.groups().addMembers(ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(bob).build()),
                ErrorCode.GROUP_DISMISSED, group);
    }

    @Test
    void groupAboveLimitIsTooLarge() {
        int max = config.groups().maxMembers();
        CreateGroupRequest.Builder create = CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner);
        for (int i = 0; i < max; i++) {
            create.addMemberIds("m" + i + "-" + group);
        }
        assertError(() -> clients.groups().createGroup(create.build()),
                ErrorCode.GROUP_TOO_LARGE, (max + 1) + " members", "limit of " + max);
    }

    @Test
    void serverApiNeedsAppSecret() {
        assertError(() -> clients.groupsWithoutSecret().getMembers(GetMembersRequest.newBuilder().setGroupId(group).build()),
                ErrorCode.UNAUTHENTICATED, "x-tidings-app-secret");
    }

    @Test
    void membershipTracksJoinAndLeave() {
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner).addMemberIds(bob).build());
        clients.groups().removeMembers(ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(bob).build());

        MembershipReply ownerReply = membership(group, owner);
        assertThat(ownerReply.getGroupExists()).isTrue();
        assertThat(ownerReply.getMember()).isTrue();
        assertThat(ownerReply.getJoinedAt()).isPositive();
        assertThat(ownerReply.getLeftAt()).isZero();

        MembershipReply bobReply = membership(group, bob);
        assertThat(bobReply.getMember()).isFalse();
        assertThat(bobReply.getLeftAt()).isGreaterThanOrEqualTo(ownerReply.getJoinedAt());

        MembershipReply stranger = membership(group, carol);
        assertThat(stranger.getGroupExists()).isTrue();
        assertThat(stranger.getMember()).isFalse();
        assertThat(stranger.getJoinedAt()).isZero();

        assertThat(membership(TestIds.unique("nogroup"), owner).getGroupExists()).isFalse();

        GroupReply dismissed = clients.groups().dismissGroup(DismissGroupRequest.newBuilder().setGroupId(group).build());
        MembershipReply afterDismiss = membership(group, owner);
        assertThat(dismissed.getDismissed()).isTrue();
        assertThat(afterDismiss.getMember()).isFalse();
        assertThat(afterDismiss.getLeftAt()).isGreaterThanOrEqualTo(afterDismiss.getJoinedAt());
    }

    @Test
    void concurrentChangesAreAllKept() throws Exception {
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner).build());
        List<String> joiners = new ArrayList<>();
        List<Callable<GroupReply>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String joiner = TestIds.unique("joiner" + i);
            joiners.add(joiner);
            calls.add(() -> clients.groups().addMembers(ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(joiner).build()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<GroupReply> result : pool.invokeAll(calls)) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }

        GroupReply members = clients.groups().getMembers(GetMembersRequest.newBuilder().setGroupId(group).build());
        joiners.add(owner);
        assertThat(members.getMembersList()).extracting(GroupMember::getUserId).containsExactlyInAnyOrderElementsOf(joiners);
        assertThat(members.getVersion()).isEqualTo(9);
    }

    @Test
    void retryAnnouncesChangeWhoseMessageWasLost() throws Exception {
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner).build());
        // A change written to the topic by a call that failed before its system message went out.
        GroupRecord current = view.getFresh(group).await().atMost(WAIT).orElseThrow();
        GroupRecord changed = current.toBuilder()
                .putMembers(bob, System.currentTimeMillis())
                .setVersion(current.getVersion() + 1)
                .setLastChange(GroupChange.newBuilder().setEvent(GroupRecords.MEMBER_ADDED).addUserIds(bob).setOperatorId(owner))
                .build();
        kafka.write(config.kafka().groupsTopic(), group, changed.toByteArray()).await().atMost(WAIT);
        view.applyLocal(changed);

        try (KafkaProbe messages = KafkaProbe.fromEnd(config.kafka().messagesTopic())) {
            ChangeMembersRequest retry = ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(bob).setOperatorId(owner).build();
            assertThat(clients.groups().addMembers(retry).getVersion()).isEqualTo(2);
            assertThat(clients.groups().addMembers(retry).getVersion()).isEqualTo(2);

            messages.await(this::isGroupEvent, 1, WAIT);
            List<ConsumerRecord<String, byte[]>> events = messages.settle(this::isGroupEvent, Duration.ofSeconds(3));
            assertThat(events).hasSize(1);
            assertThat(Sends.parse(events.get(0)).getMessage().getClientMessageId()).isEqualTo("group-v2");
        }
    }

    @Test
    void viewIsRebuiltFromTopicAfterRestart() {
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setName("Rebuilt").setOwnerId(owner).addMemberIds(bob).build());
        clients.groups().addMembers(ChangeMembersRequest.newBuilder().setGroupId(group).addMemberIds(carol).build());
        List<String> groupKeys = keysOfGroup();
        assertThat(groupKeys).contains(GroupStore.key(group));
        for (String key : groupKeys) {
            redis.execute("DEL", key).await().atMost(WAIT);
        }
        assertThat(keysOfGroup()).isEmpty();

        view.restartReader();
        await().atMost(Duration.ofSeconds(60)).until(view::caughtUp);

        GroupRecord rebuilt = view.getFresh(group).await().atMost(WAIT).orElseThrow();
        assertThat(rebuilt.getVersion()).isEqualTo(2);
        assertThat(rebuilt.getName()).isEqualTo("Rebuilt");
        assertThat(rebuilt.getMembersMap()).containsOnlyKeys(owner, bob, carol);
        assertThat(membership(group, carol).getMember()).isTrue();
        assertThat(clients.routing().send(Sends.command(carol, "phone", Sends.text("after-rebuild", Sends.groupOf(group))))
                .getMessageId()).isNotEmpty();
    }

    @Test
    void groupLostFromRedisIsRestored() {
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(owner).addMemberIds(bob).build());
        redis.execute("DEL", GroupStore.key(group)).await().atMost(WAIT);

        TidingsException lost = org.assertj.core.api.Assertions.catchThrowableOfType(TidingsException.class,
                () -> view.getFresh(group).await().atMost(WAIT));
        assertThat(lost.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(lost.getMessage()).contains(group, "restored");

        await().atMost(WAIT).ignoreExceptions().until(() -> view.getFresh(group).await().atMost(WAIT).isPresent());
        assertThat(view.getFresh(group).await().atMost(WAIT).orElseThrow().getMembersMap()).containsOnlyKeys(owner, bob);
    }

    /** Returns every Redis key of the group: its state and its system messages' de-duplication markers. */
    private List<String> keysOfGroup() {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            io.vertx.mutiny.redis.client.Response page = redis.execute("SCAN", cursor, "MATCH", "tidings:{g:" + group + "}:*", "COUNT", "1000")
                    .await().atMost(WAIT);
            cursor = page.get(0).toString();
            page.get(1).forEach(key -> keys.add(key.toString()));
        } while (!cursor.equals("0"));
        return keys;
    }

    private MembershipReply membership(String groupId, String userId) {
        return clients.routing().getMembership(MembershipRequest.newBuilder().setGroupId(groupId).setUserId(userId).build());
    }

    private boolean isGroupEvent(ConsumerRecord<String, byte[]> record) {
        MessageRecord parsed = Sends.parse(record);
        return parsed.getMessage().getConversation().getType() == ConversationType.GROUP
                && parsed.getMessage().getConversation().getTargetId().equals(group)
                && parsed.getMessage().getContentType().equals("system");
    }
}
