package io.tidings.routing;

import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import java.time.Duration;

/** Waits for a Uni on a worker thread, turning a timeout into a TidingsException. */
public final class Await {

    private Await() {
    }

    /**
     * Returns the Uni's item, or throws its failure.
     *
     * @param what the operation, for the timeout message, for example "reading group g1 from Redis"
     * @throws TidingsException TIMEOUT when no item or failure arrives within {@code timeout}
     */
    public static <T> T await(Uni<T> uni, Duration timeout, String what) {
        try {
            return uni.await().atMost(timeout);
        } catch (TimeoutException e) {
            throw new TidingsException(ErrorCode.TIMEOUT, what + " did not complete within " + timeout.toMillis() + " ms; retry", e);
        }
    }
}
