package io.tidings.history.it;

import static io.tidings.history.it.HistoryTestKit.group;
import static io.tidings.history.it.HistoryTestKit.message;
import static io.tidings.history.it.HistoryTestKit.peer;
import static io.tidings.history.it.HistoryTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.history.store.HistoryRows;
import io.tidings.history.store.HistoryStore;
import io.tidings.history.store.RowKeys;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.server.DeleteHistoryMessageReply;
import io.tidings.protocol.server.DeleteHistoryMessageRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.testsupport.HBaseResource;
import io.tidings.testsupport.KafkaResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptor;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.io.compress.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(HBaseResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeRouting.class)
class HistoryQueryTest {

    private static final Duration STORED_WITHIN = Duration.ofSeconds(60);

    @TestHTTPResource
    URL app;

    @Inject
    HistoryStore store;

    private HistoryTestKit kit;

    @BeforeEach
    void connect() {
        kit = new HistoryTestKit(app.getPort());
        kit.awaitConsuming();
    }

    @AfterEach
    void close() {
        kit.close();
    }

    /** Returns messages from alternating senders of a private conversation, one per second of server time. */
    private static List<Message> privateMessages(String alice, String bob, long firstTime, int count) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean fromAlice = i % 2 == 0;
            messages.add(message(fromAlice ? alice : bob, peer(fromAlice ? bob : alice), firstTime + i * 1_000L));
        }
        return messages;
    }

    private void awaitStored(String userId, Conversation conversation, int expected) {
        await().atMost(STORED_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> kit.readAll(userId, conversation).size() >= expected);
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::getMessageId).toList();
    }

    @Test
    void pagesTwentyTwentyFive() {
        String alice = unique("alice");
        String bob = unique("bob");
        List<Message> sent = privateMessages(alice, bob, System.currentTimeMillis() - 60_000, 45);
        kit.produce(sent);
        awaitStored(alice, peer(bob), 45);

        HistoryReply first = kit.query(alice, peer(bob), 0, 0);
        HistoryReply second = kit.query(alice, peer(bob), last(first).getServerTime(), 0);
        HistoryReply third = kit.query(alice, peer(bob), last(second).getServerTime(), 0);

        assertThat(first.getMessagesCount()).isEqualTo(20);
        assertThat(first.getHasMore()).isTrue();
        assertThat(second.getMessagesCount()).isEqualTo(20);
        assertThat(second.getHasMore()).isTrue();
        assertThat(third.getMessagesCount()).isEqualTo(5);
        assertThat(third.getHasMore()).isFalse();

        List<Message> pages = new ArrayList<>(first.getMessagesList());
        pages.addAll(second.getMessagesList());
        pages.addAll(third.getMessagesList());
        List<Message> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(ids(pages)).containsExactlyElementsOf(ids(newestFirst));
        assertThat(pages).isEqualTo(newestFirst);
    }

    @Test
    void peerViewSameConversation() {
        String alice = unique("alice");
        String bob = unique("bob");
        kit.produce(privateMessages(alice, bob, System.currentTimeMillis() - 10_000, 3));
        awaitStored(alice, peer(bob), 3);

        HistoryReply fromAlice = kit.query(alice, peer(bob), 0, 0);
        HistoryReply fromBob = kit.query(bob, peer(alice), 0, 0);

        assertThat(fromAlice.getMessagesCount()).isEqualTo(3);
        assertThat(fromBob.getMessagesList()).isEqualTo(fromAlice.getMessagesList());
    }

    @Test
    void conversationOlderThanInboxReadable() {
        String alice = unique("alice");
        String bob = unique("bob");
        long fortyDaysAgo = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(40);
        List<Message> sent = privateMessages(alice, bob, fortyDaysAgo, 12);
        kit.produce(sent);
        awaitStored(alice, peer(bob), 12);

        HistoryReply page = kit.query(bob, peer(alice), 0, 0);

        assertThat(page.getMessagesCount()).isEqualTo(12);
        assertThat(page.getHasMore()).isFalse();
        assertThat(page.getMessages(0)).isEqualTo(sent.get(11));
        assertThat(page.getMessages(11)).isEqualTo(sent.get(0));
    }

    @Test
    void duplicateRecordOneRow() throws IOException {
        String alice = unique("alice");
        String bob = unique("bob");
        Message once = message(alice, peer(bob), System.currentTimeMillis() - 5_000);
        Message marker = message(bob, peer(alice), once.getServerTime() + 1);
        kit.produce(List.of(once));
        kit.produce(List.of(once));
        kit.produce(List.of(marker));
        awaitStored(alice, peer(bob), 2);

        HistoryReply page = kit.query(alice, peer(bob), 0, 0);

        assertThat(ids(page.getMessagesList())).containsExactly(marker.getMessageId(), once.getMessageId());
        assertThat(rowsOf(ConversationKeys.privateKey(alice, bob))).isEqualTo(2);
    }

    @Test
    void pageNeverSplitsMillisecond() {
        String alice = unique("alice");
        String bob = unique("bob");
        long base = System.currentTimeMillis() - 100_000;
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // Messages 3 to 7 (the 18th to 22nd newest) share one millisecond.
            long time = i >= 3 && i <= 7 ? base + 3_000 : base + i * 1_000L;
            sent.add(message(alice, peer(bob), time));
        }
        kit.produce(sent);
        awaitStored(alice, peer(bob), 25);

        HistoryReply first = kit.query(alice, peer(bob), 0, 20);
        HistoryReply second = kit.query(alice, peer(bob), last(first).getServerTime(), 20);

        assertThat(first.getMessagesCount()).isEqualTo(17);
        assertThat(first.getHasMore()).isTrue();
        assertThat(second.getMessagesCount()).isEqualTo(8);
        assertThat(second.getHasMore()).isFalse();
        Set<String> seen = new HashSet<>(ids(first.getMessagesList()));
        seen.addAll(ids(second.getMessagesList()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids(sent));
    }

    @Test
    void statusOnlyNotStored() {
        String alice = unique("alice");
        String bob = unique("bob");
        long now = System.currentTimeMillis();
        Message typing = message(alice, peer(bob), now - 2_000).toBuilder()
                .setFlags(MessageFlags.newBuilder().setStatusOnly(true))
                .build();
        Message notPersisted = message(alice, peer(bob), now - 1_500).toBuilder()
                .setFlags(MessageFlags.newBuilder().setPersisted(false))
                .build();
        Message stored = message(alice, peer(bob), now - 1_000);
        kit.produce(List.of(typing, notPersisted, stored));
        awaitStored(alice, peer(bob), 1);

        HistoryReply page = kit.query(alice, peer(bob), 0, 0);

        assertThat(ids(page.getMessagesList())).containsExactly(stored.getMessageId());
    }

    @Test
    void deletedMessageHidden() {
        String alice = unique("alice");
        String bob = unique("bob");
        List<Message> sent = privateMessages(alice, bob, System.currentTimeMillis() - 20_000, 3);
        kit.produce(sent);
        awaitStored(alice, peer(bob), 3);

        DeleteHistoryMessageReply reply = kit.admin().deleteMessage(DeleteHistoryMessageRequest.newBuilder()
                .setUserId(alice)
                .setConversation(peer(bob))
                .setMessageId(sent.get(1).getMessageId())
                .setServerTime(sent.get(1).getServerTime())
                .build());
        HistoryReply page = kit.query(bob, peer(alice), 0, 0);

        assertThat(reply.getFound()).isTrue();
        assertThat(ids(page.getMessagesList())).containsExactly(sent.get(2).getMessageId(), sent.get(0).getMessageId());
    }

    @Test
    void deleteBeforeArrivalHides() {
        String alice = unique("alice");
        String bob = unique("bob");
        long now = System.currentTimeMillis();
        Message early = message(alice, peer(bob), now - 3_000);
        Message later = message(alice, peer(bob), now - 2_000);

        DeleteHistoryMessageReply reply = kit.admin().deleteMessage(DeleteHistoryMessageRequest.newBuilder()
                .setUserId(bob)
                .setConversation(peer(alice))
                .setMessageId(early.getMessageId())
                .setServerTime(early.getServerTime())
                .build());
        kit.produce(List.of(early, later));
        awaitStored(alice, peer(bob), 1);

        assertThat(reply.getFound()).isFalse();
        assertThat(ids(kit.query(alice, peer(bob), 0, 0).getMessagesList())).containsExactly(later.getMessageId());
    }

    @Test
    void systemMessagePerRecipient() {
        String carol = unique("carol");
        String dave = unique("dave");
        Conversation fromAdmin = Conversation.newBuilder().setType(ConversationType.SYSTEM).setTargetId("admin").build();
        Message notice = message("admin", fromAdmin, System.currentTimeMillis() - 1_000).toBuilder()
                .setSenderDeviceId("")
                .setContentType("system")
                .build();
        kit.produce(notice, List.of(carol, dave));
        awaitStored(carol, fromAdmin, 1);
        awaitStored(dave, fromAdmin, 1);

        assertThat(kit.query(carol, fromAdmin, 0, 0).getMessagesList()).containsExactly(notice);
        assertThat(kit.query(dave, fromAdmin, 0, 0).getMessagesList()).containsExactly(notice);
    }

    @Test
    void adminReadsGroup() {
        String groupId = unique("team");
        String erin = unique("erin");
        long base = System.currentTimeMillis() - 30_000;
        List<Message> sent = List.of(
                message(erin, group(groupId), base),
                message(erin, group(groupId), base + 1_000));
        kit.produce(sent);
        awaitStored("", group(groupId), 2);

        List<Message> all = kit.readAll("", group(groupId));

        assertThat(all).containsExactly(sent.get(1), sent.get(0));
    }

    @Test
    void tableCreatedWithSchema() throws IOException {
        try (Admin admin = store.connection().getAdmin()) {
            TableDescriptor table = admin.getDescriptor(store.table().name());
            ColumnFamilyDescriptor family = table.getColumnFamily(HistoryRows.FAMILY);

            assertThat(store.table().name().getNameAsString()).isEqualTo("tidings:messages");
            assertThat(table.getColumnFamilyCount()).isEqualTo(1);
            assertThat(family.getMaxVersions()).isEqualTo(1);
            assertThat(family.getTimeToLive()).isEqualTo((int) TimeUnit.DAYS.toSeconds(180));
            assertThat(family.getCompressionType()).isEqualTo(Compression.Algorithm.GZ);
            assertThat(admin.getRegions(store.table().name())).hasSizeGreaterThanOrEqualTo(RowKeys.SALT_BUCKETS);
        }
    }

    @Test
    void metricsAndReadinessExposed() {
        String alice = unique("alice");
        String bob = unique("bob");
        kit.produce(privateMessages(alice, bob, System.currentTimeMillis() - 5_000, 2));
        awaitStored(alice, peer(bob), 2);
        kit.query(alice, peer(bob), 0, 0);

        String metrics = kit.get("/q/metrics");
        String readiness = kit.get("/q/health/ready");

        assertThat(metrics).contains("tidings_history_rows_written_total");
        assertThat(metrics).contains("tidings_history_hbase_write_latency_seconds_count");
        assertThat(metrics).contains("tidings_history_hbase_batch_size_rows_count");
        assertThat(metrics).contains("tidings_history_flush_failures_total");
        assertThat(metrics).contains("tidings_history_consumer_paused 0.0");
        assertThat(metrics).contains("tidings_history_records_invalid_total");
        assertThat(metrics).contains("tidings_history_query_latency_seconds_count{api=\"user\",outcome=\"ok\"}");
        assertThat(readiness).contains("\"hbase\": \"UP\"");
        assertThat(readiness).contains("\"kafka\": \"UP\"");
    }

    private int rowsOf(String conversationKey) throws IOException {
        Scan scan = new Scan()
                .withStartRow(RowKeys.scanStart(conversationKey, 0))
                .withStopRow(RowKeys.scanStop(conversationKey, 0))
                .addFamily(HistoryRows.FAMILY)
                .readAllVersions();
        int rows = 0;
        try (Table table = store.connection().getTable(store.table().name());
                ResultScanner scanner = table.getScanner(scan)) {
            for (Result row : scanner) {
                assertThat(row.getColumnCells(HistoryRows.FAMILY, HistoryRows.MESSAGE)).hasSize(1);
                rows++;
            }
        }
        return rows;
    }

    private static Message last(HistoryReply reply) {
        return reply.getMessages(reply.getMessagesCount() - 1);
    }
}
