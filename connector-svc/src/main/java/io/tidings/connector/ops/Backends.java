package io.tidings.connector.ops;

import io.smallrye.mutiny.Uni;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.AckReply;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.OkReply;
import io.tidings.support.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;

/** The common wrapping of calls to other Tidings services: deadline and error mapping. */
@ApplicationScoped
public class Backends {

    static final Frame OK = Frame.newBuilder().setOk(OkReply.getDefaultInstance()).build();

    private final ConnectorConfig config;

    public Backends(ConnectorConfig config) {
        this.config = config;
    }

    /**
     * Applies the backend deadline and turns gRPC failures into {@link TidingsException} with the
     * code the service sent (GrpcErrors.fromStatus).
     */
    public <T> Uni<T> call(String service, Uni<T> call) {
        long timeoutMs = config.backendTimeout().toMillis();
        return call
                .ifNoItem().after(config.backendTimeout())
                .failWith(() -> new TidingsException(ErrorCode.TIMEOUT,
                        service + " did not answer within " + timeoutMs + " ms; the request may still take effect"))
                .onFailure(failure -> !(failure instanceof TidingsException)).transform(failure -> {
                    TidingsException error = GrpcErrors.fromStatus(failure);
                    if (error.code() == ErrorCode.UNAVAILABLE) {
                        // The gRPC description alone ("io exception") does not say which service.
                        return new TidingsException(ErrorCode.UNAVAILABLE,
                                service + " is unavailable (" + error.getMessage() + "); retry later", failure);
                    }
                    return error;
                });
    }

    public Uni<Frame> callOk(String service, Uni<AckReply> call) {
        return call(service, call).map(ack -> OK);
    }
}
