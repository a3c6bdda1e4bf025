package io.tidings.routing.send;

import io.quarkus.logging.Log;
import io.tidings.protocol.v1.ErrorCode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs sends that failed for want of capacity (UNAVAILABLE, TIMEOUT) at WARN, at most one line
 * per {@link #INTERVAL_MILLIS}, with the number of such failures left out since the last line.
 * Under overload most sends can fail this way, and a line per send floods the log and costs CPU.
 * {@code tidings_routing_messages_rejected_total} still counts each of them.
 */
class SendFailureLog {

    static final long INTERVAL_MILLIS = 1000;

    private final AtomicLong nextLineAt = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    /** Logs the failure now, or counts it for the next line. Returns whether it was logged. */
    boolean warn(String userId, String deviceId, String clientMessageId, ErrorCode code, String message) {
        long now = System.currentTimeMillis();
        long due = nextLineAt.get();
        if (now < due || !nextLineAt.compareAndSet(due, now + INTERVAL_MILLIS)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        Log.warnf("Send failed userId=%s deviceId=%s clientMessageId=%s: %s %s%s", userId, deviceId, clientMessageId,
                code, message, left == 0 ? "" : " (" + left + " more sends failed for lack of capacity since the last such line)");
        return true;
    }
}
