package io.tidings.e2e.suite;

import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsListener;
import io.tidings.client.sync.CursorStore;
import io.tidings.client.sync.MessageListener;
import io.tidings.client.sync.MessageSync;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import com.google.protobuf.ByteString;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One app install in an e2e test: a {@link TidingsClient} with the SDK's {@link MessageSync},
 * recording every inbox entry the app would show, in the order it got them.
 */
public final class Device implements AutoCloseable {

    private final String userId;
    private final String deviceId;
    private final TidingsClient client;
    private final MessageSync sync;
    private final CursorStore cursor;
    private final List<InboxEntry> received = new CopyOnWriteArrayList<>();
    private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

    private Device(String url, String token, String userId, String deviceId, Platform platform, CursorStore cursor) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.cursor = cursor;
        this.client = TidingsClient.builder(URI.create(url))
                .token(token)
                .deviceId(deviceId)
                .platform(platform)
                .requestTimeout(Duration.ofSeconds(20))
                .listener(new TidingsListener() {
                    @Override
                    public void onStateChanged(ConnectionState state, ErrorCode code, String detail) {
                        states.add(state);
                    }
                })
                .build();
        this.sync = MessageSync.attach(client, cursor, new MessageListener() {
            @Override
            public void onMessage(InboxEntry entry) {
                received.add(entry);
            }
        });
    }

    /** Connects a device of {@code userId} to the suite's connector (or to {@code url}). */
    public static Device connect(String url, ServerApi api, String userId, String deviceId, Platform platform) {
        return connect(url, api, userId, deviceId, platform, CursorStore.inMemory(0));
    }

    public static Device connect(String url, ServerApi api, String userId, String deviceId, Platform platform,
            CursorStore cursor) {
        Device device = new Device(url, api.token(userId), userId, deviceId, platform, cursor);
        device.client.connect().orTimeout(30, TimeUnit.SECONDS).join();
        return device;
    }

    public String userId() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    public TidingsClient client() {
        return client;
    }

    public MessageSync sync() {
        return sync;
    }

    public CursorStore cursorStore() {
        return cursor;
    }

    public List<ConnectionState> states() {
        return states;
    }

    public static Conversation privateWith(String peer) {
        return Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(peer).build();
    }

    public static Conversation group(String groupId) {
        return Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(groupId).build();
    }

    /** Sends a text message and waits for its ack. */
    public SendAck sendText(Conversation to, String clientMessageId, String text) {
        return client.send(textRequest(to, clientMessageId, text)).orTimeout(30, TimeUnit.SECONDS).join();
    }

    public static SendRequest textRequest(Conversation to, String clientMessageId, String text) {
        return SendRequest.newBuilder()
                .setClientMessageId(clientMessageId)
                .setConversation(to)
                .setContentType("text")
                .setContent(ByteString.copyFromUtf8("{\"text\":\"" + text + "\"}"))
                .build();
    }

    /** Returns the received entries, in order. */
    public List<InboxEntry> received() {
        return new ArrayList<>(received);
    }

    /** Returns the client message ids of received entries in {@code conversation}, own ones included. */
    public List<String> receivedClientIds(Conversation conversation) {
        return received.stream()
                .filter(e -> e.getConversation().equals(conversation))
                .map(e -> e.getMessage().getClientMessageId())
                .collect(Collectors.toList());
    }

    /**
     * Returns the client message ids of received entries in {@code conversation} that others sent,
     * leaving out the user's own messages (which every device of the sender receives too).
     */
    public List<String> receivedFromOthers(Conversation conversation) {
        return received.stream()
                .filter(e -> e.getConversation().equals(conversation) && !e.getOwn())
                .map(e -> e.getMessage().getClientMessageId())
                .collect(Collectors.toList());
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout}. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        client.close();
        sync.close();
    }
}
