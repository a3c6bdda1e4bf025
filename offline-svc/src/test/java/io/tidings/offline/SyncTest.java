package io.tidings.offline;

import static io.tidings.offline.InboxFixtures.appendAll;
import static io.tidings.offline.InboxFixtures.await;
import static io.tidings.offline.InboxFixtures.groupAppends;
import static io.tidings.offline.InboxFixtures.syncAll;
import static io.tidings.offline.InboxFixtures.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.offline.inbox.InboxAppender;
import io.tidings.offline.sync.InboxSync;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
class SyncTest {

    @Inject
    InboxAppender appender;

    @Inject
    InboxSync sync;

    private SyncReply syncPage(String userId, String deviceId, long cursor, int limit) {
        return await(sync.sync(userId, deviceId, SyncRequest.newBuilder().setCursor(cursor).setLimit(limit).build()));
    }

    private SyncReply syncFromStored(String userId, String deviceId) {
        return await(sync.sync(userId, deviceId, SyncRequest.newBuilder().setFromStoredCursor(true).build()));
    }

    @Test
    void pagesOf200ChainWithoutGapOrDuplicate() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 450), 150);

        SyncReply first = syncPage(userId, "d1", 0, 0);
        SyncReply second = syncPage(userId, "d1", first.getNextCursor(), 0);
        SyncReply third = syncPage(userId, "d1", second.getNextCursor(), 0);

        assertThat(first.getEntriesCount()).isEqualTo(200);
        assertThat(first.getHasMore()).isTrue();
        assertThat(second.getEntriesCount()).isEqualTo(200);
        assertThat(second.getHasMore()).isTrue();
        assertThat(third.getEntriesCount()).isEqualTo(50);
        assertThat(third.getHasMore()).isFalse();

        assertThat(first.getNextCursor()).isEqualTo(first.getEntries(199).getSyncTime());
        assertThat(second.getNextCursor()).isEqualTo(second.getEntries(199).getSyncTime());
        assertThat(third.getNextCursor()).isEqualTo(third.getEntries(49).getSyncTime());

        List<InboxEntry> all = new ArrayList<>();
        all.addAll(first.getEntriesList());
        all.addAll(second.getEntriesList());
        all.addAll(third.getEntriesList());
        assertThat(all).extracting(InboxEntry::getSyncTime)
                .as("every appended sync time once, oldest first")
                .isEqualTo(appended.stream().map(AppendResult::getSyncTime).toList());
        assertThat(all).extracting(e -> e.getMessage().getMessageId())
                .isEqualTo(appended.stream().map(AppendResult::getMessageId).toList());

        SyncReply after = syncPage(userId, "d1", third.getNextCursor(), 0);
        assertThat(after.getEntriesCount()).isZero();
        assertThat(after.getHasMore()).isFalse();
        assertThat(after.getNextCursor()).as("next_cursor of an empty page is the cursor").isEqualTo(third.getNextCursor());
    }

    @Test
    void syncReturnsStoredEntryFields() {
        String userId = uniqueId("u");
        var append = groupAppends(userId, "g", "m", 1).get(0);
        AppendResult result = await(appender.append(List.of(append))).get(0);

        InboxEntry entry = syncPage(userId, "d1", 0, 0).getEntries(0);

        assertThat(entry.getSyncTime()).isEqualTo(result.getSyncTime());
        assertThat(entry.toBuilder().clearSyncTime().build()).isEqualTo(append.getEntry());
    }

    @Test
    void pageEndsAtByteLimit() {
        String userId = uniqueId("u");
        List<InboxAppend> appends = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Message big = InboxFixtures.message("big-" + i, InboxFixtures.group("g"), "alice")
                    .setContent(ByteString.copyFrom(new byte[100 * 1024])).build();
            appends.add(InboxFixtures.append(userId, big, InboxFixtures.group("g"), false));
        }
        appendAll(appender, appends, 5);

        SyncReply first = syncPage(userId, "d1", 0, 0);

        assertThat(first.getEntriesCount()).isBetween(1, 10);
        assertThat(first.getSerializedSize()).isLessThanOrEqualTo(InboxSync.MAX_PAGE_BYTES + 1024);
        assertThat(first.getHasMore()).isTrue();
        assertThat(first.getNextCursor()).isEqualTo(first.getEntries(first.getEntriesCount() - 1).getSyncTime());
        List<InboxEntry> all = new ArrayList<>(first.getEntriesList());
        SyncReply page = first;
        while (page.getHasMore()) {
            page = syncPage(userId, "d1", page.getNextCursor(), 0);
            all.addAll(page.getEntriesList());
        }
        assertThat(all).extracting(e -> e.getMessage().getMessageId())
                .isEqualTo(appends.stream().map(a -> a.getEntry().getMessage().getMessageId()).toList());
    }

    @Test
    void limitCapsPageSize() {
        String userId = uniqueId("u");
        appendAll(appender, groupAppends(userId, "g", "m", 250), 250);

        assertThat(syncPage(userId, "d1", 0, 10).getEntriesCount()).isEqualTo(10);
        assertThat(syncPage(userId, "d1", 0, 10).getHasMore()).isTrue();
        assertThat(syncPage(userId, "d1", 0, 1000).getEntriesCount()).as("limit above 200").isEqualTo(200);
        assertThat(syncPage(userId, "d1", 0, -1).getEntriesCount()).as("limit 2^32-1 as unsigned").isEqualTo(200);
        assertThat(syncPage(userId, "d1", 0, 250).getHasMore()).isTrue();
    }

    @Test
    void cursorBetweenEntriesReturnsLaterOnes() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 10), 10);

        SyncReply page = syncPage(userId, "d1", appended.get(6).getSyncTime(), 0);

        assertThat(page.getEntriesList()).extracting(e -> e.getMessage().getMessageId())
                .containsExactly("m-7", "m-8", "m-9");
    }

    @Test
    void storedCursorFollowsAck() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 5), 5);

        SyncReply beforeAck = syncFromStored(userId, "phone");
        assertThat(beforeAck.getEntriesCount()).as("no stored cursor yet: everything retained").isEqualTo(5);

        await(sync.ack(userId, "phone", appended.get(2).getSyncTime()));
        SyncReply afterAck = syncFromStored(userId, "phone");

        assertThat(afterAck.getEntriesList()).extracting(e -> e.getMessage().getMessageId()).containsExactly("m-3", "m-4");
        assertThat(syncFromStored(userId, "laptop").getEntriesCount()).as("another device has its own cursor").isEqualTo(5);
    }

    @Test
    void ackKeepsHighestCursor() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 5), 5);

        await(sync.ack(userId, "phone", appended.get(3).getSyncTime()));
        await(sync.ack(userId, "phone", appended.get(1).getSyncTime()));

        assertThat(syncFromStored(userId, "phone").getEntriesList()).extracting(e -> e.getMessage().getMessageId())
                .containsExactly("m-4");
    }

    @Test
    void ackBeyondNewestCountsAsNewest() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 3), 3);

        await(sync.ack(userId, "phone", appended.get(2).getSyncTime() + 60_000));
        List<AppendResult> later = appendAll(appender, groupAppends(userId, "g", "later", 2), 2);

        SyncReply page = syncFromStored(userId, "phone");
        assertThat(page.getEntriesList()).extracting(InboxEntry::getSyncTime)
                .as("entries appended after a too-high ack are not skipped")
                .containsExactly(later.get(0).getSyncTime(), later.get(1).getSyncTime());
    }

    @Test
    void syncAcksItsCursor() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 6), 6);

        syncPage(userId, "phone", appended.get(3).getSyncTime(), 0);
        SyncReply fromStored = syncFromStored(userId, "phone");

        assertThat(fromStored.getEntriesList()).extracting(e -> e.getMessage().getMessageId()).containsExactly("m-4", "m-5");
        assertThat(fromStored.getNextCursor()).isEqualTo(appended.get(5).getSyncTime());
    }

    @Test
    void syncAckNeverLowersStoredCursor() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 6), 6);

        await(sync.ack(userId, "phone", appended.get(4).getSyncTime()));
        syncPage(userId, "phone", 0, 0);

        assertThat(syncFromStored(userId, "phone").getEntriesList()).extracting(e -> e.getMessage().getMessageId())
                .containsExactly("m-5");
    }

    @Test
    void emptyStoredCursorPageReturnsStoredCursor() {
        String userId = uniqueId("u");
        List<AppendResult> appended = appendAll(appender, groupAppends(userId, "g", "m", 2), 2);
        await(sync.ack(userId, "phone", appended.get(1).getSyncTime()));

        SyncReply page = syncFromStored(userId, "phone");

        assertThat(page.getEntriesCount()).isZero();
        assertThat(page.getHasMore()).isFalse();
        assertThat(page.getNextCursor()).isEqualTo(appended.get(1).getSyncTime());
    }

    @Test
    void unknownUserSyncsEmpty() {
        SyncReply page = syncPage(uniqueId("nobody"), "d1", 0, 0);

        assertThat(page.getEntriesCount()).isZero();
        assertThat(page.getHasMore()).isFalse();
        assertThat(page.getNextCursor()).isZero();
    }

    @Test
    void lastPageOfOneEntryEndsSync() {
        String userId = uniqueId("u");
        appendAll(appender, groupAppends(userId, "g", "m", 401), 401);

        assertThat(syncAll(sync, userId, "d1", 0)).hasSize(401);
    }
}
