package io.tidings.history.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.tidings.history.config.HistoryConfig;
import io.tidings.protocol.v1.Message;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;

/** Reads pages of a conversation's history with one forward scan. Blocking: call from a worker thread. */
@ApplicationScoped
public class HistoryReader {

    private final HistoryStore store;
    private final HistoryConfig.Query config;

    public HistoryReader(HistoryStore store, HistoryConfig config) {
        this.store = store;
        this.config = config.query();
    }

    /**
     * Reads up to about {@code count} messages of a conversation, newest first (see
     * {@link HistoryPage#cut} for the exact page boundary).
     *
     * @param beforeTime only messages with server_time below this; 0 for the newest
     * @param notBeforeTime only messages with server_time at or above this; 0 for no lower bound
     */
    public HistoryPage read(String conversationKey, long beforeTime, long notBeforeTime, int count)
            throws IOException {
        Scan scan = new Scan()
                .withStartRow(RowKeys.scanStart(conversationKey, beforeTime), true)
                .withStopRow(RowKeys.scanStop(conversationKey, notBeforeTime), false)
                .addFamily(HistoryRows.FAMILY)
                // The page plus the message after it usually fit in the first RPC; PREAD suits
                // such short scans better than streaming reads.
                .setCaching(count + 2)
                .setReadType(Scan.ReadType.PREAD);
        int timeout = (int) config.scanTimeout().toMillis();
        Table table = store.connection().getTableBuilder(store.table().name(), null)
                .setOperationTimeout(timeout)
                .setReadRpcTimeout(timeout)
                .build();
        try (table; ResultScanner scanner = table.getScanner(scan)) {
            return HistoryPage.cut(new LiveMessages(conversationKey, scanner.iterator()), count);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The messages of a scan, skipping deleted rows, rows without a message and unreadable rows. */
    private static final class LiveMessages implements Iterator<Message> {

        private final String conversationKey;
        private final Iterator<Result> rows;
        private Message next;

        LiveMessages(String conversationKey, Iterator<Result> rows) {
            this.conversationKey = conversationKey;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            while (next == null && rows.hasNext()) {
                Result row = rows.next();
                if (HistoryRows.isDeleted(row)) {
                    continue;
                }
                try {
                    next = HistoryRows.message(row);
                } catch (InvalidProtocolBufferException e) {
                    Log.errorf(e, "Skipped an unreadable history row of conversation %s", conversationKey);
                }
            }
            return next != null;
        }

        @Override
        public Message next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Message message = next;
            next = null;
            return message;
        }
    }
}
