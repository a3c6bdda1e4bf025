package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Platform;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Messages between connector instances over Redis pub/sub.
 *
 * <ul>
 *   <li>{@value #REVOCATIONS}: every connector subscribes; payload {@code <userId>|<revokedBeforeMs>}.
 *       Each closes the user's sessions whose token was issued before that time.
 *   <li>{@code tidings:connector:kicks:<address>}: the connector at that address subscribes;
 *       payload {@code <userId>|<sessionId>|<reason>|<byPlatform>|<byDeviceId>}. A new login sends
 *       it to the connector that the registry names for a displaced session.
 * </ul>
 *
 * Redis pub/sub delivers each message at most once, to the subscribers connected at that moment. A kick lost while Redis reconnects is repaired by the lease
 * refresh, which finds the registry entry taken by the newer session and ends the old one.
 * Ids contain no '|' (see {@link io.tidings.protocol.Ids}), so the payload splits unambiguously.
 */
@ApplicationScoped
public class ControlChannel {

    public static final String REVOCATIONS = "tidings:connector:revocations";
    private static final String KICKS_PREFIX = "tidings:connector:kicks:";

    private final ReactiveRedisDataSource redis;
    private final ConnectorAddress address;
    private final Instance<SessionKicker> kicker;
    private final Vertx vertx;
    private static final java.time.Duration SUBSCRIBE_TIMEOUT = java.time.Duration.ofSeconds(2);

    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile boolean stopped;

    public ControlChannel(ReactiveRedisDataSource redis, ConnectorAddress address, Instance<SessionKicker> kicker,
            Vertx vertx) {
        this.redis = redis;
        this.address = address;
        this.kicker = kicker;
        this.vertx = vertx;
    }

    // Fired (asynchronously, once per HTTP verticle) after the server bound its port, so the
    // address, which contains the port, is known from here on.
    void onHttpStart(@ObservesAsync HttpServerStart start) {
        if (subscribed.compareAndSet(false, true)) {
            // On an event loop: subscribing from this worker thread raced with the Redis reply
            // and left the first subscription unconfirmed.
            vertx.runOnContext(ignored -> subscribe());
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stopped = true;
    }

    private void subscribe() {
        List<String> channels = List.of(REVOCATIONS, KICKS_PREFIX + address.get());
        // NOTE: with Quarkus 3.33.2 the first SUBSCRIBE of a process is often never confirmed
        // (Vert.x logs "No handler waiting for message: [subscribe, ...]"), so it times out and
        // the retry subscribes. Kicks and revocations published in those first seconds may be
        // missed; the lease refresh still ends a displaced session.
        // The end and exception callbacks fire when the pub/sub connection drops (Redis restart,
        // network): resubscribe, because the Redis client does not do it on its own.
        redis.pubsub(String.class)
                .subscribe(channels, this::onMessage,
                        () -> resubscribe(channels, "connection ended"),
                        failure -> resubscribe(channels, failure.toString()))
                .ifNoItem().after(SUBSCRIBE_TIMEOUT).fail()
                .subscribe().with(
                        subscriber -> Log.infof("Subscribed to %s", channels),
                        failure -> resubscribe(channels, "subscribe failed: " + failure));
    }

    private void resubscribe(List<String> channels, String reason) {
        if (stopped) {
            return;
        }
        // A duplicate subscription after a slow confirmation is harmless: handling a kick or a
        // revocation twice ends each session once.
        Log.warnf("Subscription to %s lost (%s); resubscribing in 1 s", channels, reason);
        vertx.setTimer(1000, id -> subscribe());
    }

    public Uni<Void> publishRevocation(String userId, long revokedBeforeMs) {
        return redis.execute("PUBLISH", REVOCATIONS, userId + "|" + revokedBeforeMs).replaceWithVoid();
    }

    public Uni<Void> publishKick(String connectorAddress, String userId, String sessionId, Kicked kicked) {
        String payload = String.join("|", userId, sessionId, kicked.getReason().name(),
                kicked.getByPlatform().name(), kicked.getByDeviceId());
        return redis.execute("PUBLISH", KICKS_PREFIX + connectorAddress, payload).replaceWithVoid();
    }

    private void onMessage(String channel, String payload) {
        String[] parts = payload.split("\\|", -1);
        try {
            if (REVOCATIONS.equals(channel) && parts.length == 2) {
                kicker.get().revokeLocal(parts[0], Long.parseLong(parts[1]));
            } else if (channel.startsWith(KICKS_PREFIX) && parts.length == 5) {
                Kicked kicked = Kicked.newBuilder()
                        .setReason(Kicked.Reason.valueOf(parts[2]))
                        .setByPlatform(Platform.valueOf(parts[3]))
                        .setByDeviceId(parts[4])
                        .build();
                kicker.get().kickLocal(parts[0], parts[1], kicked);
            } else {
                Log.warnf("Ignoring malformed control message on %s: '%s'", channel, payload);
            }
        } catch (IllegalArgumentException e) {
            Log.warnf(e, "Ignoring malformed control message on %s: '%s'", channel, payload);
        }
    }
}
