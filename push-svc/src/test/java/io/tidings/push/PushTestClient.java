package io.tidings.push;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.protocol.internal.PushSettingsServiceGrpc;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.protocol.server.PushTokenAdminServiceGrpc;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.protocol.v1.RegisterPushTokenRequest;
import io.tidings.protocol.v1.SetPushSettingsRequest;
import io.tidings.push.kafka.PushEventConsumer;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.SessionRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the acceptance tests do as the other services would: register tokens and settings over
 * gRPC (as connector-svc), write session entries (as connector-svc) and produce PushEvents to
 * tidings.push (as routing-svc).
 */
public final class PushTestClient implements AutoCloseable {

    public static final String APP_SECRET = "test-app-secret-0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ManagedChannel channel;
    private final KafkaProducer<String, byte[]> producer;
    private final SessionRegistry sessions;

    public PushTestClient(int grpcPort, SessionRegistry sessions, PushEventConsumer consumer) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
        this.sessions = sessions;
        await().atMost(Duration.ofSeconds(60)).until(() -> !consumer.assignedPartitions().isEmpty());
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Returns a random 64-digit hexadecimal APNs device token. */
    public static String apnsToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String messageId() {
        return "M" + System.currentTimeMillis() + String.format("%06d", SEQUENCE.incrementAndGet() % 1_000_000);
    }

    public PushSettingsServiceGrpc.PushSettingsServiceBlockingStub settings() {
        return PushSettingsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public PushTokenAdminServiceGrpc.PushTokenAdminServiceBlockingStub admin() {
        Metadata metadata = new Metadata();
        metadata.put(AppSecretInterceptor.APP_SECRET_KEY, APP_SECRET);
        return PushTokenAdminServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public PushTokenAdminServiceGrpc.PushTokenAdminServiceBlockingStub adminWithoutSecret() {
        return PushTokenAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public void registerToken(String userId, String deviceId, PushProvider provider, String token, String appId,
            boolean sandbox) {
        settings().registerToken(RegisterTokenCommand.newBuilder()
                .setDevice(DeviceRef.newBuilder().setUserId(userId).setDeviceId(deviceId))
                .setPlatform(provider == PushProvider.APNS ? Platform.IOS : Platform.ANDROID)
                .setRequest(RegisterPushTokenRequest.newBuilder()
                        .setProvider(provider).setToken(token).setAppId(appId).setApnsSandbox(sandbox))
                .build());
    }

    public void setSettings(String userId, SetPushSettingsRequest request) {
        settings().setSettings(SetPushSettingsCommand.newBuilder().setUserId(userId).setRequest(request).build());
    }

    /** Writes a live session entry for the device, as connector-svc does on Connect. */
    public void goOnline(String userId, String deviceId) {
        SessionEntry entry = SessionEntry.newBuilder()
                .setSessionId(UUID.randomUUID().toString())
                .setPlatform(Platform.IOS)
                .setConnectorAddress("127.0.0.1:1")
                .setLeaseExpiresAt(System.currentTimeMillis() + 120_000)
                .setConnectedAt(System.currentTimeMillis())
                .build();
        sessions.put(userId, deviceId, entry, Duration.ofMinutes(2)).await().atMost(Duration.ofSeconds(5));
    }

    /** Builds a text message from {@code senderId} to {@code recipientId} in a private conversation. */
    public static PushEvent privateText(String senderId, String recipientId, String text, long unreadTotal) {
        Message message = Message.newBuilder()
                .setMessageId(messageId())
                .setClientMessageId(UUID.randomUUID().toString())
                .setConversation(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(recipientId))
                .setSenderId(senderId)
                .setSenderDeviceId("phone")
                .setContentType("text")
                .setContent(ByteString.copyFrom(new JsonObject().put("text", text).encode(), StandardCharsets.UTF_8))
                .setFlags(MessageFlags.newBuilder().setPersisted(true).setCounted(true))
                .setServerTime(System.currentTimeMillis())
                .build();
        return PushEvent.newBuilder()
                .setRecipientId(recipientId)
                .setEntry(InboxEntry.newBuilder()
                        .setMessage(message)
                        .setConversation(ConversationKeys.viewOf(recipientId, senderId, message.getConversation()))
                        .setSyncTime(System.currentTimeMillis()))
                .setUnreadTotal(unreadTotal)
                .build();
    }

    /** Builds a text message from {@code senderId} in group {@code groupId}, as {@code recipientId} receives it. */
    public static PushEvent groupText(String senderId, String groupId, String groupName, String recipientId,
            String text, long unreadTotal) {
        PushEvent event = privateText(senderId, recipientId, text, unreadTotal);
        Conversation group = Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(groupId).build();
        return event.toBuilder()
                .setGroupName(groupName)
                .setEntry(event.getEntry().toBuilder()
                        .setConversation(group)
                        .setMessage(event.getEntry().getMessage().toBuilder().setConversation(group)))
                .build();
    }

    /** Produces the event to tidings.push keyed by recipient, as routing-svc does, and waits for the ack. */
    public void produce(PushEvent event) {
        try {
            producer.send(new ProducerRecord<>("tidings.push", event.getRecipientId(), event.toByteArray()))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("producing the PushEvent failed: " + e, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        producer.close(Duration.ofSeconds(5));
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
