package io.tidings.push.delivery;

/** What became of the notification for one device. */
public enum DeviceOutcome {
    /** The provider accepted it. */
    DELIVERED,
    /** The provider rejected the token, which was deleted. */
    TOKEN_REMOVED,
    /** Not sent and not to be tried again: rejected by the provider, retries exhausted, provider disabled. */
    DROPPED,
    /** Not sent because the provider's circuit breaker is open: the event stays in Kafka. */
    DEFERRED;

    /** Returns whether the device is finished with, so a replay of the event skips it. */
    public boolean isFinal() {
        return this != DEFERRED;
    }
}
