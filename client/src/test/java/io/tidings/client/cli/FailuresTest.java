package io.tidings.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Metadata;
import io.grpc.Status;
import io.tidings.client.TidingsClientException;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void trailerCodeWinsOverStatus() {
        TidingsException failure = Failures.translate(FakeServerApi.statusOf(
                ErrorCode.NOT_GROUP_MEMBER, Status.PERMISSION_DENIED, "user 'carol' is not a member of group 'g'"));

        assertEquals(ErrorCode.NOT_GROUP_MEMBER, failure.code());
        assertEquals("user 'carol' is not a member of group 'g'", failure.getMessage());
    }

    @Test
    void statusWithoutTrailerIsMapped() {
        assertEquals(ErrorCode.UNAVAILABLE, Failures.translate(Status.UNAVAILABLE.asRuntimeException()).code());
        assertEquals(ErrorCode.TIMEOUT, Failures.translate(Status.DEADLINE_EXCEEDED.asRuntimeException()).code());
        assertEquals(ErrorCode.UNAUTHENTICATED, Failures.translate(Status.UNAUTHENTICATED.asRuntimeException()).code());
        assertEquals(ErrorCode.INTERNAL, Failures.translate(Status.UNKNOWN.asRuntimeException()).code());
    }

    @Test
    void unknownTrailerFallsBackToStatus() {
        Metadata trailers = new Metadata();
        trailers.put(Failures.ERROR_CODE_TRAILER, "NO_SUCH_CODE");

        TidingsException failure = Failures.translate(Status.NOT_FOUND.withDescription("gone").asRuntimeException(trailers));

        assertEquals(ErrorCode.NOT_FOUND, failure.code());
    }

    @Test
    void sdkFailureKeepsCodeWithoutPrefix() {
        TidingsException failure = Failures.translate(new CompletionException(
                new TidingsClientException(ErrorCode.NOT_GROUP_MEMBER, "user 'carol' is not a member")));

        assertEquals(ErrorCode.NOT_GROUP_MEMBER, failure.code());
        assertEquals("user 'carol' is not a member", failure.getMessage());
    }

    @Test
    void tidingsExceptionPassesThrough() {
        TidingsException original = new TidingsException(ErrorCode.GROUP_NOT_FOUND, "group 'g' not found");

        assertSame(original, Failures.translate(new CompletionException(original)));
    }

    @Test
    void unexpectedExceptionIsInternal() {
        TidingsException failure = Failures.translate(new IllegalStateException("boom"));

        assertEquals(ErrorCode.INTERNAL, failure.code());
        assertEquals("unexpected failure: java.lang.IllegalStateException: boom", failure.getMessage());
    }

    @Test
    void awaitTimeoutNamesWhat() {
        TidingsException failure = assertThrows(TidingsException.class,
                () -> Failures.await(new CompletableFuture<>(), Duration.ofMillis(10), "sending message c1"));

        assertEquals(ErrorCode.TIMEOUT, failure.code());
        assertEquals("sending message c1 timed out after 10 ms", failure.getMessage());
    }
}
