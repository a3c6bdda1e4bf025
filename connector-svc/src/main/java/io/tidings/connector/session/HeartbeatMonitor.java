package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.tidings.connector.config.ConnectorConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Closes sessions that went silent and sockets that never sent Connect, from one periodic timer
 * over all sessions. Silence is measured from the last frame of any kind, so a peer that vanished
 * without a close frame is detected too. The session leaves the table and the gauges at once;
 * the socket close then runs on the connection's own event loop.
 */
@ApplicationScoped
public class HeartbeatMonitor {

    /** Silence of this many heartbeat intervals closes a session. */
    public static final double SILENCE_LIMIT_INTERVALS = 2.5;

    static final CloseReason HEARTBEAT_TIMEOUT = new CloseReason(1001, "heartbeat timeout");
    static final CloseReason CONNECT_TIMEOUT = new CloseReason(1008, "no Connect in time");

    private final SessionTable table;
    private final SessionCloser closer;
    private final ConnectorConfig config;
    private final Vertx vertx;
    private long timerId = -1;

    public HeartbeatMonitor(SessionTable table, SessionCloser closer, ConnectorConfig config, Vertx vertx) {
        this.table = table;
        this.closer = closer;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent start) {
        timerId = vertx.setPeriodic(config.sweepInterval().toMillis(), id -> sweep(System.currentTimeMillis()));
    }

    void onStop(@Observes ShutdownEvent stop) {
        vertx.cancelTimer(timerId);
    }

    /** Closes every session that is silent too long or unauthenticated too long at {@code nowMs}. */
    public void sweep(long nowMs) {
        long silenceLimit = (long) (config.heartbeatInterval().toMillis() * SILENCE_LIMIT_INTERVALS);
        long connectLimit = config.connectTimeout().toMillis();
        for (ClientSession session : table.all()) {
            ClientSession.State state = session.state();
            if (state == ClientSession.State.CONNECTED && nowMs - session.lastActivityMs() > silenceLimit) {
                Log.infof("Closing %s: silent for %d ms", session, nowMs - session.lastActivityMs());
                closer.close(session, HEARTBEAT_TIMEOUT);
            } else if (state == ClientSession.State.AWAITING_CONNECT && nowMs - session.openedAtMs() > connectLimit) {
                Log.debugf("Closing connection %s: no Connect within %d ms", session.connectionId(), connectLimit);
                closer.close(session, CONNECT_TIMEOUT);
            }
        }
    }
}
