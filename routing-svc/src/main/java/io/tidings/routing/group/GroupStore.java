package io.tidings.routing.group;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.v1.ErrorCode;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Base64;
import java.util.Optional;

/**
 * The groups materialized in Redis from the groups topic: one hash per group,
 * {@code tidings:{g:<groupId>}:group} with fields {@code version} and {@code record} (base64 of
 * the GroupRecord). Writes only move a group forward, so instances that replay the topic at
 * different speeds never put back an older state. The keys have no expiry because the topic
 * keeps every group's latest state as well.
 */
@ApplicationScoped
public class GroupStore {

    private static final String WRITE_IF_NEWER = String.join("\n",
            "local current = redis.call('HGET', KEYS[1], 'version')",
            "if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end",
            "redis.call('HSET', KEYS[1], 'version', ARGV[1], 'record', ARGV[2])",
            "return 1");

    private final ReactiveRedisDataSource redis;

    public GroupStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String key(String groupId) {
        return "tidings:{g:" + groupId + "}:group";
    }

    /** Returns the stored state of a group, empty when Redis has none. */
    public Uni<Optional<GroupRecord>> read(String groupId) {
        return redis.execute("HGET", key(groupId), "record")
                .map(response -> response == null ? Optional.<GroupRecord>empty() : Optional.of(decode(groupId, response)))
                .onFailure(failure -> !(failure instanceof TidingsException))
                .transform(failure -> unavailable(groupId, failure));
    }

    /** Stores {@code record} unless Redis has the same or a newer version; returns whether it stored it. */
    public Uni<Boolean> writeIfNewer(GroupRecord record) {
        return redis.execute("EVAL", WRITE_IF_NEWER, "1", key(record.getGroupId()),
                        Long.toString(record.getVersion()), Base64.getEncoder().encodeToString(record.toByteArray()))
                .map(response -> response.toLong() == 1L)
                .onFailure().transform(failure -> unavailable(record.getGroupId(), failure));
    }

    /** Deletes a group's state, for a deletion marker (a record without value) on the topic. */
    public Uni<Void> delete(String groupId) {
        return redis.execute("DEL", key(groupId)).replaceWithVoid()
                .onFailure().transform(failure -> unavailable(groupId, failure));
    }

    private static GroupRecord decode(String groupId, Response response) {
        try {
            return GroupRecord.parseFrom(Base64.getDecoder().decode(response.toString()));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new TidingsException(ErrorCode.INTERNAL, "stored state of group '" + groupId + "' in Redis is unreadable", e);
        }
    }

    private static TidingsException unavailable(String groupId, Throwable failure) {
        return new TidingsException(ErrorCode.UNAVAILABLE,
                "Redis failed on group '" + groupId + "': " + failure.getMessage() + "; retry later", failure);
    }
}
