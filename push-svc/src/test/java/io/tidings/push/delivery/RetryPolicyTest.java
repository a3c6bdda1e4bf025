package io.tidings.push.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.push.config.PushConfig;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(new PushConfig.Retry() {
        @Override
        public int maxAttempts() {
            return 5;
        }

        @Override
        public Duration initialBackoff() {
            return Duration.ofMillis(200);
        }

        @Override
        public Duration maxBackoff() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration maxRetryAfter() {
            return Duration.ofSeconds(30);
        }
    });

    @Test
    void backoffDoublesWithJitterUpToTheCap() {
        for (int i = 0; i < 50; i++) {
            assertThat(policy.delayAfter(1, Optional.empty())).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(policy.delayAfter(2, Optional.empty())).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.delayAfter(10, Optional.empty())).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        }
    }

    @Test
    void retryAfterIsNeverShortened() {
        assertThat(policy.delayAfter(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void longRetryAfterExceedsTheWaitLimit() {
        assertThat(policy.exceedsMaxRetryAfter(Optional.of(Duration.ofSeconds(31)))).isTrue();
        assertThat(policy.exceedsMaxRetryAfter(Optional.of(Duration.ofSeconds(30)))).isFalse();
        assertThat(policy.exceedsMaxRetryAfter(Optional.empty())).isFalse();
    }
}
