package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.metrics.ConnectorMetrics;
import io.tidings.protocol.v1.Frame;
import io.tidings.support.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ends sessions: the one place that removes a session from the table, the metrics and the
 * registry, whichever path ends it. Ending is idempotent, so a kick racing a socket close ends
 * the session once.
 */
@ApplicationScoped
public class SessionCloser {

    public static final CloseReason POLICY_VIOLATION = new CloseReason(1008, "policy violation");

    private final SessionTable table;
    private final SessionRegistry registry;
    private final SessionWriter writer;
    private final ConnectorMetrics metrics;
    private final ConnectorAddress address;

    public SessionCloser(SessionTable table, SessionRegistry registry, SessionWriter writer,
            ConnectorMetrics metrics, ConnectorAddress address) {
        this.table = table;
        this.registry = registry;
        this.writer = writer;
        this.metrics = metrics;
        this.address = address;
    }

    /**
     * Ends the session, writes {@code lastFrames} and closes the socket with {@code reason}.
     *
     * @return false if the session had ended already
     */
    public boolean close(ClientSession session, CloseReason reason, Frame... lastFrames) {
        if (!end(session)) {
            return false;
        }
        Log.debugf("Closing %s with %d: %s", session, reason.getCode(), reason.getMessage());
        writer.writeThenClose(session, reason, lastFrames).subscribe().with(ok -> {
        }, failure -> Log.debugf("Closing %s failed: %s", session, failure.toString()));
        return true;
    }

    /** Ends the session after its socket closed. */
    public void socketClosed(ClientSession session) {
        end(session);
    }

    /** Ends the session and deregisters it, without touching the socket. */
    private boolean end(ClientSession session) {
        ClientSession.State previous = session.end();
        if (previous == null) {
            return false;
        }
        table.remove(session);
        if (previous == ClientSession.State.CONNECTED) {
            metrics.sessionEnded(session.platform());
            deregister(session).subscribe().with(removed -> {
            }, failure -> Log.warnf(failure, "Cannot remove the registry entry of %s; its lease expires it", session));
        }
        return true;
    }

    /** Removes the session's registry entry if it still names this session. */
    public Uni<Boolean> deregister(ClientSession session) {
        return registry.removeIfCurrent(session.userId(), session.deviceId(),
                session.entry(address.get(), session.leaseExpiresAtMs()));
    }
}
