package io.tidings.push.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(PushProvider.APNS, 3, Duration.ofSeconds(30), clock);

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.tryAcquire()).isFalse();
        assertThat(breaker.retryAt()).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void successResetsTheCount() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.isOpen()).isFalse();
    }

    @Test
    void halfOpenLetsOneTrialThrough() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void failedTrialOpensAgain() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        clock.advance(Duration.ofSeconds(31));
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
        assertThat(breaker.isOpen()).isTrue();
        assertThat(breaker.retryAt()).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void longRetryAfterOpensForItsLength() {
        breaker.openFor(Duration.ofMinutes(5));
        assertThat(breaker.isOpen()).isTrue();
        clock.advance(Duration.ofMinutes(4));
        assertThat(breaker.tryAcquire()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(breaker.tryAcquire()).isTrue();
    }
}
