package io.tidings.client.cli;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.tidings.client.TidingsClientException;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Turns what the SDK, gRPC and futures throw into a {@link TidingsException} with an {@link ErrorCode}. */
final class Failures {

    /** The trailer in which the services send the ErrorCode name next to the gRPC status. */
    static final Metadata.Key<String> ERROR_CODE_TRAILER =
            Metadata.Key.of("tidings-error-code", Metadata.ASCII_STRING_MARSHALLER);

    private Failures() {
    }

    /**
     * Waits for {@code future}, failing with TIMEOUT after {@code timeout}.
     *
     * @param operation what the future is for, named in the error, for example "sending message c1"
     */
    static <T> T await(CompletableFuture<T> future, Duration timeout, String operation) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TidingsException(ErrorCode.TIMEOUT, operation + " timed out after " + format(timeout));
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidingsException(ErrorCode.UNAVAILABLE, operation + " was interrupted", e);
        }
    }

    /** Returns the failure as a TidingsException, keeping the server's code and message. */
    static TidingsException translate(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof TidingsException) {
            return (TidingsException) cause;
        }
        if (cause instanceof TidingsClientException) {
            TidingsClientException client = (TidingsClientException) cause;
            return new TidingsException(client.code(), withoutCodePrefix(client.code(), client.getMessage()), client);
        }
        if (cause instanceof StatusRuntimeException || cause instanceof StatusException) {
            return fromGrpcStatus(cause);
        }
        return new TidingsException(ErrorCode.INTERNAL, "unexpected failure: " + cause, cause);
    }

    /** Returns the failure inside CompletionException and ExecutionException wrappers. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Converts a failed gRPC call into the code the server put in the trailer, or one derived from
     * the gRPC status when there is none (a proxy, or a server that is not Tidings).
     * NOTE: mirrors io.tidings.support.GrpcErrors.fromStatus, which the CLI cannot use because
     * service-support needs Quarkus.
     */
    static TidingsException fromGrpcStatus(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        Metadata trailers = Status.trailersFromThrowable(failure);
        String name = trailers == null ? null : trailers.get(ERROR_CODE_TRAILER);
        ErrorCode code = null;
        if (name != null) {
            try {
                code = ErrorCode.valueOf(name);
            } catch (IllegalArgumentException unknown) {
                code = null;
            }
        }
        if (code == null) {
            code = errorCodeOf(status.getCode());
        }
        String description = status.getDescription() != null ? status.getDescription() : "gRPC status " + status.getCode();
        return new TidingsException(code, description, failure);
    }

    static ErrorCode errorCodeOf(Status.Code code) {
        switch (code) {
            case INVALID_ARGUMENT:
                return ErrorCode.INVALID_ARGUMENT;
            case UNAUTHENTICATED:
                return ErrorCode.UNAUTHENTICATED;
            case PERMISSION_DENIED:
                return ErrorCode.PERMISSION_DENIED;
            case NOT_FOUND:
                return ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS:
                return ErrorCode.ALREADY_EXISTS;
            case RESOURCE_EXHAUSTED:
                return ErrorCode.RATE_LIMITED;
            case UNAVAILABLE:
                return ErrorCode.UNAVAILABLE;
            case DEADLINE_EXCEEDED:
                return ErrorCode.TIMEOUT;
            case UNIMPLEMENTED:
                return ErrorCode.UNSUPPORTED_OPERATION;
            default:
                return ErrorCode.INTERNAL;
        }
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static String withoutCodePrefix(ErrorCode code, String message) {
        String prefix = code + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }
}
