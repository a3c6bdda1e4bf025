package io.tidings.offline;

import static io.tidings.offline.InboxFixtures.append;
import static io.tidings.offline.InboxFixtures.appendAll;
import static io.tidings.offline.InboxFixtures.await;
import static io.tidings.offline.InboxFixtures.groupAppends;
import static io.tidings.offline.InboxFixtures.privateWith;
import static io.tidings.offline.InboxFixtures.syncAll;
import static io.tidings.offline.InboxFixtures.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.offline.InboxFixtures.Inbox;
import io.tidings.offline.inbox.InboxKeys;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.testsupport.RedisResource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retention of 1 day, with clocks set ahead of the real one: entries written at the real time
 * are past retention for a clock 25 hours ahead.
 */
@QuarkusTest
@WithTestResource(RedisResource.class)
class RetentionTest {

    private static final InboxSettings ONE_DAY = InboxSettings.of(1, 1000, Duration.ofSeconds(30));

    @Inject
    Redis redis;

    private static Clock aheadBy(Duration offset) {
        return Clock.fixed(Instant.now().plus(offset), ZoneOffset.UTC);
    }

    private long count(Command command, String key) {
        return await(redis.send(Request.cmd(command).arg(key))).toLong();
    }

    @Test
    void appendTrimsOnlyExpiredEntries() {
        String userId = uniqueId("u");
        Inbox today = Inbox.create(redis, ONE_DAY, Clock.systemUTC());
        Inbox in12Hours = Inbox.create(redis, ONE_DAY, aheadBy(Duration.ofHours(12)));
        Inbox in25Hours = Inbox.create(redis, ONE_DAY, aheadBy(Duration.ofHours(25)));

        appendAll(today.appender(), groupAppends(userId, "g", "old", 5), 5);
        await(today.appender().append(List.of(append(userId, "old-private", privateWith("friend"), "friend"))));
        List<AppendResult> kept = appendAll(in12Hours.appender(), groupAppends(userId, "g", "mid", 3), 3);
        List<AppendResult> fresh = appendAll(in25Hours.appender(), groupAppends(userId, "g", "new", 2), 2);

        assertThat(in25Hours.metrics().trimmed().count()).as("trimmed by retention").isEqualTo(6.0);
        List<InboxEntry> entries = syncAll(in25Hours.sync(), userId, "d1", 0);
        assertThat(entries).extracting(e -> e.getMessage().getMessageId())
                .containsExactly("mid-0", "mid-1", "mid-2", "new-0", "new-1");
        assertThat(entries.get(0).getSyncTime()).isEqualTo(kept.get(0).getSyncTime());
        assertThat(fresh.get(0).getPrevSyncTime()).isEqualTo(kept.get(2).getSyncTime());

        InboxKeys keys = InboxKeys.of(userId);
        assertThat(count(Command.ZCARD, keys.inbox())).as("entries left in the inbox zset").isEqualTo(5L);
        assertThat(count(Command.HLEN, keys.entries())).as("entries left in the entries hash").isEqualTo(5L);
    }

    @Test
    void syncHidesExpiredEntriesBeforeTrim() {
        String userId = uniqueId("u");
        Inbox today = Inbox.create(redis, ONE_DAY, Clock.systemUTC());
        Inbox in25Hours = Inbox.create(redis, ONE_DAY, aheadBy(Duration.ofHours(25)));
        List<AppendResult> old = appendAll(today.appender(), groupAppends(userId, "g", "old", 4), 4);

        assertThat(syncAll(in25Hours.sync(), userId, "d1", 0)).as("nothing retained 25 hours later").isEmpty();
        assertThat(syncAll(in25Hours.sync(), userId, "d1", old.get(1).getSyncTime())).isEmpty();
        assertThat(syncAll(today.sync(), userId, "d1", 0)).as("still there for the real clock").hasSize(4);
    }

    @Test
    void userKeysGetTtlBeyondRetention() {
        String userId = uniqueId("u");
        Inbox today = Inbox.create(redis, ONE_DAY, Clock.systemUTC());
        appendAll(today.appender(), groupAppends(userId, "g", "m", 1), 1);
        await(today.sync().ack(userId, "d1", 1));

        InboxKeys keys = InboxKeys.of(userId);
        long expected = ONE_DAY.keyTtl().toMillis();
        for (String key : List.of(keys.inbox(), keys.entries(), keys.lastSync(), keys.conversation("g:g"),
                keys.unread(), keys.unreadTotal(), keys.cursors())) {
            long ttl = count(Command.PTTL, key);
            assertThat(ttl).as("PTTL of %s", key).isPositive().isLessThanOrEqualTo(expected);
        }
    }
}
