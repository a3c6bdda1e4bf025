package io.tidings.connector.support;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.AckReply;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.HistoryQuery;
import io.tidings.protocol.internal.HistoryServiceGrpc;
import io.tidings.protocol.internal.InboxAckRequest;
import io.tidings.protocol.internal.InboxMarkReadRequest;
import io.tidings.protocol.internal.InboxServiceGrpc;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.internal.PushSettingsServiceGrpc;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.internal.RoutingServiceGrpc;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.support.GrpcErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * In-test stand-ins for routing-svc, offline-svc, history-svc and push-svc: one gRPC server on a
 * random loopback port that records every call and replies with fixed values. A sender id or
 * user id starting with "fail-" gets a NOT_GROUP_MEMBER error, to test error mapping.
 */
public class FakeBackends implements QuarkusTestResourceLifecycleManager {

    public static final List<Object> CALLS = new CopyOnWriteArrayList<>();
    private static Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Routing())
                    .addService(new Inbox())
                    .addService(new History())
                    .addService(new Push())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake backends", e);
        }
        String port = Integer.toString(server.getPort());
        Map<String, String> config = new HashMap<>();
        for (String client : new String[] {"routing", "offline", "history", "push"}) {
            config.put("quarkus.grpc.clients." + client + ".host", "127.0.0.1");
            // Quarkus gRPC clients use test-port, not port, in test mode.
            config.put("quarkus.grpc.clients." + client + ".port", port);
            config.put("quarkus.grpc.clients." + client + ".test-port", port);
        }
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    /** Returns the recorded calls of one request type. */
    public static <T> List<T> calls(Class<T> type) {
        return CALLS.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> boolean failIfRequested(String id, StreamObserver<T> response) {
        if (id.startsWith("fail-")) {
            response.onError(GrpcErrors.toStatus(new TidingsException(ErrorCode.NOT_GROUP_MEMBER,
                    "user " + id + " is not a member of group g1")));
            return true;
        }
        return false;
    }

    private static <T> void reply(StreamObserver<T> response, T value) {
        response.onNext(value);
        response.onCompleted();
    }

    static final class Routing extends RoutingServiceGrpc.RoutingServiceImplBase {
        @Override
        public void send(SendCommand request, StreamObserver<SendAck> response) {
            CALLS.add(request);
            if (failIfRequested(request.getSenderId(), response)) {
                return;
            }
            reply(response, SendAck.newBuilder()
                    .setClientMessageId(request.getRequest().getClientMessageId())
                    .setMessageId("m-" + request.getRequest().getClientMessageId())
                    .setServerTime(1234)
                    .build());
        }
    }

    static final class Inbox extends InboxServiceGrpc.InboxServiceImplBase {
        @Override
        public void sync(InboxSyncRequest request, StreamObserver<SyncReply> response) {
            CALLS.add(request);
            if (failIfRequested(request.getUserId(), response)) {
                return;
            }
            reply(response, SyncReply.newBuilder().setNextCursor(request.getRequest().getCursor() + 5).build());
        }

        @Override
        public void ack(InboxAckRequest request, StreamObserver<AckReply> response) {
            CALLS.add(request);
            reply(response, AckReply.getDefaultInstance());
        }

        @Override
        public void markRead(InboxMarkReadRequest request, StreamObserver<AckReply> response) {
            CALLS.add(request);
            reply(response, AckReply.getDefaultInstance());
        }
    }

    static final class History extends HistoryServiceGrpc.HistoryServiceImplBase {
        @Override
        public void query(HistoryQuery request, StreamObserver<HistoryReply> response) {
            CALLS.add(request);
            reply(response, HistoryReply.newBuilder().setHasMore(true).build());
        }
    }

    static final class Push extends PushSettingsServiceGrpc.PushSettingsServiceImplBase {
        @Override
        public void registerToken(RegisterTokenCommand request, StreamObserver<AckReply> response) {
            CALLS.add(request);
            reply(response, AckReply.getDefaultInstance());
        }

        @Override
        public void unregisterToken(DeviceRef request, StreamObserver<AckReply> response) {
            CALLS.add(request);
            if (request.getUserId().startsWith("pushdown-")) {
                response.onError(Status.UNAVAILABLE.withDescription("push-svc is down").asRuntimeException());
                return;
            }
            reply(response, AckReply.getDefaultInstance());
        }

        @Override
        public void setSettings(SetPushSettingsCommand request, StreamObserver<AckReply> response) {
            CALLS.add(request);
            reply(response, AckReply.getDefaultInstance());
        }
    }
}
