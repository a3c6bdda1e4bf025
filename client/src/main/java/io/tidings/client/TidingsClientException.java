package io.tidings.client;

import io.tidings.protocol.v1.ErrorCode;

/** A request or connection failure with the {@link ErrorCode} the server sent or the SDK chose. */
public class TidingsClientException extends RuntimeException {

    private final ErrorCode code;

    public TidingsClientException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public TidingsClientException(ErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
