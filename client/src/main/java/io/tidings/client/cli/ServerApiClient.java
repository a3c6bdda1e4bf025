package io.tidings.client.cli;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.server.AuthServiceGrpc;
import io.tidings.protocol.server.GroupServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** A gRPC channel to one service's server API, with the app secret on every call. */
final class ServerApiClient implements AutoCloseable {

    private static final Metadata.Key<String> APP_SECRET =
            Metadata.Key.of("x-tidings-app-secret", Metadata.ASCII_STRING_MARSHALLER);

    private final OptionValues.ServerAddress address;
    private final ManagedChannel channel;
    private final Metadata headers = new Metadata();
    private final Duration timeout;

    ServerApiClient(OptionValues.ServerAddress address, ServerApiOptions options, Duration timeout) {
        this.address = address;
        this.timeout = timeout;
        this.headers.put(APP_SECRET, options.appSecret());
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address.host, address.port);
        if (options.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        this.channel = builder.build();
    }

    AuthServiceGrpc.AuthServiceBlockingStub auth() {
        return AuthServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    GroupServiceGrpc.GroupServiceBlockingStub groups() {
        return GroupServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs one call and converts a failed status into a TidingsException with the server's
     * ErrorCode and a message naming the call and the address.
     *
     * @param rpc the service and method, for example "AuthService.IssueToken"
     */
    <T> T call(String rpc, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            TidingsException failure = Failures.fromGrpcStatus(e);
            Throwable cause = e.getStatus().getCause();
            String detail = failure.getMessage()
                    + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "");
            throw new TidingsException(failure.code(), rpc + " at " + address + " failed: " + detail, e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
