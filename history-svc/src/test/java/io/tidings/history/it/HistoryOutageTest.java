package io.tidings.history.it;

import static io.tidings.history.it.HistoryTestKit.message;
import static io.tidings.history.it.HistoryTestKit.peer;
import static io.tidings.history.it.HistoryTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.history.ingest.HistoryIngest;
import io.tidings.protocol.v1.Message;
import io.tidings.testsupport.KafkaResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stops a dedicated HBase while messages flow and checks that history loses none of them. */
@QuarkusTest
@WithTestResource(DedicatedHBase.class)
@WithTestResource(KafkaResource.class)
class HistoryOutageTest {

    private static final int MESSAGES = 500;
    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @TestHTTPResource
    URL app;

    @Inject
    HistoryIngest ingest;

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

    @Test
    void outageLosesNothing() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        long base = System.currentTimeMillis() - 600_000;
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            boolean fromAlice = i % 2 == 0;
            sent.add(message(fromAlice ? alice : bob, peer(fromAlice ? bob : alice), base + i * 10L));
        }

        // About 80 ms per message: the 500 messages span the whole outage.
        CountDownLatch firstFifty = new CountDownLatch(50);
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
            for (Message message : sent) {
                kit.produce(List.of(message));
                firstFifty.countDown();
                sleep(80);
            }
        });
        assertThat(firstFifty.await(60, TimeUnit.SECONDS)).isTrue();

        DedicatedHBase.server().stop();
        long stoppedAt = System.nanoTime();
        await("readiness DOWN after HBase stopped").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> kit.readinessStatus() == 503);
        await("consumer paused while HBase is down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(ingest::isPaused);
        long remaining = OUTAGE.toNanos() - (System.nanoTime() - stoppedAt);
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
        assertThat(kit.readinessStatus()).isEqualTo(503);

        DedicatedHBase.server().start();
        producing.get(120, TimeUnit.SECONDS);
        kit.awaitReadiness(200);
        await("all messages in history").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kit.readAll(alice, peer(bob)).size() >= MESSAGES);

        List<Message> history = kit.readAll(bob, peer(alice));
        List<Message> newestFirst = new ArrayList<>(sent);
        Collections.reverse(newestFirst);
        assertThat(history).hasSize(MESSAGES);
        assertThat(history).isEqualTo(newestFirst);
        assertThat(ingest.isPaused()).isFalse();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
