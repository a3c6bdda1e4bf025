package io.tidings.push.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.common.annotation.Identifier;
import io.tidings.push.config.PushConfig;
import io.tidings.support.KafkaReadinessCheck;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: Redis replies to PING and the Kafka cluster describes itself, each within a few seconds. */
@Readiness
@ApplicationScoped
public class PushReadinessCheck implements HealthCheck {

    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(3);

    private final ReactiveRedisDataSource redis;
    private final Duration redisTimeout;
    private final KafkaReadinessCheck kafka;

    public PushReadinessCheck(ReactiveRedisDataSource redis, PushConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.redis = redis;
        this.redisTimeout = config.redisReadinessTimeout();
        this.kafka = new KafkaReadinessCheck(kafkaConfig, KAFKA_TIMEOUT);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("push dependencies").up();
        String redisProblem = redisProblem();
        String kafkaProblem = kafka.problem();
        response.withData("redis", redisProblem == null ? "UP" : redisProblem);
        response.withData("kafka", kafkaProblem == null ? "UP" : kafkaProblem);
        if (redisProblem != null || kafkaProblem != null) {
            response.down();
        }
        return response.build();
    }

    private String redisProblem() {
        try {
            redis.execute("PING").await().atMost(redisTimeout);
            return null;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @PreDestroy
    void close() {
        kafka.close();
    }
}
