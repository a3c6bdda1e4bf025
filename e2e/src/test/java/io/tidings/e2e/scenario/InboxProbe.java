package io.tidings.e2e.scenario;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.tidings.protocol.internal.InboxServiceGrpc;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads a user's whole inbox from offline-svc's InboxService, to tell a message missing from the
 * inbox (lost on the server) from one that the SDK did not deliver, also while the user's
 * devices are disconnected. It syncs as its own device id, so it moves no real device's cursor.
 */
final class InboxProbe implements AutoCloseable {

    /** The device id the probe syncs as; offline-svc stores a cursor under it. */
    static final String PROBE_DEVICE_ID = "scenario-inbox-probe";

    private static final int MAX_PAGES = 500;

    private final ManagedChannel channel;

    InboxProbe(int offlinePort) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", offlinePort).usePlaintext().build();
    }

    /** Returns the message ids in the user's inbox; throws when offline-svc fails. */
    Set<String> messageIds(String userId) {
        Set<String> ids = new HashSet<>();
        long cursor = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            SyncReply reply = InboxServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .sync(InboxSyncRequest.newBuilder()
                            .setUserId(userId)
                            .setDeviceId(PROBE_DEVICE_ID)
                            .setRequest(SyncRequest.newBuilder().setCursor(cursor))
                            .build());
            for (InboxEntry entry : reply.getEntriesList()) {
                ids.add(entry.getMessage().getMessageId());
            }
            cursor = reply.getNextCursor();
            if (!reply.getHasMore()) {
                break;
            }
        }
        return ids;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
