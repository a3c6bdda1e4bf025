package io.tidings.support;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Answers whether the Kafka cluster is reachable, by asking a long-lived Admin client for the
 * cluster id with a short deadline. Services wrap it in their own readiness check.
 */
public final class KafkaReadinessCheck implements AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    /**
     * Creates the check with a whole Kafka client configuration, so that a cluster that needs SASL
     * or TLS can be reached. Pass Quarkus's {@code @Identifier("default-kafka-broker")} map, which
     * contains every {@code kafka.*} property, the bootstrap servers among them.
     */
    public KafkaReadinessCheck(Map<String, Object> clientConfig, Duration timeout) {
        this.timeout = timeout;
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        this.admin = Admin.create(config);
    }

    /** Returns null when Kafka answered, else the reason it did not. */
    public String problem() {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            Log.debugf(e, "Kafka readiness probe failed");
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
