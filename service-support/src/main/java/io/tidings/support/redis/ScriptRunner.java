package io.tidings.support.redis;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Runs Lua scripts on Redis without blocking: EVALSHA first, and EVAL when Redis replies
 * NOSCRIPT because it restarted or its script cache was flushed. Scripts are atomic, so each
 * call sees and leaves one user's keys consistent.
 *
 * <p>Failures become {@link TidingsException}s: TIMEOUT after the configured Redis timeout (the
 * scripts may still have run) and UNAVAILABLE for any other Redis failure.
 *
 * <p>Not a CDI bean: each service produces one with its own timeout, see {@link #clusterClientType}.
 */
public class ScriptRunner {

    private final Redis redis;
    private final boolean cluster;
    private final Duration timeout;

    /**
     * @param cluster true for a Redis Cluster: there a pipeline may only hold keys of one slot,
     *     so calls for different users are sent as separate concurrent requests
     */
    public ScriptRunner(Redis redis, boolean cluster, Duration timeout) {
        this.redis = redis;
        this.cluster = cluster;
        this.timeout = timeout;
    }

    /** Returns whether a {@code quarkus.redis.client-type} value names a Redis Cluster. */
    public static boolean clusterClientType(String clientType) {
        return "cluster".equalsIgnoreCase(clientType);
    }

    /** Runs one script call and returns its reply. */
    public Uni<Response> run(ScriptCall call) {
        return runAll(List.of(call)).map(replies -> replies.get(0));
    }

    /**
     * Runs the calls in order and returns their replies in the same order. On a standalone Redis
     * (or one behind Sentinel) all calls go in one pipeline, one round trip. When one call fails,
     * the returned Uni fails even though other calls of the pipeline may have run.
     */
    public Uni<List<Response>> runAll(List<ScriptCall> calls) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String names = calls.get(0).script().name() + (calls.size() > 1 ? " x" + calls.size() : "");
        return send(calls, ScriptCall::evalsha)
                .onFailure(ScriptRunner::isNoScript).recoverWithUni(failure -> {
                    Log.infof("Redis has no cached copy of script %s (restarted or SCRIPT FLUSH); sending its source with EVAL",
                            calls.get(0).script().name());
                    return send(calls, ScriptCall::eval);
                })
                .ifNoItem().after(timeout).failWith(() -> new TidingsException(ErrorCode.TIMEOUT,
                        "Redis did not answer script " + names + " within " + timeout.toMillis()
                                + " ms; it may still take effect, retry later"))
                .onFailure(failure -> !(failure instanceof TidingsException)).transform(failure ->
                        new TidingsException(ErrorCode.UNAVAILABLE,
                                "Redis request for script " + names + " failed: " + failure.getMessage() + "; retry later",
                                failure));
    }

    private Uni<List<Response>> send(List<ScriptCall> calls, Function<ScriptCall, Request> toRequest) {
        if (calls.size() == 1) {
            return redis.send(toRequest.apply(calls.get(0))).map(Collections::singletonList);
        }
        if (!cluster) {
            return redis.batch(calls.stream().map(toRequest).toList());
        }
        // NOTE: the cluster path is not covered by tests, because the test servers have no Redis Cluster.
        List<Uni<Response>> each = calls.stream().map(call -> redis.send(toRequest.apply(call))).toList();
        return Uni.join().all(each).andFailFast();
    }

    /** Matches "NOSCRIPT ..." from one command and "ERR [0] NOSCRIPT ..." from a pipeline. */
    private static boolean isNoScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
    }
}
