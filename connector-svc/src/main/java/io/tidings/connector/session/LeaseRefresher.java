package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.Kicked;
import io.tidings.support.SessionRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Renews the registry leases of all CONNECTED sessions from one periodic timer, with a bounded
 * number of Redis calls in flight, instead of one timer per session.
 *
 * <p>Each renewal is conditional: it replaces the entry only while it is still the one this
 * connector wrote (or is missing, for example after a Redis restart). When another session owns
 * the device's field, a newer login displaced this one and its kick was lost, so the session is
 * ended with Kicked(NEW_LOGIN) here.
 */
@ApplicationScoped
public class LeaseRefresher {

    /** Parallel renewals; the Redis client pipelines them over its connections. */
    private static final int CONCURRENCY = 64;

    // KEYS[1] hash, ARGV[1] device id, ARGV[2] value last written, ARGV[3] new value,
    // ARGV[4] hash expiry in ms. Returns 1 when renewed, 0 when another session owns the field.
    private static final String RENEW_IF_OWNED = String.join("\n",
            "local v = redis.call('HGET', KEYS[1], ARGV[1])",
            "if v and v ~= ARGV[2] then return 0 end",
            "redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])",
            "local ttl = redis.call('PTTL', KEYS[1])",
            "if ttl < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end",
            "return 1");

    private final ReactiveRedisDataSource redis;
    private final SessionTable table;
    private final SessionKicker kicker;
    private final SessionCloser closer;
    private final ConnectorAddress address;
    private final ConnectorConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    public LeaseRefresher(ReactiveRedisDataSource redis, SessionTable table, SessionKicker kicker, SessionCloser closer,
            ConnectorAddress address, ConnectorConfig config, Vertx vertx) {
        this.redis = redis;
        this.table = table;
        this.kicker = kicker;
        this.closer = closer;
        this.address = address;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent start) {
        timerId = vertx.setPeriodic(config.leaseRefreshInterval().toMillis(), id -> refreshAll());
    }

    void onStop(@Observes ShutdownEvent stop) {
        vertx.cancelTimer(timerId);
    }

    /** Renews every CONNECTED session once; skipped while the previous round still runs. */
    public void refreshAll() {
        if (!running.compareAndSet(false, true)) {
            Log.warn("Skipping a lease refresh round: the previous one is still running");
            return;
        }
        List<ClientSession> sessions = new ArrayList<>();
        for (ClientSession session : table.all()) {
            if (session.isConnected()) {
                sessions.add(session);
            }
        }
        long leaseExpiresAt = System.currentTimeMillis() + config.lease().toMillis();
        Multi.createFrom().iterable(sessions)
                .onItem().transformToUni(session -> renew(session, leaseExpiresAt)
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf(failure, "Cannot renew the lease of %s", session);
                            return null;
                        }))
                .merge(CONCURRENCY)
                .collect().last()
                .subscribe().with(
                        last -> running.set(false),
                        failure -> {
                            running.set(false);
                            Log.error("Lease refresh round failed", failure);
                        });
    }

    private Uni<Void> renew(ClientSession session, long leaseExpiresAt) {
        String connector = address.get();
        SessionEntry previous = session.entry(connector, session.leaseExpiresAtMs());
        SessionEntry next = session.entry(connector, leaseExpiresAt);
        long hashTtl = config.lease().toMillis() * 2;
        return redis.execute("EVAL", RENEW_IF_OWNED, "1", SessionRegistry.key(session.userId()), session.deviceId(),
                        SessionRegistry.encode(previous), SessionRegistry.encode(next), Long.toString(hashTtl))
                .map(response -> {
                    if (response.toLong() == 1L) {
                        session.leaseRenewed(leaseExpiresAt);
                        if (!session.isConnected()) {
                            // Ended while renewing: remove the entry just written.
                            closer.deregister(session).subscribe().with(r -> {
                            }, f -> Log.warnf(f, "Cannot remove the entry of ended %s", session));
                        }
                    } else if (session.isConnected()) {
                        Log.infof("Registry entry of %s belongs to another session: ending it", session);
                        kicker.kick(session, Kicked.newBuilder()
                                .setReason(Kicked.Reason.NEW_LOGIN)
                                .setByPlatform(session.platform())
                                .setByDeviceId(session.deviceId())
                                .build());
                    }
                    return null;
                });
    }
}
