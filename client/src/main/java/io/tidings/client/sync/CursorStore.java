package io.tidings.client.sync;

/**
 * Where the sync loop keeps the device's cursor: the sync time of the newest inbox entry the app
 * has received. An app persists it next to its local message store so a restart resumes where it
 * was; a fresh install starts from 0 and gets everything the inbox retains.
 */
public interface CursorStore {

    long load();

    void save(long cursor);

    /** Returns a store that keeps the cursor in memory only, starting at {@code initial}. */
    static CursorStore inMemory(long initial) {
        return new CursorStore() {
            private volatile long cursor = initial;

            @Override
            public long load() {
                return cursor;
            }

            @Override
            public void save(long value) {
                cursor = value;
            }
        };
    }
}
