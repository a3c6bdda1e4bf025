package io.tidings.client.cli;

import io.tidings.protocol.v1.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes of tidings-cli, and which {@link ErrorCode} leads to which. */
final class ExitCodes {

    static final int OK = 0;
    /** A failure that is neither the caller's nor the network's: INTERNAL, or a bug in the CLI. */
    static final int FAILURE = 1;
    static final int USAGE = 2;
    static final int AUTHENTICATION = 3;
    static final int REJECTED = 4;
    static final int UNREACHABLE = 5;

    private ExitCodes() {
    }

    /** Returns the exit code for a failure that carries {@code code}. */
    static int of(ErrorCode code) {
        switch (code) {
            case TOKEN_INVALID:
            case TOKEN_EXPIRED:
            case TOKEN_REVOKED:
            case UNAUTHENTICATED:
                return AUTHENTICATION;
            case UNAVAILABLE:
            case TIMEOUT:
            case NOT_CONNECTED:
                return UNREACHABLE;
            case INTERNAL:
            case ERROR_CODE_UNSPECIFIED:
            case UNRECOGNIZED:
                return FAILURE;
            default:
                return REJECTED;
        }
    }

    /** Returns the "Exit codes" section of every command's help. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(OK + ":", "Success.");
        list.put(FAILURE + ":", "Unexpected failure: INTERNAL from the server, or a bug in tidings-cli.");
        list.put(USAGE + ":", "Usage error: an option is missing, unknown or has an invalid value.");
        list.put(AUTHENTICATION + ":", "Authentication error: the token is invalid, expired or revoked"
                + " (TOKEN_INVALID, TOKEN_EXPIRED, TOKEN_REVOKED), or the app secret is wrong (UNAUTHENTICATED).");
        list.put(REJECTED + ":", "Rejected request: the server rejected it with an error code, which stderr names"
                + " (for example NOT_GROUP_MEMBER), or it ended the session (Kicked).");
        list.put(UNREACHABLE + ":", "Server unreachable or timed out (UNAVAILABLE, TIMEOUT).");
        return list;
    }
}
