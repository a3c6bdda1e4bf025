package io.tidings.connector.session;

/**
 * Token bucket of one connection: {@code ratePerSecond} tokens refill continuously up to
 * {@code burst}, and each operation takes one. Not thread-safe: a connection's frames are
 * handled one at a time on its event loop.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final int burst;
    private double tokens;
    private long lastRefillNanos;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1_000_000_000d;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNanos = nowNanos;
    }

    /** Takes one token if there is one; returns false when the connection is over its rate. */
    public boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastRefillNanos;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            lastRefillNanos = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
