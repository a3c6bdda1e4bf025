package io.tidings.e2e.scenario;

/**
 * A token bucket that keeps one device's sends under connector-svc's per-connection operation
 * limit ({@code tidings.connector.limits.operations-per-second}, default 20, burst 40). The
 * limit also counts the device's Sync and SyncAck calls, so the send rate must stay well below
 * it: every send of a device makes its next pushed entry point past the device's own copy,
 * which costs a pull (Sync and SyncAck).
 */
final class SendBudget {

    private final double perSecond;
    private final double capacity;
    private double tokens;
    private long updatedNanos;

    SendBudget(double perSecond, int capacity) {
        this.perSecond = perSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.updatedNanos = System.nanoTime();
    }

    /** Takes {@code count} tokens and returns true, or takes none and returns false. */
    synchronized boolean tryTake(int count, long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - updatedNanos) / 1e9 * perSecond);
        updatedNanos = nowNanos;
        if (tokens < count) {
            return false;
        }
        tokens -= count;
        return true;
    }
}
