package io.tidings.routing.send;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.RoutingConfig;
import io.tidings.support.redis.LuaScript;
import io.tidings.support.redis.ScriptCall;
import io.tidings.support.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * De-duplication markers of sends in Redis, one hash per (scope, client message id) under
 * {@code tidings:{<scope>}:dedup:<clientMessageId>}. The scope is {@code u:<sender>} for users,
 * {@code s:<from>} for app system messages and {@code g:<group>} for group events; the braces
 * are the Redis Cluster hash tag, so a user's dedup keys share a slot with the user's sessions.
 *
 * <p>A marker is created pending, reserving a message id and server time, and owned by one send
 * attempt through a random token until its lease runs out. After the Kafka write it turns acked
 * and stores the SendAck bytes. It expires {@code tidings.routing.dedup.ttl} after creation and
 * again after the ack. The states and who may move them:
 *
 * <ul>
 *   <li>absent → pending: {@link #claim}, only when the key does not exist (the SET NX step);
 *   <li>pending with an expired lease → pending with a new owner, the same message id and time:
 *       {@link #claim} by a retry after the owner crashed or gave up;
 *   <li>pending → acked: {@link #complete} after Kafka acknowledged the record;
 *   <li>pending → pending with an expired lease: {@link #release} when the Kafka write failed, so
 *       a retry takes over at once and re-sends under the same id (the write may have landed:
 *       consumers de-duplicate by message id, so reusing it cannot deliver twice);
 *   <li>pending → absent: {@link #abandon} when nothing was written (the send was rejected after
 *       the claim).
 * </ul>
 */
@ApplicationScoped
public class DedupStore {

    private static final LuaScript CLAIM = LuaScript.of("dedup-claim", String.join("\n",
            "local state = redis.call('HGET', KEYS[1], 'state')",
            "if not state then",
            "  redis.call('HSET', KEYS[1], 'state', 'pending', 'lease', ARGV[2], 'token', ARGV[4],",
            "    'id', ARGV[5], 'time', ARGV[6])",
            "  redis.call('PEXPIRE', KEYS[1], ARGV[3])",
            "  return {'claimed', ARGV[5], ARGV[6], 'fresh'}",
            "end",
            "if state == 'acked' then",
            "  return {'acked', redis.call('HGET', KEYS[1], 'ack')}",
            "end",
            "if tonumber(redis.call('HGET', KEYS[1], 'lease')) <= tonumber(ARGV[1]) then",
            "  redis.call('HSET', KEYS[1], 'lease', ARGV[2], 'token', ARGV[4])",
            "  return {'claimed', redis.call('HGET', KEYS[1], 'id'), redis.call('HGET', KEYS[1], 'time'), 'takeover'}",
            "end",
            "return {'pending'}"));

    private static final LuaScript COMPLETE = LuaScript.of("dedup-complete", String.join("\n",
            "redis.call('HSET', KEYS[1], 'state', 'acked', 'ack', ARGV[1])",
            "redis.call('HDEL', KEYS[1], 'lease', 'token')",
            "redis.call('PEXPIRE', KEYS[1], ARGV[2])",
            "return 1"));

    private static final LuaScript RELEASE = LuaScript.of("dedup-release", String.join("\n",
            "if redis.call('HGET', KEYS[1], 'state') == 'pending' and redis.call('HGET', KEYS[1], 'token') == ARGV[1] then",
            "  redis.call('HSET', KEYS[1], 'lease', '0')",
            "  return 1",
            "end",
            "return 0"));

    private static final LuaScript ABANDON = LuaScript.of("dedup-abandon", String.join("\n",
            "if redis.call('HGET', KEYS[1], 'state') == 'pending' and redis.call('HGET', KEYS[1], 'token') == ARGV[1] then",
            "  return redis.call('DEL', KEYS[1])",
            "end",
            "return 0"));

    private final ScriptRunner scripts;
    private final RoutingConfig.Dedup config;

    public DedupStore(ReactiveRedisDataSource redis, RoutingConfig config,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        // EVALSHA with the scripts' digests, so a send does not ship the script source each time.
        this.scripts = new ScriptRunner(redis.getRedis(), ScriptRunner.clusterClientType(clientType),
                config.dedup().redisTimeout());
        this.config = config.dedup();
    }

    public static String key(String scope, String clientMessageId) {
        return "tidings:{" + scope + "}:dedup:" + clientMessageId;
    }

    /**
     * Claims the marker for a new send attempt, offering {@code messageId} and {@code serverTime}
     * for a new marker. Returns the stored ack, a claim (with the reserved id and time, which
     * differ from the offered ones after a take-over), or pending when another attempt owns it.
     */
    public Uni<Claim> claim(String key, String messageId, long serverTime) {
        long now = System.currentTimeMillis();
        String token = UUID.randomUUID().toString();
        return eval(CLAIM, key,
                Long.toString(now),
                Long.toString(now + config.lease().toMillis()),
                Long.toString(config.ttl().toMillis()),
                token,
                messageId,
                Long.toString(serverTime))
                .map(response -> parseClaim(key, token, response));
    }

    /** Marks the send acked and stores its ack for retries. */
    public Uni<Void> complete(String key, SendAck ack) {
        return eval(COMPLETE, key,
                Base64.getEncoder().encodeToString(ack.toByteArray()),
                Long.toString(config.ttl().toMillis()))
                .replaceWithVoid();
    }

    /** Ends the claim's lease so that a retry takes over with the same message id at once. */
    public Uni<Void> release(String key, Claimed claim) {
        return eval(RELEASE, key, claim.token()).replaceWithVoid();
    }

    /** Deletes the marker of a claim under which nothing was written. */
    public Uni<Void> abandon(String key, Claimed claim) {
        return eval(ABANDON, key, claim.token()).replaceWithVoid();
    }

    private Uni<Response> eval(LuaScript script, String key, String... args) {
        return scripts.run(new ScriptCall(script, List.of(key), List.<Object>of(args)))
                .onFailure().transform(failure -> new TidingsException(ErrorCode.UNAVAILABLE,
                        "Redis failed on de-duplication key " + key + ": " + failure.getMessage() + "; retry later",
                        failure));
    }

    private static Claim parseClaim(String key, String token, Response response) {
        String state = response.get(0).toString();
        switch (state) {
            case "claimed":
                return new Claimed(response.get(1).toString(), Long.parseLong(response.get(2).toString()), token,
                        "fresh".equals(response.get(3).toString()));
            case "acked":
                return new Acked(parseAck(key, response.get(1).toString()));
            case "pending":
                return new Pending();
            default:
                throw new IllegalStateException("unexpected claim state '" + state + "' for " + key);
        }
    }

    private static SendAck parseAck(String key, String base64) {
        try {
            return SendAck.parseFrom(Base64.getDecoder().decode(base64));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new TidingsException(ErrorCode.INTERNAL, "stored ack under " + key + " is unreadable", e);
        }
    }

    /** Result of {@link #claim}. */
    public sealed interface Claim permits Acked, Claimed, Pending {
    }

    /** The send was committed before; {@code ack} is its original ack. */
    public record Acked(SendAck ack) implements Claim {
    }

    /**
     * This attempt owns the marker and must write the message under {@code messageId} and
     * {@code serverTime}. {@code fresh} is false after a take-over, when an earlier attempt may
     * already have written the message.
     */
    public record Claimed(String messageId, long serverTime, String token, boolean fresh) implements Claim {
    }

    /** Another attempt owns the marker and its lease is still running. */
    public record Pending() implements Claim {
    }
}
