package io.tidings.routing.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.server.GetMembersRequest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.fanout.FanOutConsumer;
import io.tidings.routing.support.FakeOffline;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.Sends;
import io.tidings.routing.support.TestIds;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Kafka consumer lag gauge and the error counter of routing-svc, as scraped from /q/metrics. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class RoutingMetersTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL url;

    @Inject
    FanOutConsumer consumer;

    @Inject
    RoutingConfig config;

    @Test
    void consumerLagWhileFanOutFails() {
        await().atMost(WAIT).until(consumer::positioned);
        String lag = "tidings_kafka_consumer_lag{group=\"" + config.fanout().consumerGroup() + "\",service=\"routing-svc\"}";
        assertThat(scrape()).contains(lag);
        FakeOffline offline = FakeServices.offline();
        String alice = TestIds.unique("alice");
        String bob = TestIds.unique("bob");
        int failedBefore = offline.failedCalls();

        offline.failAppendsFor(bob);
        SendAck ack;
        try {
            ack = RoutingClients.at(url.getPort()).routing()
                    .send(Sends.command(alice, "phone", Sends.text("lagging", Sends.privateWith(bob))));
            await().atMost(WAIT).until(() -> offline.failedCalls() >= failedBefore + 2);

            // The partition is rewound to the failed record and paused, so at least that record is behind.
            await().atMost(WAIT).until(() -> value(scrape(), lag) >= 1);
        } finally {
            offline.stopFailing();
        }

        String messageId = ack.getMessageId();
        await().atMost(WAIT).until(() -> offline.appendsOf(messageId).size() == 2);
        await().atMost(WAIT).until(() -> value(scrape(), lag) == 0);
    }

    @Test
    void grpcErrorsCountedByCode() {
        RoutingClients clients = RoutingClients.at(url.getPort());
        String notFound = errors("GROUP_NOT_FOUND");
        String unauthenticated = errors("UNAUTHENTICATED");
        String invalid = errors("INVALID_ARGUMENT");
        String before = scrape();

        GetMembersRequest missingGroup = GetMembersRequest.newBuilder().setGroupId(TestIds.unique("missing")).build();
        RoutingClients.assertError(() -> clients.groups().getMembers(missingGroup), ErrorCode.GROUP_NOT_FOUND);
        RoutingClients.assertError(() -> clients.groupsWithoutSecret().getMembers(missingGroup), ErrorCode.UNAUTHENTICATED);
        RoutingClients.assertError(() -> clients.routing().send(Sends.command(TestIds.unique("alice"), "phone",
                Sends.text("", Sends.privateWith(TestIds.unique("bob"))))), ErrorCode.INVALID_ARGUMENT);

        await().atMost(WAIT).untilAsserted(() -> {
            String after = scrape();
            assertThat(value(after, notFound)).isEqualTo(value(before, notFound) + 1);
            assertThat(value(after, unauthenticated)).isEqualTo(value(before, unauthenticated) + 1);
            assertThat(value(after, invalid)).isEqualTo(value(before, invalid) + 1);
        });
    }

    private static String errors(String code) {
        return "tidings_errors_total{code=\"" + code + "\",service=\"routing-svc\",transport=\"grpc\"}";
    }

    private String scrape() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + url.getPort() + "/q/metrics")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException("GET /q/metrics failed", e);
        }
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
