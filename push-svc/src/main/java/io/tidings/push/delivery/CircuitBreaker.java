package io.tidings.push.delivery;

import io.quarkus.logging.Log;
import io.tidings.protocol.v1.PushProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker for one provider. Closed: every send goes through, and
 * {@code failureThreshold} consecutive failures open it. Open: sends are refused until
 * {@code openDuration} has passed. Then one trial send goes through (half-open): success closes
 * the breaker, failure opens it again.
 */
public final class CircuitBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final PushProvider provider;
    private final int failureThreshold;
    private final Duration openDuration;
    private final Clock clock;

    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;
    private boolean trialInFlight;

    public CircuitBreaker(PushProvider provider, int failureThreshold, Duration openDuration, Clock clock) {
        this.provider = provider;
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.clock = clock;
    }

    /** Returns whether a send may go out now; in half-open state only one at a time. */
    public synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (clock.instant().isBefore(openUntil)) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                Log.infof("Circuit breaker of %s is half-open: sending one trial notification", provider);
                return true;
            default:
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
        }
    }

    public synchronized void onSuccess() {
        if (state != State.CLOSED) {
            Log.infof("Circuit breaker of %s closed: the provider responds again", provider);
        }
        state = State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
    }

    public synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= failureThreshold)) {
            open(openDuration);
        }
    }

    /** Opens the breaker for at least {@code duration}, for a long Retry-After. */
    public synchronized void openFor(Duration duration) {
        open(duration);
    }

    private void open(Duration duration) {
        Instant until = clock.instant().plus(duration);
        if (state != State.OPEN || until.isAfter(openUntil)) {
            openUntil = until;
        }
        if (state != State.OPEN) {
            Log.warnf("Circuit breaker of %s opened after %d consecutive failures; notifications wait in Kafka until %s",
                    provider, consecutiveFailures, openUntil);
        }
        state = State.OPEN;
        trialInFlight = false;
    }

    /** Returns whether sends are refused right now (open and its time not yet over). */
    public synchronized boolean isOpen() {
        return state == State.OPEN && clock.instant().isBefore(openUntil);
    }

    /** Returns when a send may be tried again: now unless the breaker is open. */
    public synchronized Instant retryAt() {
        return state == State.OPEN ? openUntil : clock.instant();
    }

    synchronized State state() {
        return state;
    }
}
