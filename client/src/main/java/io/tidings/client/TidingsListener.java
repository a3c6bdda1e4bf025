package io.tidings.client;

import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Notify;

/**
 * Receives what the server sends on its own and every state change. Callbacks run on the
 * WebSocket's receive thread, one at a time per client: return quickly and hand long work to an
 * executor of the app, because the next frame waits for the callback.
 */
public interface TidingsListener {

    /**
     * Called on every state change.
     *
     * @param code the error that caused the change, or null (for example KICKED has none,
     *     TOKEN_EXPIRED has TOKEN_EXPIRED, RECONNECTING after a lost socket has UNAVAILABLE)
     * @param detail a human-readable reason, never null
     */
    default void onStateChanged(ConnectionState state, ErrorCode code, String detail) {
    }

    /** Called for each message the server pushes to this device. */
    default void onDeliver(Deliver deliver) {
    }

    /** Called when new inbox entries wait on the server: pull them with {@code sync}. */
    default void onNotify(Notify notify) {
    }

    /** Called before the KICKED state change, with the reason and the displacing device. */
    default void onKicked(Kicked kicked) {
    }

    /**
     * Called for every frame the server sends that is not a reply to a request of this client
     * (request_id 0), after the typed callbacks above.
     */
    default void onFrame(Frame frame) {
    }
}
