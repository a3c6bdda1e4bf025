package io.tidings.history.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Row keys of the history table. A key is built from the message alone, so writing the same
 * message twice writes the same row:
 *
 * <pre>
 * salt (1 byte) | key length (2 bytes) | conversation key (UTF-8) | Long.MAX_VALUE - server_time (8 bytes)
 *   | message id, each byte complemented (~b) | 0xFF
 * </pre>
 *
 * <p>The salt spreads conversations over {@link #SALT_BUCKETS} pre-split regions. All rows of one
 * conversation share the prefix up to the conversation key, newest first, so "the N messages
 * before time T" is one forward scan. Complementing the message id orders messages of the same
 * millisecond newest first as well, and the 0xFF terminator keeps that order when one id is a
 * prefix of another (a complemented ASCII byte is at most 0xFE).
 */
public final class RowKeys {

    /**
     * Number of salt values and of initial regions. Fixed for the life of a table: readers
     * compute the same salt as the writer did.
     */
    public static final int SALT_BUCKETS = 16;

    private static final int MAX_KEY_BYTES = 0xFFFF;

    private RowKeys() {
    }

    /** Returns the salt byte of a conversation: CRC-32 of its canonical key, modulo the buckets. */
    public static byte salt(String conversationKey) {
        CRC32 crc = new CRC32();
        crc.update(conversationKey.getBytes(StandardCharsets.UTF_8));
        return (byte) (crc.getValue() % SALT_BUCKETS);
    }

    /** Returns the prefix shared by every row of a conversation: salt, length and key. */
    public static byte[] conversationPrefix(String conversationKey) {
        byte[] key = conversationKey.getBytes(StandardCharsets.UTF_8);
        if (key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("conversation key is " + key.length
                    + " bytes long; the row key allows at most " + MAX_KEY_BYTES);
        }
        return ByteBuffer.allocate(3 + key.length)
                .put(salt(conversationKey))
                .putShort((short) key.length)
                .put(key)
                .array();
    }

    /** Returns the row key of one message of a conversation. */
    public static byte[] messageRow(String conversationKey, long serverTime, String messageId) {
        byte[] prefix = conversationPrefix(conversationKey);
        byte[] id = messageId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer row = ByteBuffer.allocate(prefix.length + 8 + id.length + 1)
                .put(prefix)
                .putLong(reversedTime(serverTime));
        for (byte b : id) {
            row.put((byte) ~b);
        }
        return row.put((byte) 0xFF).array();
    }

    /**
     * Returns the first row key of a conversation whose message is older than {@code beforeTime}
     * (server_time &lt; beforeTime), or the conversation's first row when beforeTime is 0.
     */
    public static byte[] scanStart(String conversationKey, long beforeTime) {
        byte[] prefix = conversationPrefix(conversationKey);
        if (beforeTime <= 0) {
            return prefix;
        }
        // server_time < T  <=>  MAX - server_time >= MAX - T + 1, that is MAX - (T - 1).
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(reversedTime(beforeTime - 1)).array();
    }

    /**
     * Returns the row key (exclusive) where a scan of a conversation stops: after the rows of
     * messages at {@code notBeforeTime} or later, or after the conversation's last row when
     * notBeforeTime is 0.
     */
    public static byte[] scanStop(String conversationKey, long notBeforeTime) {
        byte[] prefix = conversationPrefix(conversationKey);
        if (notBeforeTime <= 0) {
            return incremented(prefix);
        }
        // server_time >= N  <=>  MAX - server_time <= MAX - N, so stop at MAX - N + 1 = MAX - (N - 1).
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(reversedTime(notBeforeTime - 1)).array();
    }

    static long reversedTime(long serverTime) {
        return Long.MAX_VALUE - serverTime;
    }

    /** Returns the smallest key greater than every key that starts with {@code prefix}. */
    static byte[] incremented(byte[] prefix) {
        byte[] next = prefix.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (next[i] != (byte) 0xFF) {
                next[i]++;
                return java.util.Arrays.copyOf(next, i + 1);
            }
        }
        // Only 0xFF bytes: no larger prefix exists, so the scan runs to the end of the table.
        return new byte[0];
    }
}
