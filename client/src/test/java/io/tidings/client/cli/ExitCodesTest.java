package io.tidings.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidings.protocol.v1.ErrorCode;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExitCodesTest {

    private static final Set<ErrorCode> AUTHENTICATION = EnumSet.of(
            ErrorCode.TOKEN_INVALID, ErrorCode.TOKEN_EXPIRED, ErrorCode.TOKEN_REVOKED, ErrorCode.UNAUTHENTICATED);
    private static final Set<ErrorCode> UNREACHABLE = EnumSet.of(
            ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.NOT_CONNECTED);
    private static final Set<ErrorCode> FAILURE = EnumSet.of(
            ErrorCode.INTERNAL, ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.UNRECOGNIZED);

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeHasItsExitCode(ErrorCode code) {
        int expected;
        if (AUTHENTICATION.contains(code)) {
            expected = ExitCodes.AUTHENTICATION;
        } else if (UNREACHABLE.contains(code)) {
            expected = ExitCodes.UNREACHABLE;
        } else if (FAILURE.contains(code)) {
            expected = ExitCodes.FAILURE;
        } else {
            expected = ExitCodes.REJECTED;
        }

        assertEquals(expected, ExitCodes.of(code), code.name());
    }

    @Test
    void rejectionsExitWithFour() {
        for (ErrorCode code : new ErrorCode[] {ErrorCode.NOT_GROUP_MEMBER, ErrorCode.INVALID_ARGUMENT,
                ErrorCode.GROUP_NOT_FOUND, ErrorCode.ALREADY_EXISTS, ErrorCode.RATE_LIMITED,
                ErrorCode.CONTENT_TOO_LARGE, ErrorCode.TOO_MANY_CONNECTIONS, ErrorCode.PERMISSION_DENIED}) {
            assertEquals(4, ExitCodes.of(code), code.name());
        }
    }

    @Test
    void documentedNumbersAreStable() {
        assertEquals(0, ExitCodes.OK);
        assertEquals(2, ExitCodes.USAGE);
        assertEquals(3, ExitCodes.AUTHENTICATION);
        assertEquals(4, ExitCodes.REJECTED);
        assertEquals(5, ExitCodes.UNREACHABLE);
    }

    @Test
    void helpListsEveryExitCode() {
        Set<String> listed = ExitCodes.helpList().keySet();

        for (int code = 0; code <= 5; code++) {
            assertTrue(listed.contains(code + ":"), "help does not list exit code " + code);
        }
    }
}
