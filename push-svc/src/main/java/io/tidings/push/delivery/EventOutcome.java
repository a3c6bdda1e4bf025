package io.tidings.push.delivery;

import io.tidings.protocol.v1.PushProvider;
import java.util.Set;

/**
 * What became of one PushEvent.
 *
 * @param deferredProviders providers whose open circuit breaker kept a device from its
 *     notification; when not empty the event must be processed again later
 */
public record EventOutcome(Set<PushProvider> deferredProviders) {

    public static final EventOutcome DONE = new EventOutcome(Set.of());

    public boolean isDone() {
        return deferredProviders.isEmpty();
    }
}
