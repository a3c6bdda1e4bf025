package io.tidings.routing.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.fanout.FanOutConsumer;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.Sends;
import io.tidings.routing.support.TestIds;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class HealthAndMetricsTest {

    @TestHTTPResource("/")
    URL url;

    @Inject
    FanOutConsumer consumer;

    @Test
    void readyWithAllDependencies() {
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/q/health/ready").statusCode() == 200);
        JsonObject health = new JsonObject(get("/q/health/ready").body());
        assertThat(health.getString("status")).isEqualTo("UP");
        assertThat(health.getJsonArray("checks").stream().map(check -> ((JsonObject) check).getString("name")))
                .contains("redis", "kafka", "groups-view");
    }

    @Test
    void metricsCountSendsAndFanOut() {
        await().atMost(Duration.ofSeconds(30)).until(consumer::positioned);
        RoutingClients clients = RoutingClients.at(url.getPort());
        String alice = TestIds.unique("alice");
        String bob = TestIds.unique("bob");
        clients.routing().send(Sends.command(alice, "phone", Sends.text("metric-1", Sends.privateWith(bob))));
        RoutingClients.assertError(() -> clients.routing().send(Sends.command(alice, "phone", Sends.text("", Sends.privateWith(bob)))),
                ErrorCode.INVALID_ARGUMENT);

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/q/metrics").body().contains("tidings_routing_push_events_total"));
        String metrics = get("/q/metrics").body();
        assertThat(metrics).contains("tidings_routing_messages_accepted_total{conversation_type=\"PRIVATE\"");
        assertThat(metrics).contains("tidings_routing_messages_rejected_total{code=\"INVALID_ARGUMENT\"");
        assertThat(metrics).contains("tidings_routing_send_seconds_count{outcome=\"ok\"");
        assertThat(metrics).contains("tidings_routing_fanout_recipients_count");
        assertThat(metrics).contains("tidings_routing_inbox_append_seconds_count");
        assertThat(metrics).contains("tidings_routing_deliveries_total{outcome=\"offline\"");
    }

    private HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.getPort() + path)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path + " failed", e);
        }
    }
}
