package io.tidings.push.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tidings.push.provider.AccessTokenCache.AccessToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AccessTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-05T04:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicInteger fetches = new AtomicInteger();
    private final AccessTokenCache cache = new AccessTokenCache(
            () -> Uni.createFrom().item(() -> new AccessToken("token-" + fetches.incrementAndGet(), NOW.plusSeconds(3600))),
            Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void tokenIsFetchedOnceForManyCalls() {
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get().await().atMost(WAIT)).isEqualTo("token-1");
        }

        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void rejectedTokenIsReplacedOnce() {
        List<String> usedTokens = new CopyOnWriteArrayList<>();

        String result = cache.call(token -> {
            usedTokens.add(token);
            return Uni.createFrom().item(token.equals("token-1") ? "401" : "200");
        }, response -> response.equals("401")).await().atMost(WAIT);

        assertThat(result).isEqualTo("200");
        assertThat(usedTokens).containsExactly("token-1", "token-2");
        assertThat(cache.get().await().atMost(WAIT)).isEqualTo("token-2");
    }

    @Test
    void secondRejectionIsReturnedWithoutAThirdCall() {
        List<String> usedTokens = new CopyOnWriteArrayList<>();

        String result = cache.call(token -> {
            usedTokens.add(token);
            return Uni.createFrom().item("401");
        }, response -> response.equals("401")).await().atMost(WAIT);

        assertThat(result).isEqualTo("401");
        assertThat(usedTokens).containsExactly("token-1", "token-2");
    }

    @Test
    void tokenNearItsExpiryIsFetchedAgain() {
        AtomicInteger count = new AtomicInteger();
        AccessTokenCache expiring = new AccessTokenCache(
                () -> Uni.createFrom().item(() -> new AccessToken("short-" + count.incrementAndGet(), NOW.plusSeconds(60))),
                Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(expiring.get().await().atMost(WAIT)).isEqualTo("short-1");
        assertThat(expiring.get().await().atMost(WAIT)).isEqualTo("short-2");
    }
}
