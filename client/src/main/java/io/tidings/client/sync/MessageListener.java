package io.tidings.client.sync;

import io.tidings.protocol.v1.InboxEntry;

/** Receives inbox entries from {@link MessageSync}: in inbox order, each message once. */
public interface MessageListener {

    /** Called for each new inbox entry, on the sync loop's thread. */
    void onMessage(InboxEntry entry);

    /** Called for status-only messages (typing and the like), which have no place in the inbox. */
    default void onStatus(InboxEntry entry) {
    }

    /**
     * Called for each failed page request. The loop requests the page again after a delay when a
     * retry can fix the error and the client stays connected, and pulls on every reconnect.
     */
    default void onSyncFailed(Throwable failure) {
    }
}
