package io.tidings.routing.send;

import static io.tidings.routing.support.RoutingClients.assertError;
import static io.tidings.routing.support.Sends.command;
import static io.tidings.routing.support.Sends.conversation;
import static io.tidings.routing.support.Sends.fromSender;
import static io.tidings.routing.support.Sends.groupOf;
import static io.tidings.routing.support.Sends.privateWith;
import static io.tidings.routing.support.Sends.text;
import static io.tidings.routing.support.Sends.withMessageId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.DismissGroupRequest;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import io.tidings.routing.ids.MessageIdGenerator;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
class SendTest {

    private static final String TOPIC = "tidings.messages";
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL url;

    @Inject
    DedupStore dedup;

    RoutingClients clients;
    String alice;
    String bob;

    @BeforeEach
    void setUp() {
        clients = RoutingClients.at(url.getPort());
        alice = TestIds.unique("alice");
        bob = TestIds.unique("bob");
    }

    @Test
    void ackFollowsKafkaCommit() throws Exception {
        try (KafkaProbe probe = KafkaProbe.fromEnd(TOPIC)) {
            long before = System.currentTimeMillis();
            SendAck ack = clients.routing().send(command(alice, "phone", text("m1", privateWith(bob))));
            long after = System.currentTimeMillis();

            assertThat(ack.getClientMessageId()).isEqualTo("m1");
            assertThat(ack.getMessageId()).hasSize(MessageIdGenerator.LENGTH);
            assertThat(ack.getServerTime()).isBetween(before, after);
            assertThat(MessageIdGenerator.timeOf(ack.getMessageId())).isEqualTo(ack.getServerTime());

            List<ConsumerRecord<String, byte[]>> records = probe.await(withMessageId(ack.getMessageId()), 1, KAFKA_WAIT);
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo(ConversationKeys.privateKey(alice, bob));
            Message message = MessageRecord.parseFrom(records.get(0).value()).getMessage();
            assertThat(message.getSenderId()).isEqualTo(alice);
            assertThat(message.getSenderDeviceId()).isEqualTo("phone");
            assertThat(message.getClientMessageId()).isEqualTo("m1");
            assertThat(message.getServerTime()).isEqualTo(ack.getServerTime());
            assertThat(message.getConversation()).isEqualTo(privateWith(bob).getConversation());
            assertThat(message.getContent().toStringUtf8()).isEqualTo("{\"text\":\"hello\"}");
            assertThat(message.getFlags().getPersisted()).isTrue();
            assertThat(message.getFlags().getCounted()).isTrue();
        }
    }

    @Test
    void retriedSendReturnsOriginalAck() {
        try (KafkaProbe probe = KafkaProbe.fromEnd(TOPIC)) {
            SendCommand send = command(alice, "phone", text("retry-1", privateWith(bob)));
            SendAck first = clients.routing().send(send);
            SendAck second = clients.routing().send(send);
            SendAck fromOtherDevice = clients.routing().send(command(alice, "laptop", text("retry-1", privateWith(bob))));

            assertThat(second).isEqualTo(first);
            assertThat(fromOtherDevice).isEqualTo(first);
            assertThat(probe.settle(fromSender(alice, "retry-1"), Duration.ofSeconds(3))).hasSize(1);
        }
    }

