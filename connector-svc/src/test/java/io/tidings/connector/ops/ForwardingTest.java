package io.tidings.connector.ops;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsClientException;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RecordingListener;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.HistoryQuery;
import io.tidings.protocol.internal.InboxAckRequest;
import io.tidings.protocol.internal.InboxMarkReadRequest;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.protocol.v1.RegisterPushTokenRequest;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import io.tidings.protocol.v1.SetPushSettingsRequest;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.testsupport.RedisResource;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class ForwardingTest {

    private static final Conversation GROUP = Conversation.newBuilder()
            .setType(ConversationType.GROUP).setTargetId("g1").build();

    @Test
    void sendCarriesAuthenticatedUserAndDevice() throws Exception {
        String userId = uniqueId("kim");
        String device = uniqueId("dev");
        try (TidingsClient kim = connected(userId, device)) {
            SendAck ack = kim.send(SendRequest.newBuilder().setClientMessageId("c1-" + userId).setConversation(GROUP)
                    .setContentType("text").setContent(ByteString.copyFromUtf8("{\"text\":\"hi\"}")).build())
                    .get(20, TimeUnit.SECONDS);

            assertThat(ack.getMessageId()).isEqualTo("m-c1-" + userId);
            SendCommand recorded = only(SendCommand.class, c -> c.getSenderId().equals(userId));
            assertThat(recorded.getSenderDeviceId()).isEqualTo(device);
            assertThat(recorded.getRequest().getConversation()).isEqualTo(GROUP);
        }
    }

    @Test
    void serviceErrorCodeReachesClient() throws Exception {
        try (TidingsClient failing = connected(uniqueId("fail-lee"), uniqueId("dev"))) {
            assertThatThrownBy(() -> failing.send(SendRequest.newBuilder().setClientMessageId("c2")
                    .setConversation(GROUP).build()).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(TidingsClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NOT_GROUP_MEMBER);
                        assertThat(e.getMessage()).contains("not a member of group g1");
                    });
            assertThat(failing.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void inboxHistoryAndPushOperationsAreForwarded() throws Exception {
        String userId = uniqueId("mia");
        String device = uniqueId("dev");
        try (TidingsClient mia = connected(userId, device)) {
            SyncReply sync = mia.sync(40).get(20, TimeUnit.SECONDS);
            mia.syncAck(45).get(20, TimeUnit.SECONDS);
            mia.markRead(GROUP).get(20, TimeUnit.SECONDS);
            assertThat(mia.history(HistoryRequest.newBuilder().setConversation(GROUP).setCount(5).build())
                    .get(20, TimeUnit.SECONDS).getHasMore()).isTrue();
            mia.registerPushToken(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.APNS)
                    .setToken("apns-token").setAppId("com.example").build()).get(20, TimeUnit.SECONDS);
            mia.setPushSettings(SetPushSettingsRequest.newBuilder().addMute(GROUP).build()).get(20, TimeUnit.SECONDS);
            mia.unregisterPushToken().get(20, TimeUnit.SECONDS);

            assertThat(sync.getNextCursor()).isEqualTo(45);
            InboxSyncRequest syncCall = only(InboxSyncRequest.class, c -> c.getUserId().equals(userId));
            assertThat(syncCall.getDeviceId()).isEqualTo(device);
            assertThat(syncCall.getRequest().getCursor()).isEqualTo(40);
            InboxAckRequest ack = only(InboxAckRequest.class, c -> c.getUserId().equals(userId));
            assertThat(ack.getDeviceId()).isEqualTo(device);
            assertThat(ack.getCursor()).isEqualTo(45);
            assertThat(only(InboxMarkReadRequest.class, c -> c.getUserId().equals(userId)).getConversation())
                    .isEqualTo(GROUP);
            HistoryQuery history = only(HistoryQuery.class, c -> c.getRequesterId().equals(userId));
            assertThat(history.getRequest().getCount()).isEqualTo(5);
            RegisterTokenCommand register = only(RegisterTokenCommand.class, c -> c.getDevice().getUserId().equals(userId));
            assertThat(register.getDevice().getDeviceId()).isEqualTo(device);
            assertThat(register.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(register.getRequest().getToken()).isEqualTo("apns-token");
            assertThat(only(SetPushSettingsCommand.class, c -> c.getUserId().equals(userId)).getRequest().getMuteList())
                    .containsExactly(GROUP);
            assertThat(only(DeviceRef.class, c -> c.getUserId().equals(userId)).getDeviceId()).isEqualTo(device);
        }
    }

    @Test
    void logoutUnregistersAndCloses() throws Exception {
        String userId = uniqueId("ned");
        String device = uniqueId("dev");
        RecordingListener listener = new RecordingListener();
        try (TidingsClient ned = client(issueToken(userId), device, Platform.ANDROID, listener)) {
            ned.connect().get(20, TimeUnit.SECONDS);
            ned.logout().get(20, TimeUnit.SECONDS);

            assertThat(ned.state()).isEqualTo(ConnectionState.CLOSED);
            assertThat(only(DeviceRef.class, c -> c.getUserId().equals(userId)).getDeviceId()).isEqualTo(device);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> !listener.states.contains(ConnectionState.RECONNECTING));
        }
    }

    @Test
    void logoutClosesEvenWhenPushFails() throws Exception {
        try (TidingsClient client = connected(uniqueId("pushdown-ola"), uniqueId("dev"))) {
            client.logout().get(20, TimeUnit.SECONDS);
            assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    @Test
    void unavailableServiceIsNamed() throws Exception {
        try (TidingsClient client = connected(uniqueId("pushdown-quinn"), uniqueId("dev"))) {
            assertThatThrownBy(() -> client.unregisterPushToken().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(TidingsClientException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("push-svc is unavailable");
                    });
        }
    }

    @Test
    void serverOnlyOperationIsUnsupported() throws Exception {
        try (TidingsClient client = connected(uniqueId("pat"), uniqueId("dev"))) {
            Frame reply = client.request(Frame.newBuilder().setSendAck(SendAck.getDefaultInstance()))
                    .get(20, TimeUnit.SECONDS);
            assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.UNSUPPORTED_OPERATION);
            assertThat(reply.getError().getMessage()).contains("SEND_ACK");
        }
    }

    private static TidingsClient connected(String userId, String device) throws Exception {
        TidingsClient client = client(issueToken(userId), device, Platform.ANDROID, new RecordingListener());
        client.connect().get(20, TimeUnit.SECONDS);
        return client;
    }

    private static <T> T only(Class<T> type, java.util.function.Predicate<T> mine) {
        await().atMost(Duration.ofSeconds(10)).until(() -> FakeBackends.calls(type).stream().anyMatch(mine));
        return FakeBackends.calls(type).stream().filter(mine).reduce((a, b) -> {
            throw new AssertionError("more than one " + type.getSimpleName() + ": " + a + " and " + b);
        }).orElseThrow();
    }
}
