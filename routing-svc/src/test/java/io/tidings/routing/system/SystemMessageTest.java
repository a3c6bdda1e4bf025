package io.tidings.routing.system;

import static io.tidings.routing.support.RoutingClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.MessageServiceGrpc;
import io.tidings.protocol.server.SystemMessageRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.fanout.FanOutConsumer;
import io.tidings.routing.support.FakeOffline;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.KafkaProbe;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.Sends;
import io.tidings.routing.support.TestIds;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class SystemMessageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL url;

    @Inject
    FanOutConsumer consumer;

    RoutingClients clients;
    FakeOffline offline;
    String from;
    String u1;
    String u2;

    @BeforeEach
    void setUp() {
        clients = RoutingClients.at(url.getPort());
        offline = FakeServices.offline();
        from = TestIds.unique("admin");
        u1 = TestIds.unique("u1");
        u2 = TestIds.unique("u2");
        await().atMost(WAIT).until(consumer::positioned);
    }

    @Test
    void toUsersReachesEachInboxOnce() throws Exception {
        try (KafkaProbe messages = KafkaProbe.fromEnd("tidings.messages")) {
            SystemMessageRequest request = request("sys-1").addUserIds(u1).addUserIds(u2).addUserIds(u1).build();
            SendAck ack = clients.messages().sendSystemMessage(request);
            assertThat(clients.messages().sendSystemMessage(request)).isEqualTo(ack);

            ConsumerRecord<String, byte[]> record = messages.await(Sends.withMessageId(ack.getMessageId()), 1, WAIT).get(0);
            assertThat(record.key()).isEqualTo("s:" + from);
            MessageRecord parsed = MessageRecord.parseFrom(record.value());
            assertThat(parsed.getRecipientIdsList()).containsExactly(u1, u2);
            assertThat(parsed.getMessage().getSenderId()).isEqualTo(from);
            assertThat(parsed.getMessage().getConversation()).isEqualTo(conversation(ConversationType.SYSTEM, from));
            assertThat(parsed.getMessage().getFlags().getPersisted()).isTrue();

            await().atMost(WAIT).until(() -> offline.appendsOf(ack.getMessageId()).size() >= 2);
            List<InboxAppend> appends = offline.appendsOf(ack.getMessageId());
            assertThat(appends).extracting(InboxAppend::getUserId).containsExactlyInAnyOrder(u1, u2);
            for (InboxAppend append : appends) {
                assertThat(append.getEntry().getConversation()).isEqualTo(conversation(ConversationType.SYSTEM, from));
                assertThat(append.getEntry().getOwn()).isFalse();
            }
            assertThat(messages.settle(Sends.fromSender(from, "sys-1"), Duration.ofSeconds(2))).hasSize(1);
        }
    }

    @Test
    void toGroupReachesMembers() {
        String group = TestIds.unique("group");
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(u1).addMemberIds(u2).build());

        SendAck ack = clients.messages().sendSystemMessage(request("sys-2").setGroupId(group).build());

        await().atMost(WAIT).until(() -> offline.appendsOf(ack.getMessageId()).size() >= 2);
        List<InboxAppend> appends = offline.appendsOf(ack.getMessageId());
        assertThat(appends).extracting(InboxAppend::getUserId).containsExactlyInAnyOrder(u1, u2);
        assertThat(appends.get(0).getEntry().getConversation()).isEqualTo(conversation(ConversationType.GROUP, group));
    }

    @Test
    void invalidRequestsNameTheBadValue() {
        MessageServiceGrpc.MessageServiceBlockingStub messages = clients.messages();
        String group = TestIds.unique("nogroup");
        assertError(() -> messages.sendSystemMessage(request("e1").build()),
                ErrorCode.INVALID_ARGUMENT, "exactly one of user_ids", "0 given");
        assertError(() -> messages.sendSystemMessage(request("e2").addUserIds(u1).setGroupId(group).build()),
                ErrorCode.INVALID_ARGUMENT, "exactly one of user_ids", group);
        assertError(() -> messages.sendSystemMessage(request("").addUserIds(u1).build()),
                ErrorCode.INVALID_ARGUMENT, "client_message_id is missing");
        assertError(() -> messages.sendSystemMessage(request("e3").setFrom("not valid").addUserIds(u1).build()),
                ErrorCode.INVALID_ARGUMENT, "from", "not valid");
        assertError(() -> messages.sendSystemMessage(request("e4").addUserIds(u1).addUserIds("x:y").build()),
                ErrorCode.INVALID_ARGUMENT, "user_ids[1]", "x:y");
        assertError(() -> messages.sendSystemMessage(request("e5").setContentType("").addUserIds(u1).build()),
                ErrorCode.INVALID_ARGUMENT, "content_type is missing");
        assertError(() -> messages.sendSystemMessage(request("e6").setGroupId(group).build()),
                ErrorCode.GROUP_NOT_FOUND, group);

        SystemMessageRequest.Builder tooMany = request("e7");
        for (int i = 0; i < 1001; i++) {
            tooMany.addUserIds("user" + i);
        }
        assertError(() -> messages.sendSystemMessage(tooMany.build()), ErrorCode.INVALID_ARGUMENT, "1001 users", "1000");
    }

    private SystemMessageRequest.Builder request(String clientMessageId) {
        return SystemMessageRequest.newBuilder()
                .setFrom(from)
                .setClientMessageId(clientMessageId)
                .setContentType("notice")
                .setContent(ByteString.copyFromUtf8("{\"text\":\"maintenance tonight\"}"))
                .setPushText("Maintenance tonight");
    }

    private static Conversation conversation(ConversationType type, String target) {
        return Conversation.newBuilder().setType(type).setTargetId(target).build();
    }
}
