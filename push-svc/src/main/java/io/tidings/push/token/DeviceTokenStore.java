package io.tidings.push.token;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.server.PushTokenInfo;
import io.tidings.protocol.v1.PushProvider;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Device tokens in Redis.
 *
 * <p>Layout: one hash per user, {@code tidings:{u:<userId>}:push-tokens}, field = device id, value
 * = base64 of a {@link PushTokenInfo}. The braces are the user's Redis Cluster hash tag, shared
 * with the session registry. A second key per token, {@code tidings:push-token-owner:<provider>:
 * <sha256 of token>}, names the user and device that registered it last, so a token that moves to
 * another account (log out, log in as someone else) stops receiving the first account's
 * notifications.
 */
@ApplicationScoped
public class DeviceTokenStore {

    // Deletes the field only while it still holds the given value, so a failed send cannot remove
    // a token that the device has replaced in the meantime.
    private static final String REMOVE_IF_VALUE = String.join("\n",
            "local v = redis.call('HGET', KEYS[1], ARGV[1])",
            "if v == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end",
            "return 0");

    private static final String OWNER_SEPARATOR = "/";
    // Clients register their token at every start, so an owner entry this old belongs to an
    // uninstalled app and may go.
    private static final String OWNER_TTL_SECONDS = Long.toString(180L * 24 * 3600);

    private final ReactiveRedisDataSource redis;

    public DeviceTokenStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String key(String userId) {
        return "tidings:{u:" + userId + "}:push-tokens";
    }

    static String ownerKey(PushProvider provider, String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "tidings:push-token-owner:" + provider.name() + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Stores the device's token, replacing any earlier one of the device, and removes the same
     * token from the user and device that held it before.
     */
    public Uni<Void> put(String userId, PushTokenInfo info) {
        String owner = userId + OWNER_SEPARATOR + info.getDeviceId();
        String ownerKey = ownerKey(info.getProvider(), info.getToken());
        return redis.execute("SET", ownerKey, owner, "EX", OWNER_TTL_SECONDS, "GET")
                .chain(previous -> removePreviousOwner(previous, owner, info))
                .chain(() -> redis.execute("HSET", key(userId), info.getDeviceId(), encode(info)))
                .replaceWithVoid();
    }

    private Uni<Void> removePreviousOwner(Response previous, String owner, PushTokenInfo info) {
        if (previous == null || previous.toString().equals(owner)) {
            return Uni.createFrom().voidItem();
        }
        String[] parts = previous.toString().split(OWNER_SEPARATOR, 2);
        if (parts.length != 2) {
            return Uni.createFrom().voidItem();
        }
        String previousUser = parts[0];
        String previousDevice = parts[1];
        return redis.execute("HGET", key(previousUser), previousDevice)
                .chain(value -> {
                    PushTokenInfo held = value == null ? null : decode(previousUser, previousDevice, value.toString());
                    if (held == null || !held.getToken().equals(info.getToken())) {
                        return Uni.createFrom().voidItem();
                    }
                    Log.infof("Device token moved to another account; removing it from userId=%s deviceId=%s",
                            previousUser, previousDevice);
                    return redis.execute("EVAL", REMOVE_IF_VALUE, "1", key(previousUser), previousDevice,
                            value.toString()).replaceWithVoid();
                });
    }

    /** Returns the user's tokens, unreadable entries left out. */
    public Uni<List<StoredToken>> list(String userId) {
        return redis.execute("HGETALL", key(userId)).map(response -> decodeAll(userId, response));
    }

    /** Removes the device's token; returns whether there was one. */
    public Uni<Boolean> remove(String userId, String deviceId) {
        return redis.execute("HDEL", key(userId), deviceId).map(r -> r != null && r.toLong() > 0);
    }

    /** Removes the listed devices' tokens, or all of the user's when the list is empty. */
    public Uni<Integer> removeAll(String userId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return redis.execute("HLEN", key(userId))
                    .chain(count -> redis.execute("DEL", key(userId)).replaceWith(count == null ? 0 : count.toInteger()));
        }
        List<String> args = new ArrayList<>();
        args.add(key(userId));
        args.addAll(deviceIds);
        return redis.execute("HDEL", args.toArray(String[]::new)).map(r -> r == null ? 0 : r.toInteger());
    }

    /** Removes a token that the provider rejected, unless the device registered a new one since. */
    public Uni<Boolean> removeIfUnchanged(String userId, StoredToken token) {
        return redis.execute("EVAL", REMOVE_IF_VALUE, "1", key(userId), token.info().getDeviceId(), token.encoded())
                .map(r -> r != null && r.toLong() == 1L);
    }

    private static List<StoredToken> decodeAll(String userId, Response response) {
        List<StoredToken> tokens = new ArrayList<>();
        if (response == null) {
            return tokens;
        }
        for (String deviceId : response.getKeys()) {
            String value = response.get(deviceId).toString();
            PushTokenInfo info = decode(userId, deviceId, value);
            if (info != null) {
                tokens.add(new StoredToken(info, value));
            }
        }
        return tokens;
    }

    static String encode(PushTokenInfo info) {
        return Base64.getEncoder().encodeToString(info.toByteArray());
    }

    static PushTokenInfo decode(String userId, String deviceId, String value) {
        try {
            return PushTokenInfo.parseFrom(Base64.getDecoder().decode(value));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            Log.warnf(e, "Ignoring unreadable device token entry userId=%s deviceId=%s", userId, deviceId);
            return null;
        }
    }

    /**
     * A token as read from Redis.
     *
     * @param encoded the stored value, for compare-and-delete
     */
    public record StoredToken(PushTokenInfo info, String encoded) {
    }
}
