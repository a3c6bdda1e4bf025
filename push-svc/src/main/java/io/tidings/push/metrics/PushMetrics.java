package io.tidings.push.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidings.protocol.v1.PushProvider;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;

/**
 * Push metrics, tagged by provider (apns, fcm, ...):
 * tidings.push.sent, tidings.push.failed (tag reason), tidings.push.retried,
 * tidings.push.tokens.removed, tidings.push.deferred, tidings.push.latency, and
 * tidings.push.skipped (tag reason) for events and devices that got no notification.
 */
@ApplicationScoped
public class PushMetrics {

    private final MeterRegistry registry;

    public PushMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void sent(PushProvider provider, Duration latency) {
        registry.counter("tidings.push.sent", "provider", tag(provider)).increment();
        Timer.builder("tidings.push.latency").tag("provider", tag(provider)).register(registry).record(latency);
    }

    /** Counts a failed attempt; {@code reason} comes from a provider's documented set. */
    public void failed(PushProvider provider, String reason) {
        registry.counter("tidings.push.failed", "provider", tag(provider), "reason", reason).increment();
    }

    public void retried(PushProvider provider) {
        registry.counter("tidings.push.retried", "provider", tag(provider)).increment();
    }

    public void tokenRemoved(PushProvider provider) {
        registry.counter("tidings.push.tokens.removed", "provider", tag(provider)).increment();
    }

    /** Counts a notification left in Kafka because the provider's circuit breaker is open. */
    public void deferred(PushProvider provider) {
        registry.counter("tidings.push.deferred", "provider", tag(provider)).increment();
    }

    public void skipped(String reason) {
        registry.counter("tidings.push.skipped", "reason", reason).increment();
    }

    public double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    public static String tag(PushProvider provider) {
        return provider.name().toLowerCase(Locale.ROOT);
    }
}
