package io.tidings.offline;

import static io.tidings.offline.InboxFixtures.await;
import static io.tidings.offline.InboxFixtures.appendAll;
import static io.tidings.offline.InboxFixtures.groupAppends;
import static io.tidings.offline.InboxFixtures.syncAll;
import static io.tidings.offline.InboxFixtures.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.offline.InboxFixtures.Inbox;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.testsupport.DedicatedServer;
import io.tidings.testsupport.RealServers;
import io.tidings.testsupport.RedisResource;
import io.tidings.testsupport.Server;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sync times across a restart of a dedicated Redis (AOF everysec, as scripts/infra.sh configures
 * it), with a stopped clock, so only what Redis persisted can keep them increasing.
 */
@QuarkusTest
@WithTestResource(RedisResource.class)
class SyncTimeRestartTest {

    @Inject
    Vertx vertx;

    private DedicatedServer server;
    private Redis redis;

    @BeforeEach
    void startDedicatedRedis() {
        server = RealServers.dedicated(Server.REDIS);
        redis = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString("redis://127.0.0.1:" + server.port())
                .setMaxPoolWaiting(1024));
    }

    @AfterEach
    void stopDedicatedRedis() {
        redis.close();
        server.close();
    }

    /** Waits until the client reaches Redis again, because pooled connections died with the old process. */
    private void awaitRedisAnswers() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "PONG".equals(redis.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(2)).toString()));
    }

    @Test
    void syncTimesIncreaseAcrossRestart() {
        Clock stopped = Clock.fixed(Instant.now().plus(Duration.ofDays(1)), ZoneOffset.UTC);
        Inbox inbox = Inbox.create(redis, InboxSettings.of(7, 5000, Duration.ofSeconds(30)), stopped);
        String userId = uniqueId("u");

        List<AppendResult> before = appendAll(inbox.appender(), groupAppends(userId, "g", "before", 2000), 500);
        long highestBefore = before.get(before.size() - 1).getSyncTime();
        assertThat(highestBefore - before.get(0).getSyncTime())
                .as("with a stopped clock every append is bumped by 1 ms").isEqualTo(1999);

        server.stop();
        server.start();
        awaitRedisAnswers();

        // The restart also emptied Redis's script cache, so these appends go through the EVAL fallback.
        List<AppendResult> after = appendAll(inbox.appender(), groupAppends(userId, "g", "after", 100), 50);

        assertThat(after.get(0).getSyncTime()).as("first sync time after the restart").isGreaterThan(highestBefore);
        assertThat(after.get(0).getPrevSyncTime()).isEqualTo(highestBefore);
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i).getSyncTime()).isGreaterThan(after.get(i - 1).getSyncTime());
        }

        List<InboxEntry> entries = syncAll(inbox.sync(), userId, "d1", 0);
        assertThat(entries).as("entries kept across the restart").hasSize(2100);
        assertThat(new HashSet<>(entries.stream().map(InboxEntry::getSyncTime).toList())).hasSize(2100);
    }

    @Test
    void duplicateAfterRestartKeepsFirstSyncTime() {
        Inbox inbox = Inbox.create(redis, InboxSettings.of(7, 1000, Duration.ofSeconds(30)), Clock.systemUTC());
        String userId = uniqueId("u");
        var appends = groupAppends(userId, "g", "m", 3);
        List<AppendResult> first = appendAll(inbox.appender(), appends, 3);

        server.stop();
        server.start();
        awaitRedisAnswers();
        List<AppendResult> retried = appendAll(inbox.appender(), appends, 3);

        for (int i = 0; i < 3; i++) {
            assertThat(retried.get(i).getDuplicate()).as("retry %d after the restart", i).isTrue();
            assertThat(retried.get(i).getSyncTime()).isEqualTo(first.get(i).getSyncTime());
        }
        assertThat(await(redis.send(Request.cmd(Command.PING))).toString()).isEqualTo("PONG");
    }
}
