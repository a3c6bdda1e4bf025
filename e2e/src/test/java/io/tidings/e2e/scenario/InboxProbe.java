package io.tidings.e2e.scenario;

import io.tidings.e2e.suite.Device;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.SyncReply;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads a user's whole inbox through a connected device's client, outside its sync loop, to
 * tell a message missing from the inbox (lost on the server) from one the SDK did not deliver.
 * It does not move the device's cursor.
 */
final class InboxProbe {

    private static final int MAX_PAGES = 500;
    /** Pause between pages, to stay under the connector's operations-per-second limit. */
    private static final long PAGE_PAUSE_MILLIS = 100;

    private InboxProbe() {
    }

    /** Returns the message ids in the inbox, or throws when the device is offline or Sync fails. */
    static Set<String> messageIds(Device device) throws Exception {
        Set<String> ids = new HashSet<>();
        long cursor = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            SyncReply reply = device.client().sync(cursor).get(30, TimeUnit.SECONDS);
            for (InboxEntry entry : reply.getEntriesList()) {
                ids.add(entry.getMessage().getMessageId());
            }
            cursor = reply.getNextCursor();
            if (!reply.getHasMore()) {
                return ids;
            }
            Thread.sleep(PAGE_PAUSE_MILLIS);
        }
        return ids;
    }
}
