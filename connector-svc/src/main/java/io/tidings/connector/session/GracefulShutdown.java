package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
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
 * session with 1001. Needs {@code quarkus.shutdown.delay-enabled=true}, see onShutdownDelay.
 */
@ApplicationScoped
public class GracefulShutdown {

    static final CloseReason GOING_AWAY = new CloseReason(1001, "connector shutting down");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

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

    // Quarkus fires this at the start of shutdown when quarkus.shutdown.delay-enabled is true,
    // while the HTTP server still serves the sockets. By ShutdownEvent they are already closed.
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drainAndClose("shutdown delay started");
    }

    // Fallback when the shutdown delay is disabled: the sockets may be gone, but the registry
    // entries of sessions still in the table are removed.
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drainAndClose("shutdown event");
    }

    private synchronized void drainAndClose(String trigger) {
        if (drain.isDraining()) {
            return;
        }
        drain.startDraining();
        List<ClientSession> sessions = new ArrayList<>(table.all());
        Log.infof("Shutting down (%s): asking %d sessions to reconnect", trigger, sessions.size());
        Frame reconnect = Frame.newBuilder().setReconnect(Reconnect.newBuilder().setAfterMs(0)).build();
        List<Uni<Void>> writes = new ArrayList<>();
        for (ClientSession session : sessions) {
            if (session.isConnected()) {
                writes.add(writer.write(session, reconnect).onFailure().invoke(failure ->
                        Log.debugf("Reconnect not written to %s: %s", session, failure.toString())));
            }
        }
        awaitAll(writes, "Reconnect frames");
        awaitInFlight();
        List<Uni<Boolean>> removals = new ArrayList<>();
        for (ClientSession session : sessions) {
            boolean wasConnected = session.isConnected();
            if (closer.close(session, GOING_AWAY) && wasConnected) {
                removals.add(closer.deregister(session).onFailure().recoverWithItem(false));
            }
        }
        awaitAll(removals, "registry removals");
        Log.infof("Shutdown drain finished: %d sessions closed", sessions.size());
    }

    private static <T> void awaitAll(List<Uni<T>> operations, String what) {
        if (operations.isEmpty()) {
            return;
        }
        try {
            Uni.join().all(operations).andCollectFailures().await().atMost(STEP_TIMEOUT);
        } catch (RuntimeException e) {
            // Registry entries left behind expire with their lease.
            Log.warnf("Not all %d %s completed within %s: %s", operations.size(), what, STEP_TIMEOUT, e.toString());
        }
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
