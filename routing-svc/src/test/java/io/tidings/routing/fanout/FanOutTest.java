package io.tidings.routing.fanout;

import static io.tidings.routing.support.Sends.command;
import static io.tidings.routing.support.Sends.groupOf;
import static io.tidings.routing.support.Sends.privateWith;
import static io.tidings.routing.support.Sends.text;
import static io.tidings.routing.support.Sends.withMessageId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.ids.MessageIdGenerator;
import io.tidings.routing.send.Flags;
import io.tidings.routing.support.FakeConnector;
import io.tidings.routing.support.FakeOffline;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.KafkaProbe;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.TestIds;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class FanOutTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL url;

    @Inject
    FanOutConsumer consumer;

    @Inject
    FanOut fanOut;

    @Inject
    SessionRegistry sessions;

    @Inject
    Admin admin;

    @Inject
    RoutingConfig config;

    RoutingClients clients;
    FakeOffline offline;
    FakeConnector connector;
    String alice;
    String bob;

    @BeforeEach
    void setUp() {
        clients = RoutingClients.at(url.getPort());
        offline = FakeServices.offline();
        connector = FakeServices.connector();
        alice = TestIds.unique("alice");
        bob = TestIds.unique("bob");
        await().atMost(WAIT).until(consumer::positioned);
    }

    @Test
    void privateMessageReachesPeerAndSenderDevices() {
        connect(bob, "b-phone");
        connect(alice, "a-phone");
        connect(alice, "a-laptop");

        SendAck ack = clients.routing().send(command(alice, "a-phone", text("p1", privateWith(bob))));

        List<InboxAppend> appends = awaitAppends(ack.getMessageId(), 2);
        InboxAppend toBob = only(appends, bob);
        InboxAppend toAlice = only(appends, alice);
        assertThat(toBob.getEntry().getOwn()).isFalse();
        assertThat(toBob.getEntry().getConversation()).isEqualTo(conversation(ConversationType.PRIVATE, alice));
        assertThat(toAlice.getEntry().getOwn()).isTrue();
        assertThat(toAlice.getEntry().getConversation()).isEqualTo(conversation(ConversationType.PRIVATE, bob));

        Frame toBobFrame = awaitDeliver(bob, ack.getMessageId());
        AppendResult bobResult = offline.resultOf(bob, ack.getMessageId());
        assertThat(toBobFrame.getDeliver().getEntry().getSyncTime()).isEqualTo(bobResult.getSyncTime());
        assertThat(toBobFrame.getDeliver().getPrevSyncTime()).isEqualTo(bobResult.getPrevSyncTime());
        assertThat(toBobFrame.getDeliver().getEntry().getOwn()).isFalse();

        Frame toAliceFrame = awaitDeliver(alice, ack.getMessageId());
        assertThat(toAliceFrame.getDeliver().getEntry().getOwn()).isTrue();
        List<DeliverRequest> aliceRequests = requestsWith(alice, ack.getMessageId());
        assertThat(aliceRequests).hasSize(1);
        assertThat(aliceRequests.get(0).getDeviceIdsList()).containsExactlyInAnyOrder("a-phone", "a-laptop");
    }

    @Test
    void selfChatGoesToOwnOtherDevices() {
        connect(alice, "a-phone");
        connect(alice, "a-laptop");

        SendAck ack = clients.routing().send(command(alice, "a-phone", text("self", privateWith(alice))));

        InboxAppend append = awaitAppends(ack.getMessageId(), 1).get(0);
        assertThat(append.getUserId()).isEqualTo(alice);
        assertThat(append.getEntry().getOwn()).isTrue();
        awaitDeliver(alice, ack.getMessageId());
        assertThat(requestsWith(alice, ack.getMessageId()).get(0).getDeviceIdsList())
                .containsExactlyInAnyOrder("a-phone", "a-laptop");
    }

    @Test
    void groupOfFiftyGetsOneAppendEach() {
        String group = TestIds.unique("group");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            members.add(TestIds.unique("member" + i));
        }
        clients.groups().createGroup(CreateGroupRequest.newBuilder()
                .setGroupId(group).setName("Fifty").setOwnerId(alice).addAllMemberIds(members).build());

        SendAck ack = clients.routing().send(command(alice, "a-phone", text("g50", groupOf(group))));

        List<InboxAppend> appends = awaitAppends(ack.getMessageId(), 50);
        List<String> expected = new ArrayList<>(members);
        expected.add(alice);
        assertThat(appends).extracting(InboxAppend::getUserId).containsExactlyInAnyOrderElementsOf(expected);
        for (InboxAppend append : appends) {
            assertThat(append.getEntry().getConversation()).isEqualTo(conversation(ConversationType.GROUP, group));
            assertThat(append.getEntry().getOwn()).isEqualTo(append.getUserId().equals(alice));
        }
    }

    @Test
    void statusOnlySkipsInboxAndReachesLiveDevices() {
        connect(bob, "b-phone");
        SendRequest typing = privateWith(bob).toBuilder()
                .setClientMessageId("typing-" + UUID.randomUUID())
                .setContentType("typing")
                .setFlags(MessageFlags.newBuilder().setStatusOnly(true))
                .build();

        SendAck ack = clients.routing().send(command(alice, "a-phone", typing));

        Frame frame = awaitDeliver(bob, ack.getMessageId());
        assertThat(frame.getDeliver().getEntry().getSyncTime()).isZero();
        assertThat(frame.getDeliver().getPrevSyncTime()).isZero();
        // Appends come before deliveries, so none can still arrive.
        assertThat(offline.appendsOf(ack.getMessageId())).isEmpty();
    }

    @Test
    void offlineUserGetsPushEvent() throws Exception {
        try (KafkaProbe pushes = KafkaProbe.fromEnd(config.kafka().pushTopic())) {
            SendAck ack = clients.routing().send(command(alice, "a-phone", text("push-1", privateWith(bob))));

            ConsumerRecord<String, byte[]> record = pushes.await(push -> isPushFor(push, bob, ack.getMessageId()), 1, WAIT).get(0);
            assertThat(record.key()).isEqualTo(bob);
            PushEvent event = PushEvent.parseFrom(record.value());
            assertThat(event.getRecipientId()).isEqualTo(bob);
            assertThat(event.getEntry().getSyncTime()).isEqualTo(offline.resultOf(bob, ack.getMessageId()).getSyncTime());
            assertThat(event.getEntry().getConversation()).isEqualTo(conversation(ConversationType.PRIVATE, alice));
            assertThat(event.getUnreadTotal()).isEqualTo(1);
            assertThat(pushes.settle(push -> isPushFor(push, alice, ack.getMessageId()), Duration.ofSeconds(2)))
                    .as("no push for the sender's own copy")
                    .isEmpty();
        }
    }

    @Test
    void goneDeviceFallsBackToPush() throws Exception {
        String device = TestIds.unique("b-tablet");
        connect(bob, device);
        connector.markGone(device);
        try (KafkaProbe pushes = KafkaProbe.fromEnd(config.kafka().pushTopic())) {
            SendAck ack = clients.routing().send(command(alice, "a-phone", text("push-2", privateWith(bob))));

            assertThat(pushes.await(push -> isPushFor(push, bob, ack.getMessageId()), 1, WAIT)).hasSize(1);
            assertThat(requestsWith(bob, ack.getMessageId())).hasSize(1);
        }
    }

    @Test
    void statusOnlyForOfflineUserIsDropped() {
        try (KafkaProbe pushes = KafkaProbe.fromEnd(config.kafka().pushTopic())) {
            SendRequest typing = privateWith(bob).toBuilder()
                    .setClientMessageId("typing-" + UUID.randomUUID())
                    .setContentType("typing")
                    .setFlags(MessageFlags.newBuilder().setStatusOnly(true))
                    .build();
            SendAck ack = clients.routing().send(command(alice, "a-phone", typing));

            assertThat(pushes.settle(push -> isPushFor(push, bob, ack.getMessageId()), Duration.ofSeconds(3))).isEmpty();
            assertThat(offline.appendsOf(ack.getMessageId())).isEmpty();
        }
    }

    @Test
    void failingInboxIsRetriedWithoutCommit() throws Exception {
        try (KafkaProbe messages = KafkaProbe.fromEnd(config.kafka().messagesTopic())) {
            offline.failAppendsFor(bob);
            int failedBefore = offline.failedCalls();
            SendAck ack;
            try {
                ack = clients.routing().send(command(alice, "a-phone", text("retry-me", privateWith(bob))));
                ConsumerRecord<String, byte[]> record = messages.await(withMessageId(ack.getMessageId()), 1, WAIT).get(0);
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());

                await().atMost(WAIT).until(() -> offline.failedCalls() >= failedBefore + 3);
                assertThat(committed(partition)).as("committed offset while failing").isLessThanOrEqualTo(record.offset());
                assertThat(offline.appendsOf(ack.getMessageId())).isEmpty();
            } finally {
                offline.stopFailing();
            }

            ConsumerRecord<String, byte[]> record = messages.await(withMessageId(ack.getMessageId()), 1, WAIT).get(0);
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            assertThat(awaitAppends(ack.getMessageId(), 2)).extracting(InboxAppend::getUserId).containsExactlyInAnyOrder(alice, bob);
            await().atMost(WAIT).until(() -> committed(partition) > record.offset());
        }
    }

    @Test
    void manyEntriesForOneDeviceBecomeNotify() {
        connect(bob, "b-phone");
        int threshold = config.fanout().notifyThreshold();
        List<MessageRecord> records = new ArrayList<>();
        for (int i = 0; i < threshold + 1; i++) {
            records.add(record(alice, bob, "n" + i));
        }

        FanOut.Outcome outcome = fanOut.fanOut(records);

        assertThat(outcome.done()).isEqualTo(records.size());
        assertThat(outcome.failure()).isNull();
        List<DeliverRequest> requests = connector.requestsFor(bob).stream()
                .filter(request -> request.getFramesList().stream().anyMatch(Frame::hasNotify))
                .toList();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getFramesList()).hasSize(1);
        long latest = records.stream()
                .mapToLong(record -> offline.resultOf(bob, record.getMessage().getMessageId()).getSyncTime())
                .max().orElseThrow();
        assertThat(requests.get(0).getFrames(0).getNotify().getLatestSyncTime()).isEqualTo(latest);
        for (MessageRecord record : records) {
            assertThat(requestsWith(bob, record.getMessage().getMessageId())).isEmpty();
        }
    }

    @Test
    void entriesUpToThresholdAreDelivered() {
        connect(bob, "b-phone");
        int threshold = config.fanout().notifyThreshold();
        List<MessageRecord> records = new ArrayList<>();
        for (int i = 0; i < threshold; i++) {
            records.add(record(alice, bob, "d" + i));
        }

        fanOut.fanOut(records);

        List<DeliverRequest> requests = requestsWith(bob, records.get(0).getMessage().getMessageId());
        assertThat(requests).hasSize(1);
        List<String> delivered = requests.get(0).getFramesList().stream()
                .map(frame -> frame.getDeliver().getEntry().getMessage().getMessageId())
                .toList();
        assertThat(delivered).containsExactlyElementsOf(
                records.stream().map(record -> record.getMessage().getMessageId()).toList());
    }

    @Test
    void batchKeepsInboxOrder() {
        List<String> peers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String peer = TestIds.unique("peer" + i);
            peers.add(peer);
            connect(peer, "phone");
        }
        List<MessageRecord> records = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (String peer : peers) {
                records.add(record(alice, peer, "r" + round + "-" + peer));
            }
        }
        int batchCallsBefore = connector.batchCalls();

        FanOut.Outcome outcome = fanOut.fanOut(records);

        assertThat(outcome.done()).isEqualTo(records.size());
        assertThat(outcome.failure()).isNull();
        for (String peer : peers) {
            List<String> expected = records.stream()
                    .filter(record -> record.getMessage().getConversation().getTargetId().equals(peer))
                    .map(record -> record.getMessage().getMessageId())
                    .toList();
            List<InboxAppend> appended = offline.appendsFor(peer);
            assertThat(appended).extracting(append -> append.getEntry().getMessage().getMessageId())
                    .containsExactlyElementsOf(expected);
            List<Long> syncTimes = appended.stream()
                    .map(append -> offline.resultOf(peer, append.getEntry().getMessage().getMessageId()).getSyncTime())
                    .toList();
            assertThat(syncTimes).isSorted();
            assertThat(connector.requestsFor(peer)).hasSize(1);
            assertThat(connector.requestsFor(peer).get(0).getFramesList())
                    .extracting(frame -> frame.getDeliver().getEntry().getMessage().getMessageId())
                    .containsExactlyElementsOf(expected);
        }
        assertThat(connector.batchCalls() - batchCallsBefore).isEqualTo(1);
    }

    @Test
    void oldConnectorGetsDeliverPerUser() throws Exception {
        connect(bob, "b-phone");
        connector.actAsOldVersion(true);
        try (KafkaProbe pushes = KafkaProbe.fromEnd(config.kafka().pushTopic())) {
            MessageRecord record = record(alice, bob, "old-connector");

            FanOut.Outcome outcome = fanOut.fanOut(List.of(record));

            assertThat(outcome.done()).isEqualTo(1);
            assertThat(requestsWith(bob, record.getMessage().getMessageId())).hasSize(1);
            assertThat(pushes.settle(push -> isPushFor(push, bob, record.getMessage().getMessageId()), Duration.ofSeconds(2)))
                    .as("push events for a user that the old connector reached").isEmpty();
        } finally {
            connector.actAsOldVersion(false);
        }
    }

    private MessageRecord record(String sender, String peer, String clientMessageId) {
        MessageIdGenerator.MessageId id = new MessageIdGenerator().next();
        return MessageRecord.newBuilder().setMessage(Message.newBuilder()
                .setMessageId(id.id())
                .setServerTime(id.time())
                .setClientMessageId(clientMessageId)
                .setConversation(conversation(ConversationType.PRIVATE, peer))
                .setSenderId(sender)
                .setSenderDeviceId("a-phone")
                .setContentType("text")
                .setContent(ByteString.copyFromUtf8("{}"))
                .setFlags(Flags.defaults()))
                .build();
    }

    private void connect(String userId, String deviceId) {
        long now = System.currentTimeMillis();
        SessionEntry entry = SessionEntry.newBuilder()
                .setSessionId(UUID.randomUUID().toString())
                .setPlatform(Platform.ANDROID)
                .setConnectorAddress(FakeServices.connectorAddress())
                .setConnectedAt(now)
                .setLeaseExpiresAt(now + 120_000)
                .build();
        sessions.put(userId, deviceId, entry, Duration.ofMinutes(2)).await().atMost(Duration.ofSeconds(5));
    }

    private List<InboxAppend> awaitAppends(String messageId, int count) {
        await().atMost(WAIT).until(() -> offline.appendsOf(messageId).size() >= count);
        List<InboxAppend> appends = offline.appendsOf(messageId);
        assertThat(appends).hasSize(count);
        return appends;
    }

    private Frame awaitDeliver(String userId, String messageId) {
        await().atMost(WAIT).until(() -> !requestsWith(userId, messageId).isEmpty());
        return requestsWith(userId, messageId).get(0).getFramesList().stream()
                .filter(frame -> frame.getDeliver().getEntry().getMessage().getMessageId().equals(messageId))
                .findFirst().orElseThrow();
    }

    private List<DeliverRequest> requestsWith(String userId, String messageId) {
        return connector.requestsFor(userId).stream()
                .filter(request -> request.getFramesList().stream()
                        .anyMatch(frame -> frame.getDeliver().getEntry().getMessage().getMessageId().equals(messageId)))
                .toList();
    }

    private long committed(TopicPartition partition) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin
                .listConsumerGroupOffsets(config.fanout().consumerGroup())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        OffsetAndMetadata offset = offsets.get(partition);
        return offset == null ? -1 : offset.offset();
    }

    private static InboxAppend only(List<InboxAppend> appends, String userId) {
        List<InboxAppend> forUser = appends.stream().filter(append -> append.getUserId().equals(userId)).toList();
        assertThat(forUser).as("appends for %s", userId).hasSize(1);
        return forUser.get(0);
    }

    private static boolean isPushFor(ConsumerRecord<String, byte[]> record, String userId, String messageId) {
        try {
            PushEvent event = PushEvent.parseFrom(record.value());
            return event.getRecipientId().equals(userId) && event.getEntry().getMessage().getMessageId().equals(messageId);
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static Conversation conversation(ConversationType type, String target) {
        return Conversation.newBuilder().setType(type).setTargetId(target).build();
    }
}
