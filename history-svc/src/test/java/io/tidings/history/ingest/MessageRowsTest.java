package io.tidings.history.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.history.store.HistoryRows;
import io.tidings.history.store.RowKeys;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import java.util.List;
import org.apache.hadoop.hbase.client.Put;
import org.junit.jupiter.api.Test;

class MessageRowsTest {

    private static Message.Builder message(ConversationType type, String target) {
        return Message.newBuilder()
                .setMessageId("01HX")
                .setSenderId("alice")
                .setConversation(Conversation.newBuilder().setType(type).setTargetId(target))
                .setContentType("text")
                .setServerTime(1_700_000_000_000L)
                .setFlags(MessageFlags.newBuilder().setPersisted(true).setCounted(true));
    }

    private static MessageRecord record(Message.Builder message, String... recipients) {
        return MessageRecord.newBuilder().setMessage(message).addAllRecipientIds(List.of(recipients)).build();
    }

    @Test
    void privateMessageOneRowUnderCanonicalKey() {
        List<Put> puts = MessageRows.of("p:alice:bob", record(message(ConversationType.PRIVATE, "bob")));
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).getRow()).isEqualTo(RowKeys.messageRow("p:alice:bob", 1_700_000_000_000L, "01HX"));
    }

    @Test
    void privateMessageFromLargerIdSameKey() {
        Message.Builder fromBob = message(ConversationType.PRIVATE, "alice").setSenderId("bob");
        List<Put> puts = MessageRows.of("p:alice:bob", record(fromBob));
        assertThat(puts.get(0).getRow()).isEqualTo(RowKeys.messageRow("p:alice:bob", 1_700_000_000_000L, "01HX"));
    }

    @Test
    void groupMessageIgnoresRecipients() {
        List<Put> puts = MessageRows.of("g:team", record(message(ConversationType.GROUP, "team"), "alice", "bob"));
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).getRow()).isEqualTo(RowKeys.messageRow("g:team", 1_700_000_000_000L, "01HX"));
    }

    @Test
    void systemMessageOneRowPerRecipient() {
        Message.Builder system = message(ConversationType.SYSTEM, "admin").setSenderId("admin");
        List<Put> puts = MessageRows.of("s:admin:alice", record(system, "alice", "bob"));
        assertThat(puts).extracting(Put::getRow).containsExactly(
                RowKeys.messageRow("s:admin:alice", 1_700_000_000_000L, "01HX"),
                RowKeys.messageRow("s:admin:bob", 1_700_000_000_000L, "01HX"));
    }

    @Test
    void systemMessageWithoutRecipientsUsesRecordKey() {
        Message.Builder system = message(ConversationType.SYSTEM, "admin").setSenderId("admin");
        List<Put> puts = MessageRows.of("s:admin:carol", record(system));
        assertThat(puts.get(0).getRow()).isEqualTo(RowKeys.messageRow("s:admin:carol", 1_700_000_000_000L, "01HX"));
    }

    @Test
    void systemMessageWithoutAnyRecipientRejected() {
        Message.Builder system = message(ConversationType.SYSTEM, "admin").setSenderId("admin");
        assertThatThrownBy(() -> MessageRows.of("g:team", record(system)))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("recipient_ids");
    }

    @Test
    void statusOnlyNotStored() {
        Message.Builder typing = message(ConversationType.PRIVATE, "bob")
                .setFlags(MessageFlags.newBuilder().setStatusOnly(true).setPersisted(true));
        assertThat(MessageRows.of("p:alice:bob", record(typing))).isEmpty();
    }

    @Test
    void notPersistedNotStored() {
        Message.Builder transientMessage = message(ConversationType.PRIVATE, "bob")
                .setFlags(MessageFlags.newBuilder().setPersisted(false).setCounted(false));
        assertThat(MessageRows.of("p:alice:bob", record(transientMessage))).isEmpty();
    }

    @Test
    void absentFlagsStored() {
        Message.Builder plain = message(ConversationType.PRIVATE, "bob").clearFlags();
        assertThat(MessageRows.of("p:alice:bob", record(plain))).hasSize(1);
    }

    @Test
    void missingMessageIdRejected() {
        Message.Builder noId = message(ConversationType.PRIVATE, "bob").clearMessageId();
        assertThatThrownBy(() -> MessageRows.of("p:alice:bob", record(noId)))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("message_id");
    }

    @Test
    void missingServerTimeRejected() {
        Message.Builder noTime = message(ConversationType.PRIVATE, "bob").setServerTime(0);
        assertThatThrownBy(() -> MessageRows.of("p:alice:bob", record(noTime)))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("server_time 0");
    }

    @Test
    void missingTargetRejected() {
        Message.Builder noTarget = message(ConversationType.GROUP, "");
        assertThatThrownBy(() -> MessageRows.of("g:", record(noTarget)))
                .isInstanceOf(TidingsException.class)
                .hasMessageContaining("conversation.target_id");
    }

    @Test
    void cellTimestampIsServerTime() {
        Put put = MessageRows.of("g:team", record(message(ConversationType.GROUP, "team"))).get(0);
        assertThat(put.get(HistoryRows.FAMILY, HistoryRows.MESSAGE).get(0).getTimestamp()).isEqualTo(1_700_000_000_000L);
    }
}
