package io.tidings.offline.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness check that reports UP while Redis replies to PING within {@value #TIMEOUT_MILLIS} ms. */
@Readiness
@ApplicationScoped
public class RedisReadinessCheck implements AsyncHealthCheck {

    static final long TIMEOUT_MILLIS = 2000;

    private final Redis redis;

    public RedisReadinessCheck(Redis redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.send(Request.cmd(Command.PING))
                .ifNoItem().after(Duration.ofMillis(TIMEOUT_MILLIS)).fail()
                .map(pong -> HealthCheckResponse.up("redis"))
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("redis")
                        .down()
                        .withData("error", failure.getClass().getSimpleName() + ": " + failure.getMessage())
                        .build());
    }
}
