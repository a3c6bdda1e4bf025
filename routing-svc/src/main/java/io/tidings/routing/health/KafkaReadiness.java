package io.tidings.routing.health;

import io.tidings.routing.kafka.KafkaClients;
import io.tidings.support.KafkaReadinessCheck;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: the Kafka cluster responds within 3 s. */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {

    private final KafkaReadinessCheck check;

    public KafkaReadiness(KafkaClients kafka) {
        this.check = new KafkaReadinessCheck(kafka.clientConfig(), Duration.ofSeconds(3));
    }

    @Override
    public HealthCheckResponse call() {
        String problem = check.problem();
        return HealthCheckResponse.named("kafka")
                .status(problem == null)
                .withData("problem", problem == null ? "none" : problem)
                .build();
    }

    @PreDestroy
    void close() {
        check.close();
    }
}
