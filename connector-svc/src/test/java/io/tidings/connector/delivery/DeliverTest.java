package io.tidings.connector.delivery;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RecordingListener;
import io.tidings.connector.support.TestClients;
import io.tidings.protocol.internal.ConnectorServiceGrpc;
import io.tidings.protocol.internal.DeliverBatchReply;
import io.tidings.protocol.internal.DeliverBatchRequest;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.internal.DeviceDelivery;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.Notify;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class DeliverTest {

    @Inject
    SessionRegistry registry;

    @Test
    void deliversInOrderAndReportsMissingDevices() throws Exception {
        String userId = uniqueId("ivy");
        String phone = uniqueId("phone");
        String laptop = uniqueId("laptop");
        RecordingListener phoneFrames = new RecordingListener();
        RecordingListener laptopFrames = new RecordingListener();
        try (TidingsClient phoneClient = client(issueToken(userId), phone, Platform.IOS, phoneFrames);
                TidingsClient laptopClient = client(issueToken(userId), laptop, Platform.DESKTOP, laptopFrames)) {
            phoneClient.connect().get(20, TimeUnit.SECONDS);
            laptopClient.connect().get(20, TimeUnit.SECONDS);

            DeliverRequest.Builder request = DeliverRequest.newBuilder().setUserId(userId)
                    .addDeviceIds(phone).addDeviceIds("gone-device");
            for (int i = 1; i <= 5; i++) {
                request.addFrames(deliverFrame("m" + i, i * 10L));
            }
            DeliverReply reply = stub().deliver(request.build());

            assertThat(reply.getDevicesList()).containsExactly(
                    DeviceDelivery.newBuilder().setDeviceId(phone).setStatus(DeliveryStatus.DELIVERED).build(),
                    DeviceDelivery.newBuilder().setDeviceId("gone-device").setStatus(DeliveryStatus.NO_SESSION).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> phoneFrames.delivered.size() == 5);
            assertThat(phoneFrames.delivered).extracting(d -> d.getEntry().getMessage().getMessageId())
                    .containsExactly("m1", "m2", "m3", "m4", "m5");
            assertThat(laptopFrames.delivered).isEmpty();

            DeliverReply toAll = stub().deliver(DeliverRequest.newBuilder().setUserId(userId)
                    .addFrames(Frame.newBuilder().setNotify(Notify.newBuilder().setLatestSyncTime(99))).build());
            assertThat(toAll.getDevicesList()).extracting(DeviceDelivery::getDeviceId).containsExactlyInAnyOrder(phone, laptop);
            assertThat(toAll.getDevicesList()).extracting(DeviceDelivery::getStatus).containsOnly(DeliveryStatus.DELIVERED);
        }
    }

    @Test
    void userWithoutSessionsGetsEmptyReply() {
        DeliverReply reply = stub().deliver(DeliverRequest.newBuilder().setUserId(uniqueId("nobody"))
                .addFrames(deliverFrame("m1", 1)).build());
        assertThat(reply.getDevicesList()).isEmpty();
    }

    @Test
    void badRequestIsInvalidArgument() {
        assertThatThrownBy(() -> stub().deliver(DeliverRequest.newBuilder().setUserId("").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> stub().deliver(DeliverRequest.newBuilder().setUserId("u1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getDescription()).contains("frames is empty"));
    }

    @Test
    void batchRepliesInRequestOrder() throws Exception {
        String ann = uniqueId("ann");
        String ben = uniqueId("ben");
        RecordingListener annFrames = new RecordingListener();
        RecordingListener benFrames = new RecordingListener();
        try (TidingsClient annClient = client(issueToken(ann), "phone", Platform.ANDROID, annFrames);
                TidingsClient benClient = client(issueToken(ben), "phone", Platform.IOS, benFrames)) {
            annClient.connect().get(20, TimeUnit.SECONDS);
            benClient.connect().get(20, TimeUnit.SECONDS);

            DeliverBatchReply reply = stub().deliverBatch(DeliverBatchRequest.newBuilder()
                    .addDeliveries(DeliverRequest.newBuilder().setUserId(ann).addDeviceIds("phone")
                            .addFrames(deliverFrame("a1", 1)).addFrames(deliverFrame("a2", 2)))
                    .addDeliveries(DeliverRequest.newBuilder().setUserId(uniqueId("nobody")).addDeviceIds("phone")
                            .addFrames(deliverFrame("n1", 1)))
                    .addDeliveries(DeliverRequest.newBuilder().setUserId(ben).addFrames(deliverFrame("b1", 1)))
                    .build());

            assertThat(reply.getRepliesList()).hasSize(3);
            assertThat(reply.getReplies(0).getDevicesList()).containsExactly(
                    DeviceDelivery.newBuilder().setDeviceId("phone").setStatus(DeliveryStatus.DELIVERED).build());
            assertThat(reply.getReplies(1).getDevicesList()).containsExactly(
                    DeviceDelivery.newBuilder().setDeviceId("phone").setStatus(DeliveryStatus.NO_SESSION).build());
            assertThat(reply.getReplies(2).getDevicesList()).extracting(DeviceDelivery::getStatus)
                    .containsExactly(DeliveryStatus.DELIVERED);
            await().atMost(Duration.ofSeconds(10)).until(() -> annFrames.delivered.size() == 2 && benFrames.delivered.size() == 1);
            assertThat(annFrames.delivered).extracting(d -> d.getEntry().getMessage().getMessageId()).containsExactly("a1", "a2");
            assertThat(benFrames.delivered).extracting(d -> d.getEntry().getMessage().getMessageId()).containsExactly("b1");
        }
    }

    @Test
    void batchWithOneBadRequestDeliversNothing() throws Exception {
        String cal = uniqueId("cal");
        RecordingListener calFrames = new RecordingListener();
        try (TidingsClient calClient = client(issueToken(cal), "phone", Platform.ANDROID, calFrames)) {
            calClient.connect().get(20, TimeUnit.SECONDS);

            assertThatThrownBy(() -> stub().deliverBatch(DeliverBatchRequest.newBuilder()
                    .addDeliveries(DeliverRequest.newBuilder().setUserId(cal).addFrames(deliverFrame("c1", 1)))
                    .addDeliveries(DeliverRequest.newBuilder().setUserId("bad user"))
                    .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("deliveries[1].user_id 'bad user'");
                    });
            // A later delivery is the first frame the device receives.
            stub().deliverBatch(DeliverBatchRequest.newBuilder()
                    .addDeliveries(DeliverRequest.newBuilder().setUserId(cal).addFrames(deliverFrame("c2", 2))).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> calFrames.delivered.size() == 1);
            assertThat(calFrames.delivered.get(0).getEntry().getMessage().getMessageId()).isEqualTo("c2");
        }
    }

    @Test
    void registryEntryNamesThisConnector() throws Exception {
        String userId = uniqueId("jack");
        String device = uniqueId("dev");
        try (TidingsClient jack = client(issueToken(userId), device, Platform.WEB, new RecordingListener())) {
            String sessionId = jack.connect().get(20, TimeUnit.SECONDS).getSessionId();

            Map<String, SessionEntry> live = registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5));
            assertThat(live).containsOnlyKeys(device);
            assertThat(live.get(device).getSessionId()).isEqualTo(sessionId);
            assertThat(live.get(device).getConnectorAddress()).isEqualTo("127.0.0.1:" + TestClients.port());
            assertThat(live.get(device).getPlatform()).isEqualTo(Platform.WEB);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5)).isEmpty());
    }

    private static ConnectorServiceGrpc.ConnectorServiceBlockingStub stub() {
        return ConnectorServiceGrpc.newBlockingStub(TestClients.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Frame deliverFrame(String messageId, long syncTime) {
        return Frame.newBuilder().setDeliver(Deliver.newBuilder()
                .setEntry(InboxEntry.newBuilder()
                        .setMessage(Message.newBuilder().setMessageId(messageId))
                        .setSyncTime(syncTime))
                .setPrevSyncTime(syncTime - 10)).build();
    }
}
