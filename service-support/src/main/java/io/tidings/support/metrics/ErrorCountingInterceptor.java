package io.tidings.support.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import io.tidings.support.GrpcErrors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.Prioritized;

/**
 * Counts every gRPC call of this service that closes with the {@value GrpcErrors#ERROR_CODE_KEY_NAME}
 * trailer in {@link ErrorCounter} (transport {@code grpc}). The trailer is set by
 * {@link GrpcErrors#toStatus} and by {@link io.tidings.support.AppSecretInterceptor}; calls that
 * fail without it, such as a deadline the client cancels, are not counted. The call, its status
 * and its trailers pass through unchanged.
 */
@GlobalInterceptor
@ApplicationScoped
public class ErrorCountingInterceptor implements ServerInterceptor, Prioritized {

    /**
     * Quarkus 3.33 sorts a service's interceptors by priority and calls the highest first. The
     * interceptors of this project have no priority (0), so this one wraps them and also counts
     * the calls that AppSecretInterceptor rejects.
     */
    static final int PRIORITY = 1_000;

    private final ErrorCounter errors;

    public ErrorCountingInterceptor(ErrorCounter errors) {
        this.errors = errors;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(status, trailers);
                String code = trailers == null ? null : trailers.get(GrpcErrors.ERROR_CODE_KEY);
                if (code != null) {
                    errors.increment(code, ErrorCounter.Transport.GRPC);
                }
            }
        }, headers);
    }
}
