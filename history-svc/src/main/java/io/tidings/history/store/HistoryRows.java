package io.tidings.history.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tidings.protocol.v1.Message;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * Cells of a history row. Column family {@code m} contains the message as a serialized
 * {@link Message} in column {@code b}, stamped with the message's server time, and, once the
 * message is recalled or deleted, a tombstone in column {@code t} stamped with the deletion time.
 * Readers skip rows with a tombstone and rows with no message.
 */
public final class HistoryRows {

    public static final byte[] FAMILY = Bytes.toBytes("m");
    public static final byte[] MESSAGE = Bytes.toBytes("b");
    public static final byte[] TOMBSTONE = Bytes.toBytes("t");

    private HistoryRows() {
    }

    /**
     * Returns the Put that stores a message in a conversation. The cell timestamp is the server
     * time, so a rewrite of the same message replaces an identical cell and the TTL counts from
     * when the message was sent, not from when history-svc stored it.
     */
    public static Put messagePut(String conversationKey, Message message) {
        byte[] row = RowKeys.messageRow(conversationKey, message.getServerTime(), message.getMessageId());
        return new Put(row).addColumn(FAMILY, MESSAGE, message.getServerTime(), message.toByteArray());
    }

    /** Returns the Put that marks a message as deleted at {@code deletedAt} (milliseconds). */
    public static Put tombstonePut(String conversationKey, long serverTime, String messageId, long deletedAt) {
        byte[] row = RowKeys.messageRow(conversationKey, serverTime, messageId);
        return new Put(row).addColumn(FAMILY, TOMBSTONE, deletedAt, Bytes.toBytes(deletedAt));
    }

    /** Returns true when the row carries a tombstone. */
    public static boolean isDeleted(Result row) {
        return row.containsColumn(FAMILY, TOMBSTONE);
    }

    /** Returns the stored message, or null when the row holds only a tombstone. */
    public static Message message(Result row) throws InvalidProtocolBufferException {
        byte[] value = row.getValue(FAMILY, MESSAGE);
        return value == null ? null : Message.parseFrom(value);
    }
}
