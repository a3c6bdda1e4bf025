package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Reconnect;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Graceful shutdown on SIGTERM: stop accepting Connects, send every client Reconnect, wait for
 * in-flight requests and deliveries up to the drain timeout, then deregister and close each
 * session with 1001. Set {@code quarkus.shutdown.timeout} above the drain timeout.
 */
@ApplicationScoped
public class GracefulShutdown {

    static final CloseReason GOING_AWAY = new CloseReason(1001, "connector shutting down");
    private static final Duration DEREGISTER_TIMEOUT = Duration.ofSeconds(5);

    private final SessionTable table;
    private final SessionWriter writer;
    private final SessionCloser closer;
    private final DrainState drain;
    private final ConnectorConfig config;

    public GracefulShutdown(SessionTable table, SessionWriter writer, SessionCloser closer, DrainState drain,
            ConnectorConfig config) {
        this.table = table;
        this.writer = writer;
        this.closer = closer;
        this.drain = drain;
        this.config = config;
    }

    // Runs before the other ShutdownEvent observers (lower priority value first), while the
    // Redis client and the HTTP server still work.
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain.startDraining();
        List<ClientSession> sessions = new ArrayList<>(table.all());
        Log.infof("Shutting down: asking %d sessions to reconnect", sessions.size());
        Frame reconnect = Frame.newBuilder().setReconnect(Reconnect.newBuilder().setAfterMs(0)).build();
        for (ClientSession session : sessions) {
            if (session.isConnected()) {
                writer.writeAndForget(session, reconnect);
            }
        }
        awaitInFlight();
        List<Uni<Boolean>> removals = new ArrayList<>();
        for (ClientSession session : sessions) {
            boolean wasConnected = session.isConnected();
            if (closer.close(session, GOING_AWAY) && wasConnected) {
                removals.add(closer.deregister(session).onFailure().recoverWithItem(false));
            }
        }
        if (!removals.isEmpty()) {
            try {
                Uni.join().all(removals).andCollectFailures().await().atMost(DEREGISTER_TIMEOUT);
            } catch (RuntimeException e) {
                Log.warnf("Not every registry entry was removed within %s; their leases expire them: %s",
                        DEREGISTER_TIMEOUT, e.toString());
            }
        }
        Log.infof("Shutdown drain finished: %d sessions closed", sessions.size());
    }

    private void awaitInFlight() {
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (drain.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (drain.inFlight() > 0) {
            Log.warnf("Drain timeout of %s reached with %d requests still in flight", config.drainTimeout(),
                    drain.inFlight());
        }
    }
}
