package io.tidings.client.cli;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.tidings.protocol.server.AuthServiceGrpc;
import io.tidings.protocol.server.ChangeMembersRequest;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.GroupMember;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.server.GroupServiceGrpc;
import io.tidings.protocol.server.IssueTokenReply;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.v1.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the server API of connector-svc (AuthService) and routing-svc (GroupService):
 * an in-test gRPC server that checks the app secret like AppSecretInterceptor, records each
 * request and, after {@link #failWith}, fails with an ErrorCode in the tidings-error-code trailer.
 */
final class FakeServerApi implements AutoCloseable {

    static final String APP_SECRET = "test-secret";
    static final String TOKEN = "token-for-test";
    static final long EXPIRES_AT = 1_900_000_000_123L;

    private static final Metadata.Key<String> APP_SECRET_HEADER =
            Metadata.Key.of("x-tidings-app-secret", Metadata.ASCII_STRING_MARSHALLER);

    final List<IssueTokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    final List<CreateGroupRequest> createRequests = new CopyOnWriteArrayList<>();
    final List<ChangeMembersRequest> addRequests = new CopyOnWriteArrayList<>();
    private volatile ErrorCode failure;
    private final Server server;

    FakeServerApi() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerInterceptors.intercept(new Auth(), new SecretCheck()))
                .addService(ServerInterceptors.intercept(new Groups(), new SecretCheck()))
                .build()
                .start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Makes every later call fail with {@code code}, sent in the trailer as the services do. */
    void failWith(ErrorCode code) {
        this.failure = code;
    }

    static StatusRuntimeException statusOf(ErrorCode code, Status status, String message) {
        Metadata trailers = new Metadata();
        trailers.put(Failures.ERROR_CODE_TRAILER, code.name());
        return status.withDescription(message).asRuntimeException(trailers);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class SecretCheck implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            if (!APP_SECRET.equals(headers.get(APP_SECRET_HEADER))) {
                Metadata trailers = new Metadata();
                trailers.put(Failures.ERROR_CODE_TRAILER, ErrorCode.UNAUTHENTICATED.name());
                call.close(Status.UNAUTHENTICATED.withDescription("missing or wrong app secret"), trailers);
                return new ServerCall.Listener<Q>() {
                };
            }
            return next.startCall(call, headers);
        }
    }

    private final class Auth extends AuthServiceGrpc.AuthServiceImplBase {
        @Override
        public void issueToken(IssueTokenRequest request, StreamObserver<IssueTokenReply> reply) {
            tokenRequests.add(request);
            if (failure != null) {
                reply.onError(statusOf(failure, Status.INVALID_ARGUMENT, "failed by the test"));
                return;
            }
            reply.onNext(IssueTokenReply.newBuilder().setToken(TOKEN).setExpiresAt(EXPIRES_AT).build());
            reply.onCompleted();
        }
    }

    private final class Groups extends GroupServiceGrpc.GroupServiceImplBase {
        @Override
        public void createGroup(CreateGroupRequest request, StreamObserver<GroupReply> reply) {
            createRequests.add(request);
            if (failure != null) {
                reply.onError(statusOf(failure, Status.ALREADY_EXISTS, "group '" + request.getGroupId()
                        + "' already exists with owner 'someone-else'"));
                return;
            }
            GroupReply.Builder group = GroupReply.newBuilder()
                    .setGroupId(request.getGroupId())
                    .setName(request.getName())
                    .setOwnerId(request.getOwnerId())
                    .setVersion(1)
                    .addMembers(GroupMember.newBuilder().setUserId(request.getOwnerId()).setJoinedAt(1000));
            request.getMemberIdsList().forEach(member ->
                    group.addMembers(GroupMember.newBuilder().setUserId(member).setJoinedAt(1000)));
            reply.onNext(group.build());
            reply.onCompleted();
        }

        @Override
        public void addMembers(ChangeMembersRequest request, StreamObserver<GroupReply> reply) {
            addRequests.add(request);
            if (failure != null) {
                reply.onError(statusOf(failure, Status.NOT_FOUND, "group '" + request.getGroupId() + "' not found"));
                return;
            }
            GroupReply.Builder group = GroupReply.newBuilder()
                    .setGroupId(request.getGroupId())
                    .setName("Team")
                    .setOwnerId("owner")
                    .setVersion(2)
                    .addMembers(GroupMember.newBuilder().setUserId("owner").setJoinedAt(1000));
            request.getMemberIdsList().forEach(member ->
                    group.addMembers(GroupMember.newBuilder().setUserId(member).setJoinedAt(2000)));
            reply.onNext(group.build());
            reply.onCompleted();
        }
    }
}
