package io.tidings.routing.group;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.RoutingConfig;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * A per-group lock in Redis, {@code tidings:{g:<groupId>}:lock}, that serializes changes of one
 * group across routing-svc instances, because each change reads the current state and writes
 * the next full state. The lock expires after {@code tidings.routing.groups.lock-lease}, so a
 * crashed holder cannot block the group for longer. Blocking methods: call them from a worker thread.
 */
@ApplicationScoped
public class GroupLock {

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    private static final long RETRY_PAUSE_MILLIS = 25;

    private static final String RELEASE = String.join("\n",
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end",
            "return 0");

    private final ReactiveRedisDataSource redis;
    private final Duration lease;
    private final Duration wait;

    public GroupLock(ReactiveRedisDataSource redis, RoutingConfig config) {
        this.redis = redis;
        this.lease = config.groups().lockLease();
        this.wait = config.groups().changeWait();
    }

    public static String key(String groupId) {
        return "tidings:{g:" + groupId + "}:lock";
    }

    /**
     * Takes the lock, waiting up to {@code tidings.routing.groups.change-wait} for another holder.
     *
     * @return the token to release it with
     * @throws TidingsException TIMEOUT when another change keeps it too long, UNAVAILABLE when Redis fails
     */
    public String acquire(String groupId) {
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Response response = execute(groupId, "SET", key(groupId), token, "NX", "PX", Long.toString(lease.toMillis()));
            if (response != null) {
                return token;
            }
            if (System.nanoTime() > deadline) {
                throw new TidingsException(ErrorCode.TIMEOUT, "group '" + groupId + "' is being changed by another request for over "
                        + wait.toMillis() + " ms; retry the call");
            }
            try {
                Thread.sleep(RETRY_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TidingsException(ErrorCode.UNAVAILABLE, "interrupted while waiting for the lock of group '" + groupId + "'", e);
            }
        }
    }

    /** Releases the lock if the token still holds it; a failure only leaves it until its lease ends. */
    public void release(String groupId, String token) {
        try {
            execute(groupId, "EVAL", RELEASE, "1", key(groupId), token);
        } catch (TidingsException e) {
            Log.warnf("Releasing the lock of group %s failed; it expires after %d ms: %s", groupId, lease.toMillis(), e.getMessage());
        }
    }

    private Response execute(String groupId, String command, String... args) {
        try {
            return redis.execute(command, args).await().atMost(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            throw new TidingsException(ErrorCode.UNAVAILABLE, "Redis failed on the lock of group '" + groupId + "': "
                    + e.getMessage() + "; retry later", e);
        }
    }
}
