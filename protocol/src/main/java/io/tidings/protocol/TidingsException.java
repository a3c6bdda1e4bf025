package io.tidings.protocol;

import io.tidings.protocol.v1.ErrorCode;

/**
 * A failure that Tidings reports to its caller as an {@link ErrorCode} and a message naming the
 * bad value. Services throw it from the logic classes; the transport adapters turn it into an
 * error frame or a gRPC status.
 */
public class TidingsException extends RuntimeException {

    private final ErrorCode code;

    public TidingsException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TidingsException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static TidingsException invalidArgument(String message) {
        return new TidingsException(ErrorCode.INVALID_ARGUMENT, message);
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
