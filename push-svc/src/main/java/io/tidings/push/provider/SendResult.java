package io.tidings.push.provider;

import java.time.Duration;
import java.util.Optional;

/** The outcome of one send attempt to a provider, as the retry logic needs it. */
public sealed interface SendResult {

    /** The provider accepted the notification. */
    record Delivered(String providerMessageId) implements SendResult {
    }

    /** The provider says the device token is invalid or no longer registered: delete it. */
    record InvalidToken(String reason) implements SendResult {
    }

    /** A transient failure (429, 5xx, connection): try again, not before {@code retryAfter}. */
    record Retryable(String reason, Optional<Duration> retryAfter) implements SendResult {
        public static Retryable of(String reason) {
            return new Retryable(reason, Optional.empty());
        }
    }

    /** A permanent failure of this notification (bad request, credentials): do not retry. */
    record Rejected(String reason) implements SendResult {
    }

    /** Returns a metric-friendly reason, or "ok". */
    default String reason() {
        if (this instanceof InvalidToken invalid) {
            return invalid.reason();
        }
        if (this instanceof Retryable retryable) {
            return retryable.reason();
        }
        if (this instanceof Rejected rejected) {
            return rejected.reason();
        }
        return "ok";
    }
}
