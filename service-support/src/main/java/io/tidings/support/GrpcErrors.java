package io.tidings.support;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;

/**
 * Carries {@link ErrorCode} across gRPC: the code travels as the trailer
 * {@value #ERROR_CODE_KEY_NAME} next to the closest gRPC status, so callers in other services,
 * app backends and the CLI see the same stable code.
 */
public final class GrpcErrors {

    public static final String ERROR_CODE_KEY_NAME = "tidings-error-code";
    public static final Metadata.Key<String> ERROR_CODE_KEY =
            Metadata.Key.of(ERROR_CODE_KEY_NAME, Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    /** Converts a failure into the status a gRPC service returns. */
    public static StatusRuntimeException toStatus(Throwable failure) {
        if (failure instanceof StatusRuntimeException) {
            return (StatusRuntimeException) failure;
        }
        ErrorCode code;
        String message;
        if (failure instanceof TidingsException) {
            code = ((TidingsException) failure).code();
            message = failure.getMessage();
        } else {
            code = ErrorCode.INTERNAL;
            message = "internal error: " + failure.getClass().getSimpleName();
        }
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE_KEY, code.name());
        return grpcStatusOf(code).withDescription(message).withCause(failure).asRuntimeException(trailers);
    }

    /**
     * Converts a failed gRPC call back into a {@link TidingsException} with the code the server
     * sent, or UNAVAILABLE / TIMEOUT / INTERNAL derived from the gRPC status when it sent none.
     */
    public static TidingsException fromStatus(Throwable failure) {
        if (failure instanceof TidingsException) {
            return (TidingsException) failure;
        }
        Status status = Status.fromThrowable(failure);
        Metadata trailers = Status.trailersFromThrowable(failure);
        String name = trailers == null ? null : trailers.get(ERROR_CODE_KEY);
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
        String description = status.getDescription() != null ? status.getDescription() : status.getCode().name();
        return new TidingsException(code, description, failure);
    }

    static Status grpcStatusOf(ErrorCode code) {
        switch (code) {
            case INVALID_ARGUMENT:
            case MALFORMED_FRAME:
            case FRAME_TOO_LARGE:
            case UNSUPPORTED_VERSION:
            case CONTENT_TOO_LARGE:
                return Status.INVALID_ARGUMENT;
            case UNSUPPORTED_OPERATION:
                return Status.UNIMPLEMENTED;
            case TOKEN_INVALID:
            case TOKEN_EXPIRED:
            case TOKEN_REVOKED:
            case UNAUTHENTICATED:
                return Status.UNAUTHENTICATED;
            case PERMISSION_DENIED:
            case NOT_GROUP_MEMBER:
                return Status.PERMISSION_DENIED;
            case NOT_FOUND:
            case GROUP_NOT_FOUND:
                return Status.NOT_FOUND;
            case ALREADY_EXISTS:
                return Status.ALREADY_EXISTS;
            case RATE_LIMITED:
            case TOO_MANY_CONNECTIONS:
            case GROUP_TOO_LARGE:
                return Status.RESOURCE_EXHAUSTED;
            case NOT_CONNECTED:
            case ALREADY_CONNECTED:
            case GROUP_DISMISSED:
                return Status.FAILED_PRECONDITION;
            case UNAVAILABLE:
                return Status.UNAVAILABLE;
            case TIMEOUT:
                return Status.DEADLINE_EXCEEDED;
            default:
                return Status.INTERNAL;
        }
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
}
