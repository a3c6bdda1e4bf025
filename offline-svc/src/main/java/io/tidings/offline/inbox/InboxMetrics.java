package io.tidings.offline.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/** The {@code tidings.offline.*} meters of the inbox. */
@ApplicationScoped
public class InboxMetrics {

    private final MeterRegistry registry;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter pulled;
    private final Counter evicted;
    private final Counter trimmed;
    private final Timer writeLatency;
    private final Timer syncLatency;

    public InboxMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.stored = Counter.builder("tidings.offline.entries.stored")
                .description("Inbox entries stored by Append, duplicates excluded")
                .register(registry);
        this.duplicates = Counter.builder("tidings.offline.entries.duplicates")
                .description("Appends of a message id that the user's inbox already had")
                .register(registry);
        this.pulled = Counter.builder("tidings.offline.entries.pulled")
                .description("Inbox entries returned by Sync")
                .register(registry);
        this.evicted = Counter.builder("tidings.offline.entries.evicted")
                .description("Inbox entries evicted because their conversation exceeded its cap")
                .register(registry);
        this.trimmed = Counter.builder("tidings.offline.entries.trimmed")
                .description("Inbox entries trimmed because they were past retention")
                .register(registry);
        this.writeLatency = Timer.builder("tidings.offline.inbox.write.latency")
                .description("Time of one Append request, all its entries in one Redis round trip")
                .publishPercentileHistogram()
                .register(registry);
        this.syncLatency = Timer.builder("tidings.offline.sync.latency")
                .description("Time of one Sync request")
                .publishPercentileHistogram()
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public Counter stored() {
        return stored;
    }

    public Counter duplicates() {
        return duplicates;
    }

    public Counter pulled() {
        return pulled;
    }

    public Counter evicted() {
        return evicted;
    }

    public Counter trimmed() {
        return trimmed;
    }

    public Timer writeLatency() {
        return writeLatency;
    }

    public Timer syncLatency() {
        return syncLatency;
    }
}
