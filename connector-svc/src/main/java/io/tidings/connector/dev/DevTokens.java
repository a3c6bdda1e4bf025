package io.tidings.connector.dev;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.ops.Backends;
import io.tidings.protocol.server.IssueTokenReply;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.server.MutinyAuthServiceGrpc;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues tokens for the dev endpoint by calling this connector's own AuthService.IssueToken over
 * gRPC with the app secret, the same path an app backend takes, so the demo exercises the real
 * server API.
 */
@ApplicationScoped
public class DevTokens {

    private final ServerApiCredentials credentials;
    private final Backends backends;
    private final DevConfig config;
    /** One plaintext channel per local port; in practice only the HTTP port. */
    private final Map<Integer, ManagedChannel> channels = new ConcurrentHashMap<>();

    public DevTokens(ServerApiCredentials credentials, Backends backends, DevConfig config) {
        this.credentials = credentials;
        this.backends = backends;
        this.config = config;
    }

    /**
     * Issues a token for {@code userId} with the configured dev lifetime. AuthService validates
     * the user id and fails with INVALID_ARGUMENT naming it.
     *
     * @param ownPort the port this connector serves gRPC on (the HTTP port)
     */
    public Uni<IssueTokenReply> issue(String userId, int ownPort) {
        IssueTokenRequest request = IssueTokenRequest.newBuilder()
                .setUserId(userId)
                .setTtlSeconds(config.tokenTtl().toSeconds())
                .build();
        MutinyAuthServiceGrpc.MutinyAuthServiceStub auth = MutinyAuthServiceGrpc.newMutinyStub(channel(ownPort))
                .withInterceptors(credentials.interceptor());
        return backends.call("connector AuthService", auth.issueToken(request))
                .invoke(reply -> Log.infof("Dev endpoint issued a token for user %s", userId));
    }

    private ManagedChannel channel(int port) {
        return channels.computeIfAbsent(port, key -> ManagedChannelBuilder.forAddress("127.0.0.1", key)
                .usePlaintext()
                .build());
    }

    @PreDestroy
    void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
