package io.tidings.client.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidings.client.ConnectionState;
import io.tidings.client.ReconnectBackoff;
import io.tidings.client.TidingsClientException;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.Notify;
import io.tidings.protocol.v1.SyncReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageSyncTest {

    /** A server inbox in the test: pages of {@code pageSize} after a cursor, like offline-svc. */
    static final class TestInbox implements SyncTransport {
        final List<InboxEntry> entries = new CopyOnWriteArrayList<>();
        final List<Long> acks = new CopyOnWriteArrayList<>();
        final List<Long> syncCursors = new CopyOnWriteArrayList<>();
        final int pageSize;
        /** When set, sync replies wait for it, so a test can push while a pull runs. */
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
        /** Errors that the next sync calls fail with, one per call; an empty queue replies normally. */
        final Queue<ErrorCode> failNext = new ConcurrentLinkedQueue<>();

        TestInbox(int pageSize) {
            this.pageSize = pageSize;
        }

        InboxEntry append(String messageId) {
            long syncTime = entries.isEmpty() ? 1000 : entries.get(entries.size() - 1).getSyncTime() + 1;
            InboxEntry entry = InboxEntry.newBuilder()
                    .setSyncTime(syncTime)
                    .setMessage(Message.newBuilder().setMessageId(messageId))
                    .build();
            entries.add(entry);
            return entry;
        }

        Deliver deliverOf(InboxEntry entry) {
            int index = entries.indexOf(entry);
            long prev = index == 0 ? 0 : entries.get(index - 1).getSyncTime();
            return Deliver.newBuilder().setEntry(entry).setPrevSyncTime(prev).build();
        }

        @Override
        public CompletableFuture<SyncReply> sync(long cursor) {
            syncCursors.add(cursor);
            ErrorCode failure = failNext.poll();
            if (failure != null) {
                return CompletableFuture.failedFuture(new TidingsClientException(failure, "sync failed in the test"));
            }
            return gate.thenApply(ignored -> {
                List<InboxEntry> page = entries.stream().filter(e -> e.getSyncTime() > cursor)
                        .limit(pageSize).collect(Collectors.toList());
                long next = page.isEmpty() ? cursor : page.get(page.size() - 1).getSyncTime();
                boolean more = entries.stream().anyMatch(e -> e.getSyncTime() > next);
                return SyncReply.newBuilder().addAllEntries(page).setNextCursor(next).setHasMore(more).build();
            });
        }

        @Override
        public CompletableFuture<Void> syncAck(long cursor) {
            acks.add(cursor);
            return CompletableFuture.completedFuture(null);
        }
    }

    static final class Received implements MessageListener {
        final List<String> messageIds = new CopyOnWriteArrayList<>();
        final List<String> statusIds = new CopyOnWriteArrayList<>();
        final List<Throwable> syncFailures = new CopyOnWriteArrayList<>();

        @Override
        public void onSyncFailed(Throwable failure) {
            syncFailures.add(failure);
        }

        @Override
        public void onMessage(InboxEntry entry) {
            messageIds.add(entry.getMessage().getMessageId());
        }

        @Override
        public void onStatus(InboxEntry entry) {
            statusIds.add(entry.getMessage().getMessageId());
        }
    }

    private final List<MessageSync> opened = new ArrayList<>();

    private MessageSync open(TestInbox inbox, Received received, long cursor) {
        MessageSync sync = new MessageSync(inbox, CursorStore.inMemory(cursor), received);
        opened.add(sync);
        return sync;
    }

    /** Returns an inbox of {@code count} entries m0, m1, ... whose first sync calls fail with {@code failures}. */
    private static TestInbox inboxFailingFirst(int count, ErrorCode... failures) {
        TestInbox inbox = new TestInbox(200);
        ids("m", count).forEach(inbox::append);
        inbox.failNext.addAll(List.of(failures));
        return inbox;
    }

    private MessageSync openWithRetryDelay(TestInbox inbox, Received received, Duration delay) {
        MessageSync sync = new MessageSync(inbox, CursorStore.inMemory(0), received,
                new ReconnectBackoff(List.of(delay), 0, new Random(1)));
        opened.add(sync);
        return sync;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(MessageSync::close);
    }

    private static List<String> ids(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    @Test
    void pullReadsAllPagesInOrder() {
        TestInbox inbox = new TestInbox(200);
        ids("m", 450).forEach(inbox::append);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);

        sync.pull().join();

        assertEquals(ids("m", 450), received.messageIds);
        assertEquals(3, inbox.syncCursors.size(), "cursors asked: " + inbox.syncCursors);
        assertEquals(inbox.entries.get(449).getSyncTime(), sync.cursor());
        assertEquals(List.of(inbox.entries.get(449).getSyncTime()), inbox.acks);
    }

    @Test
    void contiguousPushIsDeliveredWithoutPull() {
        TestInbox inbox = new TestInbox(200);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        sync.pull().join();

        InboxEntry first = inbox.append("a");
        InboxEntry second = inbox.append("b");
        sync.onDeliver(inbox.deliverOf(first));
        sync.onDeliver(inbox.deliverOf(second));
        sync.whenIdle().join();

        assertEquals(second.getSyncTime(), sync.cursor());
        assertEquals(List.of("a", "b"), received.messageIds);
        assertEquals(1, inbox.syncCursors.size(), "no pull expected after the first");
    }

    @Test
    void pushAfterGapPullsMissingEntry() {
        TestInbox inbox = new TestInbox(200);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        sync.pull().join();

        inbox.append("lost");
        InboxEntry next = inbox.append("next");
        sync.onDeliver(inbox.deliverOf(next));
        sync.whenIdle().join();

        assertEquals(next.getSyncTime(), sync.cursor());
        assertEquals(List.of("lost", "next"), received.messageIds);
    }

    @Test
    void duplicatePushIsDropped() {
        TestInbox inbox = new TestInbox(200);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        InboxEntry entry = inbox.append("once");

        sync.onDeliver(inbox.deliverOf(entry));
        sync.onDeliver(inbox.deliverOf(entry));
        sync.pull().join();
        sync.whenIdle().join();

        assertEquals(entry.getSyncTime(), sync.cursor());
        assertEquals(List.of("once"), received.messageIds);
    }

    @Test
    void notifyAboveCursorPulls() {
        TestInbox inbox = new TestInbox(200);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        ids("n", 5).forEach(inbox::append);

        sync.onNotify(Notify.newBuilder().setLatestSyncTime(inbox.entries.get(4).getSyncTime()).build());
        sync.whenIdle().join();

        assertEquals(inbox.entries.get(4).getSyncTime(), sync.cursor());
        assertEquals(ids("n", 5), received.messageIds);
    }

    @Test
    void pushDuringPullIsNotLost() {
        TestInbox inbox = new TestInbox(200);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        inbox.append("before");
        CompletableFuture<Void> gate = new CompletableFuture<>();
        inbox.gate = gate;
        CompletableFuture<Void> pull = sync.pull();

        // The pull's request has reached the server; an entry appended now is not in its reply,
        // and its push arrives while the pull still runs, so the loop drops it.
        InboxEntry late = inbox.append("late");
        sync.onDeliver(inbox.deliverOf(late));
        inbox.gate = CompletableFuture.completedFuture(null);
        gate.complete(null);
        pull.join();
        sync.whenIdle().join();

        assertEquals(late.getSyncTime(), sync.cursor());
        assertEquals(List.of("before", "late"), received.messageIds);
    }

    @Test
    void statusOnlyGoesToStatusCallback() {
        TestInbox inbox = new TestInbox(200);
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        InboxEntry typing = InboxEntry.newBuilder()
                .setMessage(Message.newBuilder().setMessageId("typing-1")
                        .setFlags(MessageFlags.newBuilder().setStatusOnly(true)))
                .build();

        sync.onDeliver(Deliver.newBuilder().setEntry(typing).build());

        assertEquals(0, sync.cursor());
        assertEquals(List.of("typing-1"), received.statusIds);
        assertEquals(List.of(), received.messageIds);
    }

    @Test
    void failedPageIsRequestedAgain() {
        TestInbox inbox = inboxFailingFirst(250, ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT);
        Received received = new Received();
        MessageSync sync = openWithRetryDelay(inbox, received, Duration.ofMillis(10));

        sync.pull().orTimeout(10, TimeUnit.SECONDS).join();

        assertEquals(ids("m", 250), received.messageIds);
        assertEquals(2, received.syncFailures.size());
        assertEquals(List.of(0L, 0L, 0L, inbox.entries.get(199).getSyncTime()), inbox.syncCursors);
    }

    @Test
    void invalidArgumentEndsThePull() {
        TestInbox inbox = inboxFailingFirst(3, ErrorCode.INVALID_ARGUMENT);
        Received received = new Received();
        MessageSync sync = openWithRetryDelay(inbox, received, Duration.ofMillis(10));

        sync.pull().orTimeout(10, TimeUnit.SECONDS).join();

        assertEquals(List.of(), received.messageIds);
        assertEquals(1, received.syncFailures.size());
        assertEquals(1, inbox.syncCursors.size());
    }

    @Test
    void disconnectEndsWaitingRetry() {
        TestInbox inbox = inboxFailingFirst(3, ErrorCode.UNAVAILABLE);
        Received received = new Received();
        MessageSync sync = openWithRetryDelay(inbox, received, Duration.ofMinutes(5));
        CompletableFuture<Void> pull = sync.pull();

        sync.onStateChanged(ConnectionState.RECONNECTING, ErrorCode.UNAVAILABLE, "connection lost in the test");

        pull.orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(1, inbox.syncCursors.size());
        sync.onStateChanged(ConnectionState.CONNECTED, null, "connected again in the test");
        sync.whenIdle().orTimeout(10, TimeUnit.SECONDS).join();
        assertEquals(List.of("m0", "m1", "m2"), received.messageIds);
    }

    @Test
    void eventsAfterCloseAreIgnored() {
        TestInbox inbox = new TestInbox(200);
        InboxEntry entry = inbox.append("m0");
        Received received = new Received();
        MessageSync sync = open(inbox, received, 0);
        sync.close();

        sync.onStateChanged(ConnectionState.CLOSED, null, "closed in the test");
        sync.onDeliver(inbox.deliverOf(entry));
        sync.onNotify(Notify.newBuilder().setLatestSyncTime(entry.getSyncTime()).build());

        assertEquals(List.of(), received.messageIds);
        assertEquals(List.of(), inbox.syncCursors);
    }
}
