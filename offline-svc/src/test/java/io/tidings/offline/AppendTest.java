package io.tidings.offline;

import static io.tidings.offline.InboxFixtures.append;
import static io.tidings.offline.InboxFixtures.appendAll;
import static io.tidings.offline.InboxFixtures.await;
import static io.tidings.offline.InboxFixtures.group;
import static io.tidings.offline.InboxFixtures.groupAppends;
import static io.tidings.offline.InboxFixtures.privateWith;
import static io.tidings.offline.InboxFixtures.syncAll;
import static io.tidings.offline.InboxFixtures.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.offline.inbox.InboxAppender;
import io.tidings.offline.inbox.InboxKeys;
import io.tidings.offline.sync.InboxSync;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.testsupport.RedisResource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
class AppendTest {

    @Inject
    InboxAppender appender;

    @Inject
    InboxSync sync;

    @Inject
    Redis redis;

    @Test
    void concurrentAppendsGetUniqueIncreasingSyncTimes() throws Exception {
        String userId = uniqueId("u");
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String thread = "t" + t;
            futures.add(pool.submit(() -> {
                List<Long> syncTimes = new ArrayList<>(perThread);
                for (int i = 0; i < perThread; i++) {
                    InboxAppend one = append(userId, thread + "-" + i, group("g-" + thread), "sender-" + thread);
                    syncTimes.add(await(appender.append(List.of(one))).get(0).getSyncTime());
                }
                return syncTimes;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            List<Long> ofThread = future.get(5, TimeUnit.MINUTES);
            for (int i = 1; i < ofThread.size(); i++) {
                assertThat(ofThread.get(i)).as("sync time %d of one thread", i).isGreaterThan(ofThread.get(i - 1));
            }
            all.addAll(ofThread);
        }
        pool.shutdown();

        assertThat(all).hasSize(threads * perThread);
        assertThat(new HashSet<>(all)).as("distinct sync times").hasSize(threads * perThread);

        List<InboxEntry> synced = syncAll(sync, userId, "d1", 0);
        List<Long> syncedTimes = synced.stream().map(InboxEntry::getSyncTime).toList();
        List<Long> sorted = new ArrayList<>(all);
        Collections.sort(sorted);
        assertThat(syncedTimes).as("Sync returns every entry in sync time order").isEqualTo(sorted);
    }

    @Test
    void batchForOneUserKeepsRequestOrder() {
        String userId = uniqueId("u");
        List<AppendResult> results = await(appender.append(groupAppends(userId, "g1", "m", 50)));

        assertThat(results).hasSize(50);
        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).getMessageId()).isEqualTo("m-" + i);
            assertThat(results.get(i).getUserId()).isEqualTo(userId);
            assertThat(results.get(i).getDuplicate()).isFalse();
            if (i > 0) {
                assertThat(results.get(i).getSyncTime()).isGreaterThan(results.get(i - 1).getSyncTime());
                assertThat(results.get(i).getPrevSyncTime()).as("prev_sync_time of %d", i)
                        .isEqualTo(results.get(i - 1).getSyncTime());
            }
        }
        assertThat(results.get(0).getPrevSyncTime()).as("prev_sync_time of the first entry").isZero();
    }

    @Test
    void manyUserBatchKeepsRequestOrder() {
        List<String> users = List.of(uniqueId("a"), uniqueId("b"), uniqueId("c"));
        List<InboxAppend> appends = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String user : users) {
                appends.add(append(user, "m-" + round, group("g"), "s"));
            }
        }
        List<AppendResult> results = await(appender.append(appends));

        assertThat(results).extracting(AppendResult::getUserId)
                .isEqualTo(appends.stream().map(InboxAppend::getUserId).toList());
        for (String user : users) {
            List<AppendResult> ofUser = results.stream().filter(r -> r.getUserId().equals(user)).toList();
            assertThat(ofUser).extracting(AppendResult::getMessageId).containsExactly("m-0", "m-1", "m-2");
            assertThat(ofUser.get(1).getPrevSyncTime()).isEqualTo(ofUser.get(0).getSyncTime());
            assertThat(ofUser.get(2).getPrevSyncTime()).isEqualTo(ofUser.get(1).getSyncTime());
            assertThat(syncAll(sync, user, "d1", 0)).hasSize(3);
        }
    }

    @Test
    void repeatedAppendIsDuplicateWithFirstSyncTime() {
        String userId = uniqueId("u");
        InboxAppend first = append(userId, "m-1", privateWith("peer"), "peer");
        AppendResult original = await(appender.append(List.of(first))).get(0);
        AppendResult later = await(appender.append(List.of(append(userId, "m-2", privateWith("peer"), "peer")))).get(0);

        AppendResult repeated = await(appender.append(List.of(first))).get(0);

        assertThat(original.getDuplicate()).isFalse();
        assertThat(repeated.getDuplicate()).isTrue();
        assertThat(repeated.getSyncTime()).isEqualTo(original.getSyncTime());
        assertThat(repeated.getPrevSyncTime()).isEqualTo(original.getPrevSyncTime());
        assertThat(repeated.getUnreadTotal()).as("unread unchanged by the duplicate").isEqualTo(later.getUnreadTotal());

        List<InboxEntry> entries = syncAll(sync, userId, "d1", 0);
        assertThat(entries).extracting(e -> e.getMessage().getMessageId()).containsExactly("m-1", "m-2");
        assertThat(entries.get(0).getSyncTime()).isEqualTo(original.getSyncTime());
    }

    @Test
    void duplicateWithinOneBatchIsStoredOnce() {
        String userId = uniqueId("u");
        InboxAppend same = append(userId, "m-1", group("g"), "s");
        List<AppendResult> results = await(appender.append(List.of(same, same)));

        assertThat(results.get(0).getDuplicate()).isFalse();
        assertThat(results.get(1).getDuplicate()).isTrue();
        assertThat(results.get(1).getSyncTime()).isEqualTo(results.get(0).getSyncTime());
        assertThat(syncAll(sync, userId, "d1", 0)).hasSize(1);
    }

    @Test
    void lostLastSyncKeyKeepsIncreasing() {
        String userId = uniqueId("u");
        List<AppendResult> before = appendAll(appender, groupAppends(userId, "g", "before", 300), 300);
        long highest = before.get(before.size() - 1).getSyncTime();

        await(redis.send(Request.cmd(Command.DEL).arg(InboxKeys.of(userId).lastSync())));
        List<AppendResult> after = appendAll(appender, groupAppends(userId, "g", "after", 10), 10);

        assertThat(after.get(0).getSyncTime()).isGreaterThan(highest);
        assertThat(after.get(0).getPrevSyncTime()).isEqualTo(highest);
    }

    @Test
    void burstGetsDistinctSyncTimes() {
        String userId = uniqueId("u");
        long startMillis = System.currentTimeMillis();
        List<AppendResult> results = appendAll(appender, groupAppends(userId, "g", "m", 2000), 1000);

        Set<Long> distinct = new HashSet<>();
        results.forEach(r -> distinct.add(r.getSyncTime()));
        assertThat(distinct).hasSize(2000);
        assertThat(results.get(0).getSyncTime()).isGreaterThanOrEqualTo(startMillis);
        assertThat(results.get(1999).getSyncTime() - results.get(0).getSyncTime())
                .as("1,000 appends of one round trip share a few milliseconds, so their sync times are bumped")
                .isGreaterThanOrEqualTo(1999);
    }
}
