package io.tidings.routing.kafka;

import io.quarkus.logging.Log;
import io.tidings.routing.RoutingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the Kafka clients of routing-svc: one shared producer (acks=all, idempotent) for the
 * messages, push and groups topics, one Admin client, and consumers on request. Keys are UTF-8
 * strings and values protobuf bytes.
 */
@ApplicationScoped
public class KafkaClients {

    private final String bootstrapServers;
    private final RoutingConfig.Kafka config;

    public KafkaClients(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, RoutingConfig config) {
        this.bootstrapServers = bootstrapServers;
        this.config = config.kafka();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * Returns the shared producer. acks=all with idempotence means a write is acknowledged only
     * when every in-sync replica has it, and producer retries never duplicate or reorder it.
     */
    @Produces
    @Singleton
    KafkaProducer<String, byte[]> producer() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "routing-svc-" + shortId());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(config.sendTimeout()));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(config.maxBlock()));
        properties.put(ProducerConfig.LINGER_MS_CONFIG, millis(config.linger()));
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
    }

    void closeProducer(@Disposes KafkaProducer<String, byte[]> producer) {
        Log.info("Closing the Kafka producer");
        producer.close(Duration.ofSeconds(5));
    }

    @Produces
    @Singleton
    Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()),
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(Duration.ofSeconds(2));
    }

    /**
     * Creates a consumer with manual offset commits. {@code groupId} may be null for a consumer
     * that assigns partitions itself and commits nothing.
     */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientIdPrefix, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + shortId());
        if (groupId != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        properties.putAll(extra);
        return new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static int millis(Duration duration) {
        return (int) duration.toMillis();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
