package io.tidings.history.it;

import static io.tidings.history.it.HistoryTestKit.message;
import static io.tidings.history.it.HistoryTestKit.peer;
import static io.tidings.history.it.HistoryTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.history.config.HistoryConfig;
import io.tidings.protocol.server.AdminHistoryRequest;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.Message;
import io.tidings.testsupport.HBaseResource;
import io.tidings.testsupport.KafkaResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka consumer lag gauge and the error counter of history-svc, as scraped from /q/metrics. */
@QuarkusTest
@WithTestResource(HBaseResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeRouting.class)
class HistoryMetersTest {

    /** Several polls of max-batch-rows (500) each, so the backlog lasts several HBase flushes. */
    private static final int BACKLOG = 4_000;

    @TestHTTPResource
    URL app;

    @Inject
    HistoryConfig config;

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
    void consumerLagFollowsBacklog() throws Exception {
        String lag = "tidings_kafka_consumer_lag{group=\"" + config.ingest().consumerGroup() + "\",service=\"history-svc\"}";
        assertThat(kit.get("/q/metrics")).contains(lag);
        String alice = unique("alice");
        String bob = unique("bob");
        long base = System.currentTimeMillis() - 3_600_000;
        List<Message> backlog = new ArrayList<>(BACKLOG);
        for (int i = 0; i < BACKLOG; i++) {
            backlog.add(message(alice, peer(bob), base + i));
        }

        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> kit.produce(backlog));
        double peak = await("lag while the backlog is consumed").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> value(kit.get("/q/metrics"), lag), records -> records >= 1);
        producing.get(120, TimeUnit.SECONDS);

        assertThat(peak).isGreaterThanOrEqualTo(1);
        await("lag back to 0 once the backlog is stored").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> value(kit.get("/q/metrics"), lag) == 0);
        await("last message of the backlog stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> kit.query(bob, peer(alice), 0, 1).getMessages(0).getMessageId()
                        .equals(backlog.get(BACKLOG - 1).getMessageId()));
    }

    @Test
    void grpcErrorsCountedByCode() {
        String invalid = errors("INVALID_ARGUMENT");
        String unauthenticated = errors("UNAUTHENTICATED");
        String before = kit.get("/q/metrics");

        StatusRuntimeException tooMany = catchThrowableOfType(StatusRuntimeException.class,
                () -> kit.query(unique("alice"), peer(unique("bob")), 0, 101));
        StatusRuntimeException noSecret = catchThrowableOfType(StatusRuntimeException.class, () -> kit.admin(null)
                .queryConversation(AdminHistoryRequest.newBuilder()
                        .setRequest(HistoryRequest.newBuilder().setConversation(peer(unique("bob")))).build()));
        assertThat(HistoryTestKit.errorCode(tooMany)).isEqualTo("INVALID_ARGUMENT");
        assertThat(HistoryTestKit.errorCode(noSecret)).isEqualTo("UNAUTHENTICATED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String after = kit.get("/q/metrics");
            assertThat(value(after, invalid)).isEqualTo(value(before, invalid) + 1);
            assertThat(value(after, unauthenticated)).isEqualTo(value(before, unauthenticated) + 1);
        });
    }

    private static String errors(String code) {
        return "tidings_errors_total{code=\"" + code + "\",service=\"history-svc\",transport=\"grpc\"}";
    }

    /** Returns the value of one series, written as name{labels} in Prometheus's order, or 0 when absent. */
    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }
}
