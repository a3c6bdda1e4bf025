package io.tidings.history.health;

import io.smallrye.common.annotation.Identifier;
import io.tidings.history.store.HBaseProbe;
import io.tidings.support.KafkaReadinessCheck;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of history-svc: HBase responds and the history table exists, and Kafka responds. Each
 * probe has a deadline of about 2 s, so readiness turns DOWN within seconds of a dependency
 * stopping and UP again on the first probe after it returns.
 */
@Readiness
@ApplicationScoped
public class HistoryReadiness implements HealthCheck {

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(2);

    private final HBaseProbe hbase;
    private final KafkaReadinessCheck kafka;

    public HistoryReadiness(
            HBaseProbe hbase, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.hbase = hbase;
        this.kafka = new KafkaReadinessCheck(kafkaConfig, KAFKA_TIMEOUT);
    }

    @Override
    public HealthCheckResponse call() {
        String hbaseProblem = hbase.problem();
        String kafkaProblem = kafka.problem();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("history dependencies")
                .status(hbaseProblem == null && kafkaProblem == null)
                .withData("hbase", hbaseProblem == null ? "UP" : hbaseProblem)
                .withData("kafka", kafkaProblem == null ? "UP" : kafkaProblem);
        return response.build();
    }

    @PreDestroy
    void close() {
        kafka.close();
    }
}
