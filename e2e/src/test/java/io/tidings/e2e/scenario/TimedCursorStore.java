package io.tidings.e2e.scenario;

import io.tidings.client.sync.CursorStore;
import java.util.Arrays;

/**
 * A device's cursor store that also records when each cursor was saved. The SDK's sync loop
 * saves the cursor right after it hands entries to the app: after each pushed entry, and after
 * each pulled page with the page's next cursor, the sync time of its last entry. So the first save at or above an entry's sync
 * time is when the app got that entry, on this JVM's {@link System#nanoTime()} clock.
 */
final class TimedCursorStore implements CursorStore {

    private final CursorStore persistent;
    private long[] savedAtNanos = new long[256];
    private long[] savedCursors = new long[256];
    private int size;

    /** Wraps the store that keeps the cursor across reconnects of the same device. */
    TimedCursorStore(CursorStore persistent) {
        this.persistent = persistent;
    }

    @Override
    public long load() {
        return persistent.load();
    }

    @Override
    public void save(long cursor) {
        long now = System.nanoTime();
        persistent.save(cursor);
        record(now, cursor);
    }

    private synchronized void record(long now, long cursor) {
        if (size == savedCursors.length) {
            savedAtNanos = Arrays.copyOf(savedAtNanos, size * 2);
            savedCursors = Arrays.copyOf(savedCursors, size * 2);
        }
        savedAtNanos[size] = now;
        savedCursors[size] = cursor;
        size++;
    }

    /**
     * Returns the {@link System#nanoTime()} at which the app got the entry with {@code syncTime},
     * or -1 when no cursor at or above it was saved.
     */
    synchronized long deliveredAtNanos(long syncTime) {
        // Saved cursors only grow, because the sync loop never moves its cursor back.
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (savedCursors[middle] >= syncTime) {
                found = middle;
                high = middle - 1;
            } else {
                low = middle + 1;
            }
        }
        return found < 0 ? -1 : savedAtNanos[found];
    }
}
