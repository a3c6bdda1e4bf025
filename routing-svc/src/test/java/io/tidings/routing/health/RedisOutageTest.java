package io.tidings.routing.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.Sends;
import io.tidings.routing.support.TestIds;
import io.tidings.testsupport.DedicatedRedisResource;
import io.tidings.testsupport.KafkaResource;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Readiness and sends while a private Redis stops and comes back. */
@QuarkusTest
@WithTestResource(DedicatedRedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class RedisOutageTest {

    @TestHTTPResource("/")
    URL url;

    @Test
    void readinessFollowsRedis() {
        RoutingClients clients = RoutingClients.at(url.getPort());
        String alice = TestIds.unique("alice");
        String bob = TestIds.unique("bob");
        await().atMost(Duration.ofSeconds(60)).until(() -> ready().statusCode() == 200);

        DedicatedRedisResource.server().stop();
        try {
            // Readiness must go DOWN within 10 s of the outage; the wait allows for a slow machine.
            await().atMost(Duration.ofSeconds(15)).until(() -> ready().statusCode() == 503);
            JsonObject health = new JsonObject(ready().body());
            assertThat(health.getJsonArray("checks").stream()
                    .map(check -> (JsonObject) check)
                    .filter(check -> check.getString("name").equals("redis"))
                    .map(check -> check.getString("status")))
                    .containsExactly("DOWN");
            RoutingClients.assertError(() -> clients.routing().send(Sends.command(alice, "phone", Sends.text("r1", Sends.privateWith(bob)))),
                    ErrorCode.UNAVAILABLE, "Redis");
        } finally {
            DedicatedRedisResource.server().start();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> ready().statusCode() == 200);
        assertThat(clients.routing().send(Sends.command(alice, "phone", Sends.text("r1", Sends.privateWith(bob)))).getMessageId())
                .isNotEmpty();
    }

    private HttpResponse<String> ready() {
        try {
            return HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.getPort() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET /q/health/ready failed", e);
        }
    }
}
