package io.tidings.routing.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.send.DedupStore.Acked;
import io.tidings.routing.send.DedupStore.Claim;
import io.tidings.routing.send.DedupStore.Claimed;
import io.tidings.routing.send.DedupStore.Pending;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.TestIds;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class DedupStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    DedupStore dedup;

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    RoutingConfig config;

    String key;

    @BeforeEach
    void setUp() {
        key = DedupStore.key("u:" + TestIds.unique("user"), "c1");
    }

    @Test
    void firstClaimReservesOfferedId() {
        Claimed claimed = (Claimed) claim("ID-1", 100);

        assertThat(claimed.messageId()).isEqualTo("ID-1");
        assertThat(claimed.serverTime()).isEqualTo(100);
        assertThat(claimed.fresh()).isTrue();
        long ttl = redis.execute("PTTL", key).await().atMost(WAIT).toLong();
        assertThat(ttl).isBetween(config.dedup().ttl().toMillis() - 60_000, config.dedup().ttl().toMillis());
    }

    @Test
    void claimWorksAfterRedisForgotTheScripts() {
        claim("ID-0", 50);
        // As after a Redis restart: EVALSHA gets NOSCRIPT and the runner sends the source once.
        redis.execute("SCRIPT", "FLUSH").await().atMost(WAIT);
        key = DedupStore.key("u:" + TestIds.unique("user"), "c2");

        Claimed claimed = (Claimed) claim("ID-2", 200);

        assertThat(claimed.messageId()).isEqualTo("ID-2");
        assertThat(claimed.fresh()).isTrue();
    }

    @Test
    void claimWhileOwnedIsPending() {
        claim("ID-1", 100);
        assertThat(claim("ID-2", 200)).isInstanceOf(Pending.class);
    }

    @Test
    void releasedClaimIsTakenOverWithSameId() {
        Claimed first = (Claimed) claim("ID-1", 100);
        dedup.release(key, first).await().atMost(WAIT);

        Claimed retry = (Claimed) claim("ID-2", 200);

        assertThat(retry.messageId()).isEqualTo("ID-1");
        assertThat(retry.serverTime()).isEqualTo(100);
        assertThat(retry.fresh()).isFalse();
        assertThat(retry.token()).isNotEqualTo(first.token());
    }

    @Test
    void staleOwnerCannotReleaseTakenOverClaim() {
        Claimed first = (Claimed) claim("ID-1", 100);
        dedup.release(key, first).await().atMost(WAIT);
        claim("ID-2", 200);

        dedup.release(key, first).await().atMost(WAIT);
        dedup.abandon(key, first).await().atMost(WAIT);

        assertThat(claim("ID-3", 300)).isInstanceOf(Pending.class);
    }

    @Test
    void completedClaimReturnsStoredAck() {
        Claimed claimed = (Claimed) claim("ID-1", 100);
        SendAck ack = SendAck.newBuilder().setClientMessageId("c1").setMessageId("ID-1").setServerTime(100).build();
        dedup.complete(key, ack).await().atMost(WAIT);

        Claim again = claim("ID-2", 200);

        assertThat(again).isInstanceOf(Acked.class);
        assertThat(((Acked) again).ack()).isEqualTo(ack);
        assertThat(claimed.fresh()).isTrue();
    }

    @Test
    void abandonedClaimFreesTheKey() {
        Claimed claimed = (Claimed) claim("ID-1", 100);
        dedup.abandon(key, claimed).await().atMost(WAIT);

        Claimed next = (Claimed) claim("ID-2", 200);

        assertThat(next.messageId()).isEqualTo("ID-2");
        assertThat(next.fresh()).isTrue();
    }

    private Claim claim(String messageId, long serverTime) {
        return dedup.claim(key, messageId, serverTime).await().atMost(WAIT);
    }
}
