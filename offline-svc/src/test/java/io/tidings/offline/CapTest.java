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
import io.tidings.offline.inbox.InboxAppender;
import io.tidings.offline.inbox.InboxKeys;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.offline.sync.InboxSync;
import io.tidings.protocol.internal.AppendResult;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.testsupport.RedisResource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
class CapTest {

    @Inject
    InboxAppender appender;

    @Inject
    InboxSync sync;

    @Inject
    Redis redis;

    @Test
    void busyGroupKeepsPrivateEntries() {
        String userId = uniqueId("u");
        List<InboxAppend> appends = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            appends.add(groupAppends(userId, "busy", "g-" + i, 1).get(0));
            if (i % 250 == 0) {
                int n = i / 250;
                appends.add(append(userId, "p-" + n, privateWith("friend"), "friend"));
            }
        }
        assertThat(appends).hasSize(5020);
        appendAll(appender, appends, 500);

        List<InboxEntry> entries = syncAll(sync, userId, "d1", 0);
        List<InboxEntry> group = entries.stream()
                .filter(e -> e.getConversation().getType() == ConversationType.GROUP).toList();
        List<InboxEntry> privates = entries.stream()
                .filter(e -> e.getConversation().getType() == ConversationType.PRIVATE).toList();

        assertThat(group).as("the group keeps the cap").hasSize(1000);
        assertThat(group.get(0).getMessage().getMessageId()).as("oldest kept group entry").isEqualTo("g-4000-0");
        assertThat(group.get(999).getMessage().getMessageId()).isEqualTo("g-4999-0");
        assertThat(privates).as("every private entry survives the busy group").hasSize(20);
        assertThat(privates).extracting(e -> e.getMessage().getMessageId()).first().isEqualTo("p-0");

        InboxKeys keys = InboxKeys.of(userId);
        assertThat(await(redis.send(Request.cmd(Command.ZCARD).arg(keys.inbox()))).toLong()).isEqualTo(1020L);
        assertThat(await(redis.send(Request.cmd(Command.HLEN).arg(keys.entries()))).toLong())
                .as("evicted entries are deleted, not only hidden").isEqualTo(1020L);
    }

    @Test
    void evictionIsCountedAndRetryStaysDuplicate() {
        Inbox inbox = Inbox.create(redis, InboxSettings.of(7, 3, Duration.ofSeconds(30)), Clock.systemUTC());
        String userId = uniqueId("u");
        List<InboxAppend> appends = groupAppends(userId, "g", "m", 5);
        List<AppendResult> first = appendAll(inbox.appender(), appends, 5);

        assertThat(inbox.metrics().evicted().count()).isEqualTo(2.0);
        assertThat(syncAll(inbox.sync(), userId, "d1", 0)).extracting(e -> e.getMessage().getMessageId())
                .containsExactly("m-2", "m-3", "m-4");

        AppendResult retried = await(inbox.appender().append(List.of(appends.get(0)))).get(0);

        assertThat(retried.getDuplicate()).as("retry of an evicted entry").isTrue();
        assertThat(retried.getSyncTime()).isEqualTo(first.get(0).getSyncTime());
        assertThat(syncAll(inbox.sync(), userId, "d1", 0)).as("the retry is not stored again").hasSize(3);
    }
}
