package io.tidings.routing.kafka;

import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
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

/**
 * Creates the Kafka clients of routing-svc: one shared producer (acks=all, idempotent) for the
 * messages, push and groups topics, one Admin client, and consumers on request. Keys are UTF-8
 * strings and values protobuf bytes.
 *
 * <p>Every client starts from all {@code kafka.*} properties of the application (Quarkus's
 * {@code default-kafka-broker} map, which also collects {@code KAFKA_*} environment variables), so
 * the bootstrap servers and any SASL or TLS settings reach each of them. The settings that
 * routing-svc depends on are set on top.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> clientConfig;
    private final RoutingConfig.Kafka config;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> clientConfig, RoutingConfig config) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.config = config.kafka();
    }

    /** Returns the application's {@code kafka.*} properties without the prefix, the base of every client. */
    public Map<String, Object> clientConfig() {
        return clientConfig;
    }

    /**
     * Returns the shared producer. acks=all with idempotence means a write is acknowledged only
     * when every in-sync replica has it, and producer retries never duplicate or reorder it.
     */
    @Produces
    @Singleton
    KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(producerProperties(), new StringSerializer(), new ByteArraySerializer());
    }

    Map<String, Object> producerProperties() {
        Map<String, Object> properties = new HashMap<>(clientConfig);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "routing-svc-" + shortId());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis(config.sendTimeout()));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis(config.maxBlock()));
        properties.put(ProducerConfig.LINGER_MS_CONFIG, millis(config.linger()));
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return properties;
    }

    void closeProducer(@Disposes KafkaProducer<String, byte[]> producer) {
        Log.info("Closing the Kafka producer");
        producer.close(Duration.ofSeconds(5));
    }

    @Produces
    @Singleton
    Admin admin() {
        Map<String, Object> properties = new HashMap<>(clientConfig);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return Admin.create(properties);
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(Duration.ofSeconds(2));
    }

    /**
     * Creates a consumer with manual offset commits. {@code groupId} may be null for a consumer
     * that assigns partitions itself and commits nothing.
     */
    public KafkaConsumer<String, byte[]> consumer(String groupId, String clientIdPrefix, Map<String, Object> extra) {
        return new KafkaConsumer<>(consumerProperties(groupId, clientIdPrefix, extra), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    Map<String, Object> consumerProperties(String groupId, String clientIdPrefix, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(clientConfig);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + shortId());
        if (groupId != null) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(config.requestTimeout()));
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        properties.putAll(extra);
        return properties;
    }

    private static int millis(Duration duration) {
        return (int) duration.toMillis();
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
