package io.tidings.push.delivery;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.tidings.push.config.PushConfig;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.Set;

/**
 * Remembers which devices are finished with for a message, so that an event replayed from Kafka
 * (after a deferral, a crash or a rebalance) notifies only the devices it missed. One set per
 * user and message, {@code tidings:{u:<userId>}:push-done:<messageId>}, expiring after
 * tidings.push.consumer.sent-marker-ttl.
 */
@ApplicationScoped
public class SentMarkers {

    private final ReactiveRedisDataSource redis;
    private final String ttlMillis;

    public SentMarkers(ReactiveRedisDataSource redis, PushConfig config) {
        this.redis = redis;
        this.ttlMillis = Long.toString(config.consumer().sentMarkerTtl().toMillis());
    }

    static String key(String userId, String messageId) {
        return "tidings:{u:" + userId + "}:push-done:" + messageId;
    }

    public Uni<Set<String>> finishedDevices(String userId, String messageId) {
        return redis.execute("SMEMBERS", key(userId, messageId)).map(SentMarkers::toSet);
    }

    public Uni<Void> markFinished(String userId, String messageId, String deviceId) {
        String key = key(userId, messageId);
        return redis.execute("SADD", key, deviceId)
                .chain(() -> redis.execute("PEXPIRE", key, ttlMillis))
                .replaceWithVoid();
    }

    private static Set<String> toSet(Response response) {
        Set<String> members = new HashSet<>();
        if (response != null) {
            response.forEach(member -> members.add(member.toString()));
        }
        return members;
    }
}
