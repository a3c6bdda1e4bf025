package io.tidings.history.it;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.internal.MembershipRequest;
import io.tidings.protocol.internal.RoutingServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for routing-svc in history-svc tests: a gRPC RoutingService on a free loopback port
 * whose GetMembership returns what the test set with {@link #setMembership}, and records each
 * request. Groups whose id starts with {@value #FAILING_GROUP_PREFIX} fail with UNAVAILABLE.
 */
public class FakeRouting implements QuarkusTestResourceLifecycleManager {

    public static final String FAILING_GROUP_PREFIX = "routing-down-";

    private static final Map<String, MembershipReply> MEMBERSHIPS = new ConcurrentHashMap<>();
    private static final List<MembershipRequest> REQUESTS = new CopyOnWriteArrayList<>();

    private Server server;

    /** Sets the reply for (group, user); users without one get "group exists, never a member". */
    public static void setMembership(String groupId, String userId, boolean member, long joinedAt, long leftAt) {
        MEMBERSHIPS.put(groupId + "/" + userId, MembershipReply.newBuilder()
                .setGroupExists(true)
                .setMember(member)
                .setJoinedAt(joinedAt)
                .setLeftAt(leftAt)
                .build());
    }

    public static List<MembershipRequest> requests() {
        return List.copyOf(REQUESTS);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new Routing())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start the fake RoutingService", e);
        }
        String port = Integer.toString(server.getPort());
        // In test mode a Quarkus gRPC client connects to its test-port, which defaults to the
        // application's own test port.
        return Map.of(
                "quarkus.grpc.clients.routing.host", "127.0.0.1",
                "quarkus.grpc.clients.routing.port", port,
                "quarkus.grpc.clients.routing.test-port", port);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    private static final class Routing extends RoutingServiceGrpc.RoutingServiceImplBase {

        @Override
        public void getMembership(MembershipRequest request, StreamObserver<MembershipReply> reply) {
            REQUESTS.add(request);
            if (request.getGroupId().startsWith(FAILING_GROUP_PREFIX)) {
                reply.onError(Status.UNAVAILABLE.withDescription("fake routing-svc is down").asRuntimeException());
                return;
            }
            MembershipReply membership = MEMBERSHIPS.getOrDefault(request.getGroupId() + "/" + request.getUserId(),
                    MembershipReply.newBuilder().setGroupExists(true).build());
            reply.onNext(membership);
            reply.onCompleted();
        }
    }
}
