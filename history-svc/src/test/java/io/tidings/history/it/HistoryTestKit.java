package io.tidings.history.it;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.internal.HistoryQuery;
import io.tidings.protocol.internal.HistoryServiceGrpc;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.server.AdminHistoryRequest;
import io.tidings.protocol.server.HistoryAdminServiceGrpc;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the history-svc tests share: messages produced to tidings.messages as routing-svc
 * produces them, and gRPC stubs of the service under test.
 */
public final class HistoryTestKit implements AutoCloseable {

    public static final String TOPIC = "tidings.messages";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KafkaProducer<String, byte[]> producer;
    private final ManagedChannel channel;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;

    public HistoryTestKit(int port) {
        this.port = port;
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    /** Returns an id unique to this test run: the prefix and a random suffix. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Conversation peer(String userId) {
        return Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(userId).build();
    }

    public static Conversation group(String groupId) {
        return Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(groupId).build();
    }

    /** Returns a persisted, counted text message as routing-svc accepts it. */
    public static Message message(String senderId, Conversation addressed, long serverTime) {
        String id = String.format("%013d-%06d", serverTime, SEQUENCE.incrementAndGet());
        return Message.newBuilder()
                .setMessageId(id)
                .setClientMessageId("c-" + id)
                .setConversation(addressed)
                .setSenderId(senderId)
                .setSenderDeviceId("phone")
                .setContentType("text")
                .setContent(ByteString.copyFrom("{\"text\":\"" + id + "\"}", StandardCharsets.UTF_8))
                .setFlags(MessageFlags.newBuilder().setPersisted(true).setCounted(true))
                .setServerTime(serverTime)
                .build();
    }

    /** Produces messages to tidings.messages, keyed by conversation, and waits for the acks. */
    public void produce(List<Message> messages) {
        List<Future<?>> acks = new ArrayList<>();
        for (Message message : messages) {
            acks.add(producer.send(record(message, List.of())));
        }
        for (Future<?> ack : acks) {
            awaitAck(ack);
        }
    }

    public void produce(Message message, List<String> recipientIds) {
        awaitAck(producer.send(record(message, recipientIds)));
    }

    private static ProducerRecord<String, byte[]> record(Message message, List<String> recipientIds) {
        String key = recipientIds.isEmpty() || message.getConversation().getType() != ConversationType.SYSTEM
                ? ConversationKeys.of(message.getSenderId(), message.getConversation())
                : ConversationKeys.of(recipientIds.get(0), message.getConversation());
        MessageRecord value = MessageRecord.newBuilder().setMessage(message).addAllRecipientIds(recipientIds).build();
        return new ProducerRecord<>(TOPIC, key, value.toByteArray());
    }

    private static void awaitAck(Future<?> ack) {
        try {
            ack.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("producing to " + TOPIC + " failed", e);
        }
    }

    /**
     * Waits until the history consumer stores new records. A test run's consumer group starts at
     * the end of the topic once it gets its partitions, so records produced before that are not
     * consumed: this produces a canary message every few seconds until one is readable.
     */
    public void awaitConsuming() {
        awaitReadiness(200);
        String user = unique("canary");
        String peer = unique("canary");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            produce(List.of(message(user, peer(peer), System.currentTimeMillis())));
            long retryAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < retryAt) {
                if (!readAll(user, peer(peer)).isEmpty()) {
                    return;
                }
                sleep(200);
            }
        }
        throw new IllegalStateException("history-svc stored no canary message within 120 s");
    }

    /** Waits until GET /q/health/ready returns {@code status} (200 for UP, 503 for DOWN). */
    public void awaitReadiness(int status) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = readinessStatus();
            if (last == status) {
                return;
            }
            sleep(250);
        }
        throw new IllegalStateException("readiness stayed at HTTP " + last + " for 120 s; expected " + status);
    }

    /** Returns the HTTP status of GET /q/health/ready: 200 when UP, 503 when DOWN. */
    public int readinessStatus() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(15))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Returns the body of GET {@code path} on the service, for /q/metrics and /q/health. */
    public String get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Calls HistoryService.Query as {@code requesterId}. */
    public HistoryReply query(String requesterId, Conversation conversation, long beforeTime, int count) {
        HistoryRequest request = HistoryRequest.newBuilder()
                .setConversation(conversation)
                .setBeforeTime(beforeTime)
                .setCount(count)
                .build();
        return query(HistoryQuery.newBuilder().setRequesterId(requesterId).setRequest(request).build());
    }

    public HistoryReply query(HistoryQuery query) {
        return HistoryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).query(query);
    }

    /** Returns a server API stub that sends {@code appSecret}, or none when it is null. */
    public HistoryAdminServiceGrpc.HistoryAdminServiceBlockingStub admin(String appSecret) {
        HistoryAdminServiceGrpc.HistoryAdminServiceBlockingStub stub =
                HistoryAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        if (appSecret == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(AppSecretInterceptor.APP_SECRET_KEY, appSecret);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    public HistoryAdminServiceGrpc.HistoryAdminServiceBlockingStub admin() {
        return admin(ConfigProvider.getConfig().getValue("tidings.server-api.app-secret", String.class));
    }

    /** Returns every message of a conversation through the server API, newest first. */
    public List<Message> readAll(String userId, Conversation conversation) {
        List<Message> all = new ArrayList<>();
        long before = 0;
        while (true) {
            HistoryReply page = admin().queryConversation(AdminHistoryRequest.newBuilder()
                    .setUserId(userId)
                    .setRequest(HistoryRequest.newBuilder().setConversation(conversation).setBeforeTime(before).setCount(100))
                    .build());
            all.addAll(page.getMessagesList());
            if (!page.getHasMore() || page.getMessagesCount() == 0) {
                return all;
            }
            before = page.getMessages(page.getMessagesCount() - 1).getServerTime();
        }
    }

    /** Returns the Tidings error code of a failed call, from the trailer GrpcErrors sets. */
    public static String errorCode(StatusRuntimeException failure) {
        Metadata trailers = failure.getTrailers();
        return trailers == null ? null : trailers.get(GrpcErrors.ERROR_CODE_KEY);
    }

    @Override
    public void close() {
        producer.close();
        channel.shutdownNow();
    }
}
