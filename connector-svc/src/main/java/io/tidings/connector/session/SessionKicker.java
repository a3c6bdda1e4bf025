package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.metrics.ConnectorMetrics;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Kicked;
import io.tidings.support.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Ends sessions that a newer login displaced or whose tokens were revoked, on this connector
 * directly and on others through {@link ControlChannel}.
 */
@ApplicationScoped
public class SessionKicker {

    static final CloseReason DISPLACED = new CloseReason(1000, "displaced by a new login");

    private final SessionTable table;
    private final SessionCloser closer;
    private final SessionRegistry registry;
    private final ControlChannel control;
    private final ConnectorAddress address;
    private final ConnectorMetrics metrics;

    public SessionKicker(SessionTable table, SessionCloser closer, SessionRegistry registry, ControlChannel control,
            ConnectorAddress address, ConnectorMetrics metrics) {
        this.table = table;
        this.closer = closer;
        this.registry = registry;
        this.control = control;
        this.address = address;
        this.metrics = metrics;
    }

    /**
     * Kicks the sessions a new login displaced. Entries of other devices are also removed from
     * the registry here, so that a displaced session on a dead connector stops counting at once.
     */
    public void displace(ClientSession newSession, Map<String, SessionEntry> displaced) {
        Kicked kicked = Kicked.newBuilder()
                .setReason(Kicked.Reason.NEW_LOGIN)
                .setByPlatform(newSession.platform())
                .setByDeviceId(newSession.deviceId())
                .build();
        String userId = newSession.userId();
        displaced.forEach((deviceId, entry) -> {
            if (entry.getSessionId().equals(newSession.sessionId())) {
                return;
            }
            Log.infof("Login of userId=%s deviceId=%s displaces session %s of deviceId=%s on %s",
                    userId, newSession.deviceId(), entry.getSessionId(), deviceId, entry.getConnectorAddress());
            kick(userId, entry, kicked);
            if (!deviceId.equals(newSession.deviceId())) {
                registry.removeIfCurrent(userId, deviceId, entry).subscribe().with(removed -> {
                }, failure -> Log.warnf(failure, "Cannot remove displaced entry userId=%s deviceId=%s", userId, deviceId));
            }
        });
    }

    private void kick(String userId, SessionEntry entry, Kicked kicked) {
        if (entry.getConnectorAddress().equals(address.get())) {
            kickLocal(userId, entry.getSessionId(), kicked);
            return;
        }
        control.publishKick(entry.getConnectorAddress(), userId, entry.getSessionId(), kicked)
                .subscribe().with(ok -> {
                }, failure -> Log.warnf(failure, "Cannot publish kick of userId=%s session %s to %s",
                        userId, entry.getSessionId(), entry.getConnectorAddress()));
    }

    /** Kicks one session of this connector, if it is still here. */
    public boolean kickLocal(String userId, String sessionId, Kicked kicked) {
        ClientSession session = table.findBySessionId(userId, sessionId);
        if (session == null) {
            return false;
        }
        return kick(session, kicked);
    }

    /** Sends Kicked, ends the session and closes the socket. */
    public boolean kick(ClientSession session, Kicked kicked) {
        Frame frame = Frame.newBuilder().setKicked(kicked).build();
        boolean ended = closer.close(session, DISPLACED, frame);
        if (ended) {
            metrics.kicked(kicked.getReason());
            Log.infof("Kicked %s: %s", session, kicked.getReason());
        }
        return ended;
    }

    /**
     * Closes the local sessions of a user whose token was issued before {@code revokedBeforeMs}:
     * Kicked(TOKEN_REVOKED), then ErrorReply TOKEN_REVOKED, then close 1008.
     *
     * @return how many sessions were closed
     */
    public int revokeLocal(String userId, long revokedBeforeMs) {
        Frame kicked = Frame.newBuilder()
                .setKicked(Kicked.newBuilder().setReason(Kicked.Reason.TOKEN_REVOKED))
                .build();
        Frame error = SessionWriter.error(0, ErrorCode.TOKEN_REVOKED,
                "the app backend revoked the tokens of user " + userId + ": get a new token");
        int closed = 0;
        for (ClientSession session : table.sessionsOf(userId)) {
            if (session.tokenIssuedAtMs() < revokedBeforeMs && closer.close(session, SessionCloser.POLICY_VIOLATION, kicked, error)) {
                metrics.kicked(Kicked.Reason.TOKEN_REVOKED);
                Log.infof("Closed %s: token revoked", session);
                closed++;
            }
        }
        return closed;
    }

    /** Publishes a revocation to every connector, this one included. */
    public Uni<Void> publishRevocation(String userId, long revokedBeforeMs) {
        return control.publishRevocation(userId, revokedBeforeMs);
    }
}
