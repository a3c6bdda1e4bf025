package io.tidings.support;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.SessionEntry;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The session registry in Redis: which devices of a user are connected, to which connector.
 *
 * <p>Layout: one hash per user, {@code tidings:{u:<userId>}:sessions}, field = device id, value =
 * base64 of a {@link SessionEntry}. The braces are a Redis Cluster hash tag, so all keys of one
 * user share a slot. Each entry carries a lease ({@code lease_expires_at}); the connector that
 * holds the socket refreshes it, and readers ignore entries past it, so the entries of a killed
 * connector stop counting without anyone deleting them. The hash itself expires after the
 * longest lease it holds.
 *
 * <p>connector-svc writes; routing-svc and push-svc read.
 */
@ApplicationScoped
public class SessionRegistry {

    // Deletes the field only while it still names the given session, so a stale connector cannot
    // remove the entry of a newer login of the same device.
    private static final String REMOVE_IF_SESSION = String.join("\n",
            "local v = redis.call('HGET', KEYS[1], ARGV[1])",
            "if v == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end",
            "return 0");

    private final ReactiveRedisDataSource redis;
    private final boolean cluster;

    @Inject
    public SessionRegistry(ReactiveRedisDataSource redis,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis;
        this.cluster = "cluster".equalsIgnoreCase(clientType);
    }

    public static String key(String userId) {
        return "tidings:{u:" + userId + "}:sessions";
    }

    /** Stores or replaces the entry of one device and extends the hash's expiry to the lease. */
    public Uni<Void> put(String userId, String deviceId, SessionEntry entry, Duration lease) {
        String key = key(userId);
        String value = encode(entry);
        return redis.execute("HSET", key, deviceId, value)
                .chain(() -> redis.execute("PEXPIRE", key, Long.toString(lease.toMillis() * 2)))
                .replaceWithVoid();
    }

    /**
     * Removes the device's entry if it still belongs to {@code entry}'s session.
     *
     * @return true when an entry was removed
     */
    public Uni<Boolean> removeIfCurrent(String userId, String deviceId, SessionEntry entry) {
        return redis.execute("EVAL", REMOVE_IF_SESSION, "1", key(userId), deviceId, encode(entry))
                .map(r -> r != null && r.toLong() == 1L);
    }

    /** Returns the live entries of a user by device id; entries past their lease are left out. */
    public Uni<Map<String, SessionEntry>> liveSessions(String userId) {
        long now = System.currentTimeMillis();
        return redis.execute("HGETALL", key(userId)).map(response -> decodeAll(userId, response, now));
    }

    /**
     * Returns the live entries of many users, by user id and then device id; a user without live
     * entries maps to an empty map. On a standalone Redis (or one behind Sentinel) all lookups go
     * in one pipeline on one connection, so a fan-out batch costs one round trip. On a Redis
     * Cluster, where a pipeline may only hold keys of one slot, they go as concurrent requests.
     */
    public Uni<Map<String, Map<String, SessionEntry>>> liveSessions(List<String> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        long now = System.currentTimeMillis();
        Uni<List<Response>> responses;
        if (cluster) {
            // NOTE: the cluster path is not covered by tests, because the test servers have no Redis Cluster.
            responses = Uni.join().all(userIds.stream().map(userId -> redis.execute("HGETALL", key(userId))).toList())
                    .andFailFast();
        } else {
            List<Request> requests = new ArrayList<>(userIds.size());
            userIds.forEach(userId -> requests.add(Request.cmd(Command.HGETALL).arg(key(userId))));
            responses = redis.getRedis().batch(requests);
        }
        return responses.map(all -> {
            Map<String, Map<String, SessionEntry>> byUser = new LinkedHashMap<>();
            for (int i = 0; i < userIds.size(); i++) {
                byUser.put(userIds.get(i), decodeAll(userIds.get(i), all.get(i), now));
            }
            return byUser;
        });
    }

    private static Map<String, SessionEntry> decodeAll(String userId, Response response, long now) {
        Map<String, SessionEntry> live = new HashMap<>();
        if (response == null) {
            return live;
        }
        for (String deviceId : response.getKeys()) {
            SessionEntry entry = decode(userId, deviceId, response.get(deviceId).toString());
            if (entry != null && entry.getLeaseExpiresAt() > now) {
                live.put(deviceId, entry);
            }
        }
        return live;
    }

    public static String encode(SessionEntry entry) {
        return Base64.getEncoder().encodeToString(entry.toByteArray());
    }

    static SessionEntry decode(String userId, String deviceId, String value) {
        try {
            return SessionEntry.parseFrom(Base64.getDecoder().decode(value));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            Log.warnf(e, "Ignoring unreadable session entry userId=%s deviceId=%s", userId, deviceId);
            return null;
        }
    }

    /** Returns the distinct connector addresses among the live entries. */
    public static List<String> connectorAddresses(Map<String, SessionEntry> live) {
        return live.values().stream().map(SessionEntry::getConnectorAddress).distinct().toList();
    }
}
