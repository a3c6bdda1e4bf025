package io.tidings.connector.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.testsupport.DedicatedRedisResource;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Readiness goes DOWN within 10 s when the connector's Redis stops and UP again when it returns. */
@QuarkusTest
@TestProfile(DedicatedRedisProfile.class)
class RedisReadinessTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> readiness() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(ready.toString())).timeout(Duration.ofSeconds(8)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Returns the status of the check named "redis" in a /q/health/ready body. */
    private static String redisStatus(HttpResponse<String> response) {
        return new JsonObject(response.body()).getJsonArray("checks").stream()
                .map(JsonObject.class::cast)
                .filter(check -> "redis".equals(check.getString("name")))
                .findFirst().orElseThrow(() -> new AssertionError("check \"redis\" missing in " + response.body()))
                .getString("status");
    }

    @Test
    void readinessFollowsRedis() throws Exception {
        HttpResponse<String> up = readiness();
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(redisStatus(up)).as(up.body()).isEqualTo("UP");

        DedicatedRedisResource.server().stop();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> readiness().statusCode() == 503);
        HttpResponse<String> down = readiness();
        assertThat(redisStatus(down)).as(down.body()).isEqualTo("DOWN");

        DedicatedRedisResource.server().start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> readiness().statusCode() == 200);
        HttpResponse<String> back = readiness();
        assertThat(redisStatus(back)).as(back.body()).isEqualTo("UP");
    }
}
