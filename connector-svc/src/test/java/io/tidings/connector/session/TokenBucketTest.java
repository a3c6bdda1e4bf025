package io.tidings.connector.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void burstThenSustainedRate() {
        TokenBucket bucket = new TokenBucket(10, 5, 0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake(0)).as("burst take %d", i).isTrue();
        }
        assertThat(bucket.tryTake(0)).isFalse();
        // 10 per second: one token after 100 ms, not before.
        assertThat(bucket.tryTake(99_000_000L)).isFalse();
        assertThat(bucket.tryTake(100_000_000L)).isTrue();
        // A long pause refills up to the burst only.
        long later = 60_000_000_000L;
        int taken = 0;
        while (bucket.tryTake(later)) {
            taken++;
        }
        assertThat(taken).isEqualTo(5);
    }
}
