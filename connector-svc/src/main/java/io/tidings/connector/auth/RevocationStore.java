package io.tidings.connector.auth;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Token revocation markers in Redis: {@code tidings:{u:<userId>}:revoked-before} contains a time
 * in ms, and tokens of that user issued before it are rejected with TOKEN_REVOKED. The key expires
 * after the longest token lifetime, when every token it could reject has expired anyway.
 */
@ApplicationScoped
public class RevocationStore {

    private final ReactiveRedisDataSource redis;
    private final TokenService tokens;

    public RevocationStore(ReactiveRedisDataSource redis, TokenService tokens) {
        this.redis = redis;
        this.tokens = tokens;
    }

    public static String key(String userId) {
        return "tidings:{u:" + userId + "}:revoked-before";
    }

    /** Returns the revocation time of the user's tokens in ms, or 0 if none was revoked. */
    public Uni<Long> revokedBefore(String userId) {
        return redis.execute("GET", key(userId)).map(r -> r == null ? 0L : r.toLong());
    }

    /** Revokes every token issued to the user before {@code now}, in ms. */
    public Uni<Void> revoke(String userId, long now) {
        return redis.execute("SET", key(userId), Long.toString(now), "PX", Long.toString(tokens.maxTtl().toMillis()))
                .replaceWithVoid();
    }
}
