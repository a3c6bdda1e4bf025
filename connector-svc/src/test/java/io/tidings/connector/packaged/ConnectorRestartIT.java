package io.tidings.connector.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.RecordingListener;
import io.tidings.protocol.internal.ConnectorServiceGrpc;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.server.AuthServiceGrpc;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Notify;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.testsupport.RealServers;
import io.tidings.testsupport.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the packaged connector as a child process and kills it with SIGKILL while a device is
 * connected. The same device must log in on a restarted connector at once, although the dead
 * session's registry entry keeps its 30 s lease. Then SIGTERM must send the client Reconnect.
 */
class ConnectorRestartIT {

    private static final String APP_SECRET = "restart-it-app-secret-0123456789";
    private static final String KEY = Base64.getEncoder().encodeToString(
            "restart-it-key-0123456789abcdef!".getBytes());

    @Test
    void killedConnectorDoesNotBlockRelogin() throws Exception {
        String redisHosts = RealServers.shared(Server.REDIS).redisHosts();
        int port = ConnectorProcess.freePort();
        // One session per user and the ANY policy: a stale entry of the same device that still
        // counted against the limit would make the relogin fail with TOO_MANY_CONNECTIONS.
        Map<String, String> config = Map.of(
                "quarkus.redis.hosts", redisHosts,
                "tidings.server-api.app-secret", APP_SECRET,
                "tidings.connector.token.keys.it1", KEY,
                "tidings.connector.token.active-key-id", "it1",
                "tidings.connector.multi-device-policy", "ANY",
                "tidings.connector.limits.max-connections-per-user", "1",
                "tidings.connector.lease", "30s");
        Path log = Files.createDirectories(Path.of("target")).resolve("connector-restart-it.log");
        String userId = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        String device = "phone-" + UUID.randomUUID().toString().substring(0, 8);

        long killedAt;
        try (ConnectorProcess first = ConnectorProcess.start(port, config, log)) {
            TidingsClient before = client(first, token(port, userId), device, new RecordingListener());
            before.connect().get(30, TimeUnit.SECONDS);
            first.killHard();
            killedAt = System.nanoTime();
            before.close();
        }

        try (ConnectorProcess second = ConnectorProcess.start(port, config, log)) {
            RecordingListener listener = new RecordingListener();
            TidingsClient after = client(second, token(port, userId), device, listener);
            after.connect().get(30, TimeUnit.SECONDS);
            long reloginMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);

            assertThat(reloginMs).as("relogin after kill -9, ms").isLessThan(30_000);
            DeliverReply delivered = deliver(port, userId, device);
            assertThat(delivered.getDevices(0).getStatus()).isEqualTo(DeliveryStatus.DELIVERED);

            second.terminate();
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.frames.stream().anyMatch(Frame::hasReconnect));
            assertThat(second.awaitExit(Duration.ofSeconds(30))).as("connector exits after SIGTERM").isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> after.state() == ConnectionState.RECONNECTING);
            after.close();
        }
    }

    private static TidingsClient client(ConnectorProcess connector, String token, String device, RecordingListener listener) {
        return TidingsClient.builder(connector.wsUrl()).token(token).deviceId(device).platform(Platform.ANDROID)
                .listener(listener).build();
    }

    private static String token(int port, String userId) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(AppSecretInterceptor.APP_SECRET_KEY, APP_SECRET);
            return AuthServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel,
                            MetadataUtils.newAttachHeadersInterceptor(headers)))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .issueToken(IssueTokenRequest.newBuilder().setUserId(userId).build()).getToken();
        } finally {
            channel.shutdownNow();
        }
    }

    private static DeliverReply deliver(int port, String userId, String device) {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return ConnectorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .deliver(DeliverRequest.newBuilder().setUserId(userId).addDeviceIds(device)
                            .addFrames(Frame.newBuilder().setNotify(Notify.newBuilder().setLatestSyncTime(1)))
                            .build());
        } finally {
            channel.shutdownNow();
        }
    }
}
