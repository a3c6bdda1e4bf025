package io.tidings.connector.session;

import io.quarkus.websockets.next.WebSocketConnection;
import io.tidings.connector.ws.WireFormat;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.Platform;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The state of one client WebSocket on this connector, from the socket's open to its end. Kept
 * small on purpose: one connector keeps tens of thousands of them.
 *
 * <p>State moves AWAITING_CONNECT, CONNECTING, CONNECTED, ENDED; ENDED is reached once, by
 * whichever path ends the session first (socket close, heartbeat timeout, kick, logout,
 * shutdown).
 */
public final class ClientSession {

    public enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, ENDED }

    private static final AtomicReferenceFieldUpdater<ClientSession, State> STATE =
            AtomicReferenceFieldUpdater.newUpdater(ClientSession.class, State.class, "state");

    private final WebSocketConnection connection;
    private final WireFormat format;
    private final long openedAtMs;
    private final TokenBucket bucket;
    private volatile State state = State.AWAITING_CONNECT;
    private volatile long lastActivityMs;

    // Set once by bind() before the session becomes CONNECTED.
    private volatile String userId;
    private volatile String deviceId;
    private volatile String sessionId;
    private volatile Platform platform;
    private volatile long tokenIssuedAtMs;
    private volatile long connectedAtMs;
    // The lease of the registry entry last written for this session.
    private volatile long leaseExpiresAtMs;

    // Only touched on the connection's event loop.
    private int malformedInARow;

    public ClientSession(WebSocketConnection connection, WireFormat format, long nowMs, TokenBucket bucket) {
        this.connection = connection;
        this.format = format;
        this.openedAtMs = nowMs;
        this.lastActivityMs = nowMs;
        this.bucket = bucket;
    }

    public WebSocketConnection connection() {
        return connection;
    }

    public String connectionId() {
        return connection.id();
    }

    public WireFormat format() {
        return format;
    }

    public long openedAtMs() {
        return openedAtMs;
    }

    public State state() {
        return state;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Moves AWAITING_CONNECT to CONNECTING; false if a Connect was already received. */
    public boolean startConnecting() {
        return STATE.compareAndSet(this, State.AWAITING_CONNECT, State.CONNECTING);
    }

    /** Moves CONNECTING to CONNECTED; false if the session ended meanwhile. */
    public boolean markConnected() {
        return STATE.compareAndSet(this, State.CONNECTING, State.CONNECTED);
    }

    /** Moves CONNECTING back to AWAITING_CONNECT after a rejected Connect. */
    public void connectFailed() {
        STATE.compareAndSet(this, State.CONNECTING, State.AWAITING_CONNECT);
    }

    /** Moves to ENDED and returns the state before, or null if it had ended already. */
    public State end() {
        while (true) {
            State previous = state;
            if (previous == State.ENDED) {
                return null;
            }
            if (STATE.compareAndSet(this, previous, State.ENDED)) {
                return previous;
            }
        }
    }

    public void touch(long nowMs) {
        lastActivityMs = nowMs;
    }

    public long lastActivityMs() {
        return lastActivityMs;
    }

    public TokenBucket bucket() {
        return bucket;
    }

    /** Counts a malformed frame and returns how many arrived in a row. */
    public int countMalformed() {
        return ++malformedInARow;
    }

    public void resetMalformed() {
        malformedInARow = 0;
    }

    public void bind(String userId, String deviceId, Platform platform, String sessionId,
            long tokenIssuedAtMs, long connectedAtMs, long leaseExpiresAtMs) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.platform = platform;
        this.sessionId = sessionId;
        this.tokenIssuedAtMs = tokenIssuedAtMs;
        this.connectedAtMs = connectedAtMs;
        this.leaseExpiresAtMs = leaseExpiresAtMs;
    }

    public String userId() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    public String sessionId() {
        return sessionId;
    }

    public Platform platform() {
        return platform;
    }

    public long tokenIssuedAtMs() {
        return tokenIssuedAtMs;
    }

    public long leaseExpiresAtMs() {
        return leaseExpiresAtMs;
    }

    public void leaseRenewed(long leaseExpiresAtMs) {
        this.leaseExpiresAtMs = leaseExpiresAtMs;
    }

    /** Returns the registry entry for this session with the given lease. */
    public SessionEntry entry(String connectorAddress, long leaseExpiresAtMs) {
        return SessionEntry.newBuilder()
                .setSessionId(sessionId)
                .setPlatform(platform)
                .setConnectorAddress(connectorAddress)
                .setLeaseExpiresAt(leaseExpiresAtMs)
                .setConnectedAt(connectedAtMs)
                .build();
    }

    @Override
    public String toString() {
        return "session " + sessionId + " userId=" + userId + " deviceId=" + deviceId + " platform=" + platform
                + " connection=" + connection.id();
    }
}
