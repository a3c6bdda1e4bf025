package io.tidings.support;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.logging.Log;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authenticates server API calls from app backends by the shared app secret in the metadata key
 * {@value #HEADER}. Services apply it to their server API implementations only, with
 * {@code @RegisterInterceptor(AppSecretInterceptor.class)}; internal services do not use it.
 */
@ApplicationScoped
public class AppSecretInterceptor implements ServerInterceptor {

    public static final String HEADER = "x-tidings-app-secret";
    public static final Metadata.Key<String> APP_SECRET_KEY =
            Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final byte[] expected;

    public AppSecretInterceptor(@ConfigProperty(name = "tidings.server-api.app-secret") String appSecret) {
        if (appSecret.length() < 16) {
            throw new IllegalStateException("tidings.server-api.app-secret is " + appSecret.length()
                    + " characters long; use at least 16");
        }
        this.expected = appSecret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String presented = headers.get(APP_SECRET_KEY);
        String method = call.getMethodDescriptor().getFullMethodName();
        if (presented == null) {
            return reject(call, method, "missing app secret: set gRPC metadata " + HEADER);
        }
        // Constant-time comparison, so the secret cannot be guessed from response times.
        if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            return reject(call, method, "wrong app secret in gRPC metadata " + HEADER);
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> reject(ServerCall<Q, R> call, String method, String message) {
        Log.warnf("Rejected server API call %s: %s", method, message);
        Metadata trailers = new Metadata();
        trailers.put(GrpcErrors.ERROR_CODE_KEY, ErrorCode.UNAUTHENTICATED.name());
        call.close(Status.UNAUTHENTICATED.withDescription(message), trailers);
        return new ServerCall.Listener<>() {
        };
    }
}