    @Test
    void concurrentDuplicatesGetOneAck() throws Exception {
        try (KafkaProbe probe = KafkaProbe.fromEnd(TOPIC)) {
            SendCommand send = command(alice, "phone", text("race-1", privateWith(bob)));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<SendAck> acks = new ArrayList<>();
            try {
                List<Callable<SendAck>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(() -> clients.routing().send(send));
                }
                for (Future<SendAck> result : pool.invokeAll(calls)) {
                    acks.add(result.get());
                }
            } finally {
                pool.shutdownNow();
            }

            Set<SendAck> distinct = new HashSet<>(acks);
            assertThat(distinct).hasSize(1);
            probe.await(fromSender(alice, "race-1"), 1, KAFKA_WAIT);
            assertThat(probe.settle(fromSender(alice, "race-1"), Duration.ofSeconds(3))).hasSize(1);
        }
    }

    @Test
    void concurrentSendsGetOrderedIds() throws Exception {
        String carol = TestIds.unique("carol");
        int count = 60;
        try (KafkaProbe probe = KafkaProbe.fromEnd(TOPIC)) {
            ExecutorService pool = Executors.newFixedThreadPool(12);
            try {
                List<Callable<SendAck>> calls = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    // Two senders in one conversation, each with several sends in flight at once.
                    String sender = i % 2 == 0 ? alice : carol;
                    String peer = i % 2 == 0 ? carol : alice;
                    SendCommand send = command(sender, "phone", text("order-" + i, privateWith(peer)));
                    calls.add(() -> clients.routing().send(send));
                }
                for (Future<SendAck> result : pool.invokeAll(calls)) {
                    result.get();
                }
            } finally {
                pool.shutdownNow();
            }

            List<Message> inPartitionOrder = probe.await(record -> {
                Message message = Sends.parse(record).getMessage();
                return message.getClientMessageId().startsWith("order-")
                        && (message.getSenderId().equals(carol) || message.getConversation().getTargetId().equals(carol));
            }, count, KAFKA_WAIT).stream().map(record -> Sends.parse(record).getMessage()).toList();

            assertThat(inPartitionOrder).hasSize(count);
            assertThat(inPartitionOrder).extracting(Message::getMessageId).isSorted();
            assertThat(inPartitionOrder).extracting(Message::getServerTime).isSorted();
        }
    }

    @Test
    void retryAfterFailedWriteReusesReservedId() {
        // An earlier attempt claimed the marker and released it after its Kafka write failed.
        MessageIdGenerator.MessageId reserved = new MessageIdGenerator().next();
        String key = DedupStore.key("u:" + alice, "failed-1");
        DedupStore.Claimed earlier = (DedupStore.Claimed) dedup.claim(key, reserved.id(), reserved.time()).await().atMost(KAFKA_WAIT);
        dedup.release(key, earlier).await().atMost(KAFKA_WAIT);

        try (KafkaProbe probe = KafkaProbe.fromEnd(TOPIC)) {
            SendAck ack = clients.routing().send(command(alice, "phone", text("failed-1", privateWith(bob))));

            assertThat(ack.getMessageId()).isEqualTo(reserved.id());
            assertThat(ack.getServerTime()).isEqualTo(reserved.time());
            assertThat(probe.await(withMessageId(reserved.id()), 1, KAFKA_WAIT)).hasSize(1);
        }
    }

    @Test
    void retryWhileFirstAttemptWritesTimesOut() {
        MessageIdGenerator.MessageId reserved = new MessageIdGenerator().next();
        dedup.claim(DedupStore.key("u:" + alice, "slow-1"), reserved.id(), reserved.time()).await().atMost(KAFKA_WAIT);

        assertError(() -> clients.routing().send(command(alice, "phone", text("slow-1", privateWith(bob)))),
                ErrorCode.TIMEOUT, "slow-1", "still in progress");
    }

    @Test
    void differentSendersMayReuseClientMessageId() {
        SendAck fromAlice = clients.routing().send(command(alice, "phone", text("same", privateWith(bob))));
        SendAck fromBob = clients.routing().send(command(bob, "phone", text("same", privateWith(alice))));
        assertThat(fromBob.getMessageId()).isNotEqualTo(fromAlice.getMessageId());
    }

    @Test
    void selfChatIsAccepted() {
        SendAck ack = clients.routing().send(command(alice, "phone", text("note", privateWith(alice))));
        assertThat(ack.getMessageId()).isNotEmpty();
    }

    @Test
    void statusOnlyIsNeitherPersistedNorCounted() throws Exception {
        try (KafkaProbe probe = KafkaProbe.fromEnd(TOPIC)) {
            SendRequest typing = text("typing-1", privateWith(bob)).toBuilder()
                    .setContentType("typing")
                    .setFlags(MessageFlags.newBuilder().setStatusOnly(true).setPersisted(true).setCounted(true))
                    .build();
            SendAck ack = clients.routing().send(command(alice, "phone", typing));

            ConsumerRecord<String, byte[]> record = probe.await(withMessageId(ack.getMessageId()), 1, KAFKA_WAIT).get(0);
            MessageFlags flags = MessageRecord.parseFrom(record.value()).getMessage().getFlags();
            assertThat(flags.getStatusOnly()).isTrue();
            assertThat(flags.getPersisted()).isFalse();
            assertThat(flags.getCounted()).isFalse();
        }
    }

    @Test
    void invalidSendsNameTheBadValue() {
        String tooLong = "x".repeat(65);
        assertError(() -> clients.routing().send(command(alice, "phone", text("", privateWith(bob)))),
                ErrorCode.INVALID_ARGUMENT, "client_message_id is missing");
        assertError(() -> clients.routing().send(command(alice, "phone", text(tooLong, privateWith(bob)))),
                ErrorCode.INVALID_ARGUMENT, tooLong, "65 characters", "64");
        assertError(() -> clients.routing().send(command(alice, "phone", text("c1", privateWith(bob)).toBuilder().clearConversation().build())),
                ErrorCode.INVALID_ARGUMENT, "conversation.type is missing");
        assertError(() -> clients.routing().send(command(alice, "phone", text("c2", conversation(ConversationType.SYSTEM, "admin")))),
                ErrorCode.INVALID_ARGUMENT, "SYSTEM");
        assertError(() -> clients.routing().send(command(alice, "phone", text("c3", privateWith("bad:id")))),
                ErrorCode.INVALID_ARGUMENT, "conversation.target_id", "bad:id");
        assertError(() -> clients.routing().send(command(alice, "phone", text("c4", privateWith(bob)).toBuilder().setContentType("").build())),
                ErrorCode.INVALID_ARGUMENT, "content_type is missing");
        assertError(() -> clients.routing().send(command(alice, "phone", text("c5", privateWith(bob)).toBuilder().setContentType("system").build())),
                ErrorCode.INVALID_ARGUMENT, "content_type 'system' is reserved");
        assertError(() -> clients.routing().send(command("bad id", "phone", text("c6", privateWith(bob)))),
                ErrorCode.INVALID_ARGUMENT, "sender_id", "bad id");
        assertError(() -> clients.routing().send(command(alice, "", text("c7", privateWith(bob)))),
                ErrorCode.INVALID_ARGUMENT, "device_id");
    }

    @Test
    void contentAboveLimitIsTooLarge() {
        SendRequest large = text("big-1", privateWith(bob)).toBuilder()
                .setContent(ByteString.copyFrom(new byte[128 * 1024 + 1]))
                .build();
        assertError(() -> clients.routing().send(command(alice, "phone", large)),
                ErrorCode.CONTENT_TOO_LARGE, "131073 bytes", "limit of 131072 bytes");

        SendRequest atLimit = large.toBuilder().setClientMessageId("big-2").setContent(ByteString.copyFrom(new byte[128 * 1024])).build();
        assertThat(clients.routing().send(command(alice, "phone", atLimit)).getMessageId()).isNotEmpty();
    }

    @Test
    void groupSendsCheckMembership() {
        String group = TestIds.unique("group");
        String carol = TestIds.unique("carol");
        clients.groups().createGroup(CreateGroupRequest.newBuilder()
                .setGroupId(group).setName("Team").setOwnerId(alice).addMemberIds(bob).build());

        assertThat(clients.routing().send(command(bob, "phone", text("g1", groupOf(group)))).getMessageId()).isNotEmpty();
        assertError(() -> clients.routing().send(command(carol, "phone", text("g2", groupOf(group)))),
                ErrorCode.NOT_GROUP_MEMBER, carol, group);
        String missing = TestIds.unique("nogroup");
        assertError(() -> clients.routing().send(command(alice, "phone", text("g3", groupOf(missing)))),
                ErrorCode.GROUP_NOT_FOUND, missing);

        clients.groups().dismissGroup(DismissGroupRequest.newBuilder().setGroupId(group).setOperatorId(alice).build());
        assertError(() -> clients.routing().send(command(alice, "phone", text("g4", groupOf(group)))),
                ErrorCode.GROUP_DISMISSED, group);
    }

    @Test
    void rejectedSendCanBeRetriedWithSameId() {
        String group = TestIds.unique("group");
        assertError(() -> clients.routing().send(command(alice, "phone", text("later", groupOf(group)))),
                ErrorCode.GROUP_NOT_FOUND, group);
        clients.groups().createGroup(CreateGroupRequest.newBuilder().setGroupId(group).setOwnerId(alice).build());

        assertThat(clients.routing().send(command(alice, "phone", text("later", groupOf(group)))).getMessageId()).isNotEmpty();
    }
}
