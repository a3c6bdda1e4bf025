package io.tidings.connector.support;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsListener;
import io.tidings.protocol.server.AuthServiceGrpc;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.v1.ConnectRequest;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.AppSecretInterceptor;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** Helpers shared by the connector tests: server API calls, SDK clients and raw Connects. */
public final class TestClients {

    /** One HttpClient for all sockets of a test JVM, so 1,000 clients share one selector thread. */
    public static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ManagedChannel channel;

    private TestClients() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    }

    public static URI wsUrl() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public static String appSecret() {
        return ConfigProvider.getConfig().getValue("tidings.server-api.app-secret", String.class);
    }

    /** Returns a channel to the connector's gRPC server, created for the current port. */
    public static synchronized ManagedChannel channel() {
        String target = "127.0.0.1:" + port();
        if (channel == null || !channel.authority().equals(target)) {
            if (channel != null) {
                channel.shutdownNow();
            }
            channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        }
        return channel;
    }

    public static AuthServiceGrpc.AuthServiceBlockingStub auth(String appSecret) {
        Metadata headers = new Metadata();
        if (appSecret != null) {
            headers.put(AppSecretInterceptor.APP_SECRET_KEY, appSecret);
        }
        return AuthServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel(),
                MetadataUtils.newAttachHeadersInterceptor(headers))).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    public static String issueToken(String userId) {
        return auth(appSecret()).issueToken(IssueTokenRequest.newBuilder().setUserId(userId).build()).getToken();
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 12);
    }

    public static TidingsClient.Builder client(String token, String deviceId, Platform platform) {
        return TidingsClient.builder(wsUrl())
                .token(token)
                .deviceId(deviceId)
                .platform(platform)
                .httpClient(HTTP)
                .requestTimeout(Duration.ofSeconds(20));
    }

    public static TidingsClient client(String token, String deviceId, Platform platform, TidingsListener listener) {
        return client(token, deviceId, platform).listener(listener).build();
    }

    public static Frame connectFrame(String token, String deviceId, Platform platform, int protocolVersion) {
        return Frame.newBuilder()
                .setRequestId(1)
                .setConnect(ConnectRequest.newBuilder()
                        .setToken(token)
                        .setDeviceId(deviceId)
                        .setPlatform(platform)
                        .setSdkVersion("test/0")
                        .setProtocolVersion(protocolVersion))
                .build();
    }
}
