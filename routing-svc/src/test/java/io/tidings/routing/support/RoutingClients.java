package io.tidings.routing.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.RoutingServiceGrpc;
import io.tidings.protocol.server.GroupServiceGrpc;
import io.tidings.protocol.server.MessageServiceGrpc;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.microprofile.config.ConfigProvider;

/** gRPC stubs that call the routing-svc under test, and an assertion for its errors. */
public final class RoutingClients {

    private static final Map<Integer, ManagedChannel> CHANNELS = new ConcurrentHashMap<>();

    private final ManagedChannel channel;

    private RoutingClients(ManagedChannel channel) {
        this.channel = channel;
    }

    /** Returns clients for the service listening on {@code port} on 127.0.0.1. */
    public static RoutingClients at(int port) {
        return new RoutingClients(CHANNELS.computeIfAbsent(port,
                p -> ManagedChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build()));
    }

    public RoutingServiceGrpc.RoutingServiceBlockingStub routing() {
        return RoutingServiceGrpc.newBlockingStub(channel);
    }

    /** Returns the GroupService stub with the test app secret. */
    public GroupServiceGrpc.GroupServiceBlockingStub groups() {
        return GroupServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(secret()));
    }

    /** Returns the GroupService stub without an app secret. */
    public GroupServiceGrpc.GroupServiceBlockingStub groupsWithoutSecret() {
        return GroupServiceGrpc.newBlockingStub(channel);
    }

    /** Returns the MessageService stub with the test app secret. */
    public MessageServiceGrpc.MessageServiceBlockingStub messages() {
        return MessageServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(secret()));
    }

    private static Metadata secret() {
        Metadata headers = new Metadata();
        headers.put(AppSecretInterceptor.APP_SECRET_KEY,
                ConfigProvider.getConfig().getValue("tidings.server-api.app-secret", String.class));
        return headers;
    }

    /**
     * Asserts that the call fails with the Tidings error code and that the message contains each
     * fragment; returns the error.
     */
    public static TidingsException assertError(ThrowingCallable call, ErrorCode code, String... fragments) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("expected %s", code).isNotNull();
        TidingsException error = GrpcErrors.fromStatus(failure);
        assertThat(error.code()).as(error.getMessage()).isEqualTo(code);
        for (String fragment : fragments) {
            assertThat(error.getMessage()).contains(fragment);
        }
        return error;
    }
}
