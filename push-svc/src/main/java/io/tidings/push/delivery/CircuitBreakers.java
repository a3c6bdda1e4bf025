package io.tidings.push.delivery;

import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/** One circuit breaker per provider. */
@ApplicationScoped
public class CircuitBreakers {

    private final Map<PushProvider, CircuitBreaker> breakers = new EnumMap<>(PushProvider.class);

    public CircuitBreakers(PushConfig config) {
        for (PushProvider provider : PushProvider.values()) {
            if (provider != PushProvider.UNRECOGNIZED) {
                breakers.put(provider, new CircuitBreaker(provider, config.breaker().failureThreshold(),
                        config.breaker().openDuration(), Clock.systemUTC()));
            }
        }
    }

    public CircuitBreaker of(PushProvider provider) {
        return breakers.get(provider);
    }

    /** Returns the latest instant at which one of the providers may be tried again. */
    public Instant retryAt(Collection<PushProvider> providers) {
        Instant latest = Instant.MIN;
        for (PushProvider provider : providers) {
            Instant at = of(provider).retryAt();
            if (at.isAfter(latest)) {
                latest = at;
            }
        }
        return latest;
    }
}
