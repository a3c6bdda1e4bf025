package io.tidings.connector.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while Redis (session registry, revocations, pub/sub) replies to PING within 2 s. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;

    public RedisReadinessCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING")
                .ifNoItem().after(TIMEOUT).fail()
                .map(pong -> HealthCheckResponse.up("redis"))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.builder()
                        .name("redis").down().withData("error", failure.toString()).build());
    }
}
