package io.tidings.history.ingest;

import io.tidings.history.store.HistoryRows;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.client.Put;

/** Turns a record of tidings.messages into the history rows it stores. */
final class MessageRows {

    private MessageRows() {
    }

    /** Returns true when the message belongs in history: persisted and not status-only. */
    static boolean isStored(Message message) {
        // A Send without flags is persisted and counted; routing-svc may pass the absence on.
        if (!message.hasFlags()) {
            return true;
        }
        MessageFlags flags = message.getFlags();
        return flags.getPersisted() && !flags.getStatusOnly();
    }

    /**
     * Returns the Puts of one record: none for messages that are not stored, one per
     * conversation otherwise. A SYSTEM message sent to a user list is one conversation per
     * recipient (s:from:user); without recipients it belongs to the conversation of the record
     * key.
     *
     * @throws TidingsException INVALID_ARGUMENT when the record cannot be stored; the caller logs
     *     and skips it
     */
    static List<Put> of(String recordKey, MessageRecord record) {
        Message message = record.getMessage();
        if (!isStored(message)) {
            return List.of();
        }
        if (message.getMessageId().isEmpty()) {
            throw TidingsException.invalidArgument("message_id is missing");
        }
        if (message.getServerTime() <= 0) {
            throw TidingsException.invalidArgument("server_time " + message.getServerTime()
                    + " of message " + message.getMessageId() + " is not a time");
        }
        List<Put> puts = new ArrayList<>();
        for (String conversationKey : conversationKeys(recordKey, record)) {
            puts.add(HistoryRows.messagePut(conversationKey, message));
        }
        return puts;
    }

    static List<String> conversationKeys(String recordKey, MessageRecord record) {
        Message message = record.getMessage();
        Ids.requireId("conversation.target_id", message.getConversation().getTargetId());
        if (message.getConversation().getType() == ConversationType.PRIVATE) {
            Ids.requireId("sender_id", message.getSenderId());
        }
        if (message.getConversation().getType() != ConversationType.SYSTEM) {
            return List.of(ConversationKeys.of(message.getSenderId(), message.getConversation()));
        }
        if (!record.getRecipientIdsList().isEmpty()) {
            List<String> keys = new ArrayList<>(record.getRecipientIdsCount());
            for (String recipient : record.getRecipientIdsList()) {
                keys.add(ConversationKeys.of(recipient, message.getConversation()));
            }
            return keys;
        }
        if (recordKey != null && recordKey.startsWith("s:")) {
            return List.of(recordKey);
        }
        throw TidingsException.invalidArgument("SYSTEM message " + message.getMessageId()
                + " has no recipient_ids and record key '" + recordKey + "' is not a system conversation key");
    }
}
