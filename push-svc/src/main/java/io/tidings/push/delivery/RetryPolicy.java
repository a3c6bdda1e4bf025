package io.tidings.push.delivery;

import io.tidings.push.config.PushConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: before attempt n+1 the delay is a random value between half and
 * all of min(max-backoff, initial-backoff * 2^(n-1)), and never less than the provider's
 * Retry-After.
 */
@ApplicationScoped
public class RetryPolicy {

    private final PushConfig.Retry config;

    @Inject
    public RetryPolicy(PushConfig config) {
        this(config.retry());
    }

    RetryPolicy(PushConfig.Retry config) {
        this.config = config;
    }

    public int maxAttempts() {
        return config.maxAttempts();
    }

    /** Returns whether a Retry-After is too long to wait in place. */
    public boolean exceedsMaxRetryAfter(Optional<Duration> retryAfter) {
        return retryAfter.isPresent() && retryAfter.get().compareTo(config.maxRetryAfter()) > 0;
    }

    /** Returns the delay before the attempt after {@code failedAttempt} (1-based). */
    public Duration delayAfter(int failedAttempt, Optional<Duration> retryAfter) {
        long initial = config.initialBackoff().toMillis();
        long cap = config.maxBackoff().toMillis();
        int shift = Math.min(failedAttempt - 1, 30);
        long exponential = Math.min(cap, initial * (1L << shift));
        long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
        Duration backoff = Duration.ofMillis(jittered);
        return retryAfter.filter(r -> r.compareTo(backoff) > 0).orElse(backoff);
    }
}
