package io.tidings.support.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registers the gauge {@value #NAME} for the consumer groups of this service, tagged with the
 * group id ({@code group}) and {@code quarkus.application.name} ({@code service}). The services
 * create their KafkaConsumers themselves, so Quarkus's Kafka client metrics do not cover them.
 */
@ApplicationScoped
public class ConsumerLagMeters {

    public static final String NAME = "tidings.kafka.consumer.lag";

    private final MeterRegistry registry;
    private final String service;
    private final Map<String, ConsumerLag> byGroup = new ConcurrentHashMap<>();

    public ConsumerLagMeters(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.registry = registry;
        this.service = service;
    }

    /** Returns the lag of consumer group {@code groupId}, registering its gauge on first use. */
    public ConsumerLag register(String groupId) {
        return byGroup.computeIfAbsent(groupId, group -> {
            ConsumerLag lag = new ConsumerLag(group);
            Gauge.builder(NAME, lag, ConsumerLag::records)
                    .description("Records between this instance's consumer positions and the ends of its assigned partitions")
                    .tag("group", group)
                    .tag("service", service)
                    .strongReference(true)
                    .register(registry);
            return lag;
        });
    }
}
