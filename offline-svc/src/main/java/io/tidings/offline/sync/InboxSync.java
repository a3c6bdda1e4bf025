package io.tidings.offline.sync;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.offline.inbox.InboxArguments;
import io.tidings.offline.inbox.InboxKeys;
import io.tidings.offline.inbox.InboxMetrics;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.offline.redis.OfflineLua;
import io.tidings.protocol.Ids;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.support.redis.LuaScript;
import io.tidings.support.redis.ScriptCall;
import io.tidings.support.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Pages through a user's inbox after a cursor, oldest first, and keeps each device's acked
 * cursor. A Sync also acks the cursor of its request, because a device that requests entries
 * after a cursor has every entry up to it.
 */
@ApplicationScoped
public class InboxSync {

    /** Default and maximum entries per Sync page. */
    public static final int MAX_PAGE_SIZE = 200;

    /**
     * Bytes of entries after which a page ends early with has_more set, so that a page of large
     * messages stays well below gRPC's default 4 MiB message limit. A page contains at least one entry.
     */
    public static final int MAX_PAGE_BYTES = 1 << 20;

    static final LuaScript SYNC = OfflineLua.load("sync", "cursor.lua", "sync.lua");
    static final LuaScript ACK = OfflineLua.load("ack", "cursor.lua", "ack.lua");

    private final ScriptRunner scripts;
    private final InboxSettings settings;
    private final Clock clock;
    private final InboxMetrics metrics;

    public InboxSync(ScriptRunner scripts, InboxSettings settings, Clock clock, InboxMetrics metrics) {
        this.scripts = scripts;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * Returns up to {@code request.limit} entries (0 or more than {@value #MAX_PAGE_SIZE} means
     * {@value #MAX_PAGE_SIZE}) with a sync time above the cursor and within retention. With
     * {@code from_stored_cursor} the device's acked cursor replaces {@code request.cursor}.
     * {@code next_cursor} is the sync time of the last entry returned, or the cursor used when
     * none is.
     *
     * @throws io.tidings.protocol.TidingsException INVALID_ARGUMENT for a bad user id, device id or cursor
     */
    public Uni<SyncReply> sync(String userId, String deviceId, SyncRequest request) {
        InboxArguments.requireUserId("user_id", userId);
        Ids.requireDeviceId(deviceId);
        long cursor = InboxArguments.requireCursor("request.cursor", request.getCursor());
        long pageSize = pageSize(request.getLimit());

        InboxKeys keys = InboxKeys.of(userId);
        long now = clock.millis();
        ScriptCall call = new ScriptCall(SYNC,
                List.of(keys.inbox(), keys.entries(), keys.lastSync(), keys.cursors()),
                List.<Object>of(deviceId, cursor, request.getFromStoredCursor() ? "1" : "0", pageSize,
                        settings.retentionCutoff(now), settings.keyTtl().toMillis()));
        Timer.Sample sample = Timer.start(metrics.registry());
        return scripts.run(call)
                .map(reply -> page(userId, deviceId, reply, pageSize))
                .onTermination().invoke(() -> sample.stop(metrics.syncLatency()));
    }

    /**
     * Stores {@code max(stored cursor, cursor)} as the device's acked cursor, where a cursor above
     * the user's newest sync time counts as that newest sync time.
     */
    public Uni<Void> ack(String userId, String deviceId, long cursor) {
        InboxArguments.requireUserId("user_id", userId);
        Ids.requireDeviceId(deviceId);
        InboxArguments.requireCursor("cursor", cursor);

        InboxKeys keys = InboxKeys.of(userId);
        ScriptCall call = new ScriptCall(ACK,
                List.of(keys.inbox(), keys.lastSync(), keys.cursors()),
                List.<Object>of(deviceId, cursor, settings.keyTtl().toMillis()));
        return scripts.run(call).replaceWithVoid();
    }

    static long pageSize(int limit) {
        long unsigned = Integer.toUnsignedLong(limit);
        return unsigned == 0 || unsigned > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : unsigned;
    }

    private SyncReply page(String userId, String deviceId, Response reply, long pageSize) {
        long cursor = reply.get(0).toLong();
        Response rows = reply.get(1);
        Response values = reply.get(2);
        int found = rows.size() / 2;
        int returned = (int) Math.min(found, pageSize);

        SyncReply.Builder page = SyncReply.newBuilder()
                .setHasMore(found > pageSize)
                .setNextCursor(cursor);
        long bytes = 0;
        for (int i = 0; i < returned; i++) {
            String messageId = rows.get(2 * i).toString();
            long syncTime = rows.get(2 * i + 1).toLong();
            InboxEntry entry = decode(userId, deviceId, messageId, values.get(i));
            if (entry != null) {
                InboxEntry timed = entry.toBuilder().setSyncTime(syncTime).build();
                int size = timed.getSerializedSize();
                if (page.getEntriesCount() > 0 && bytes + size > MAX_PAGE_BYTES) {
                    page.setHasMore(true);
                    break;
                }
                bytes += size;
                page.addEntries(timed);
            }
            // The page advances past an unreadable entry as well, so one bad value cannot stall a device.
            page.setNextCursor(syncTime);
        }
        metrics.pulled().increment(page.getEntriesCount());
        return page.build();
    }

    private static InboxEntry decode(String userId, String deviceId, String messageId, Response value) {
        if (value == null) {
            Log.errorf("Inbox entry missing from the entries hash userId=%s deviceId=%s messageId=%s; skipping it",
                    userId, deviceId, messageId);
            return null;
        }
        try {
            return InboxEntry.parseFrom(value.toBytes());
        } catch (InvalidProtocolBufferException e) {
            Log.errorf(e, "Unreadable inbox entry userId=%s deviceId=%s messageId=%s; skipping it",
                    userId, deviceId, messageId);
            return null;
        }
    }
}
