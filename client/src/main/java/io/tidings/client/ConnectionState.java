package io.tidings.client;

/**
 * States of a {@link TidingsClient} connection. KICKED, TOKEN_EXPIRED, TOKEN_ERROR and CLOSED
 * are terminal: the client does not reconnect from them on its own.
 */
public enum ConnectionState {
    /** Not started yet. */
    IDLE,
    /** Opening the first WebSocket and sending Connect. */
    CONNECTING,
    /** Authenticated: requests can be sent. */
    CONNECTED,
    /** The connection was lost; the client reconnects with backoff. */
    RECONNECTING,
    /** The server ended the session with a Kicked frame (new login, revoked token, logout). */
    KICKED,
    /** The token has expired: get a new one from the app backend and connect again. */
    TOKEN_EXPIRED,
    /** The token was rejected as invalid or revoked. */
    TOKEN_ERROR,
    /** Closed by the app, by Logout, or after an error that a retry cannot fix. */
    CLOSED;

    /** Returns whether the client stays in this state until the app connects again. */
    public boolean isTerminal() {
        return this == KICKED || this == TOKEN_EXPIRED || this == TOKEN_ERROR || this == CLOSED;
    }
}
