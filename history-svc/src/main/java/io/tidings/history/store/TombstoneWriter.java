package io.tidings.history.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Table;

/** Writes tombstones that hide recalled or deleted messages from history. Blocking. */
@ApplicationScoped
public class TombstoneWriter {

    private final HistoryStore store;

    public TombstoneWriter(HistoryStore store) {
        this.store = store;
    }

    /**
     * Marks one message of a conversation as deleted. The tombstone is written even when the
     * message is not stored yet, so a message that the ingest has not reached stays hidden when
     * it arrives.
     *
     * @return true when the message was already stored
     */
    public boolean markDeleted(String conversationKey, long serverTime, String messageId, long deletedAt)
            throws IOException {
        byte[] row = RowKeys.messageRow(conversationKey, serverTime, messageId);
        try (Table table = store.connection().getTable(store.table().name())) {
            boolean stored = table.exists(new Get(row).addColumn(HistoryRows.FAMILY, HistoryRows.MESSAGE));
            table.put(HistoryRows.tombstonePut(conversationKey, serverTime, messageId, deletedAt));
            return stored;
        }
    }
}
