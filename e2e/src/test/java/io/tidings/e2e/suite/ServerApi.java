package io.tidings.e2e.suite;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.tidings.protocol.server.AuthServiceGrpc;
import io.tidings.protocol.server.CreateGroupRequest;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.server.GroupServiceGrpc;
import io.tidings.protocol.server.IssueTokenRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The server API as an app backend calls it: plain gRPC with the app secret in the metadata. */
public final class ServerApi implements AutoCloseable {

    private static final Metadata.Key<String> APP_SECRET =
            Metadata.Key.of("x-tidings-app-secret", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel connector;
    private final ManagedChannel routing;

    public ServerApi(Suite suite) {
        this.connector = channel(suite.service("connector-svc").port());
        this.routing = channel(suite.service("routing-svc").port());
    }

    private static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static Metadata secret() {
        Metadata metadata = new Metadata();
        metadata.put(APP_SECRET, Suite.APP_SECRET);
        return metadata;
    }

    public AuthServiceGrpc.AuthServiceBlockingStub auth() {
        return AuthServiceGrpc.newBlockingStub(connector)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(secret()))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public GroupServiceGrpc.GroupServiceBlockingStub groups() {
        return GroupServiceGrpc.newBlockingStub(routing)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(secret()))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public String token(String userId) {
        return auth().issueToken(IssueTokenRequest.newBuilder().setUserId(userId).setTtlSeconds(3600).build())
                .getToken();
    }

    public GroupReply createGroup(String groupId, String owner, List<String> members) {
        return groups().createGroup(CreateGroupRequest.newBuilder()
                .setGroupId(groupId).setName("Group " + groupId).setOwnerId(owner)
                .addAllMemberIds(members).build());
    }

    @Override
    public void close() {
        connector.shutdownNow();
        routing.shutdownNow();
    }
}
