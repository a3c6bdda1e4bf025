package io.tidings.connector.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.testsupport.DedicatedRedisResource;
import io.tidings.testsupport.Readiness;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Readiness goes DOWN within 10 s when the connector's Redis stops and UP again when it returns. */
@QuarkusTest
@TestProfile(DedicatedRedisProfile.class)
class RedisReadinessTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

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
        HttpResponse<String> up = Readiness.get(ready);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(redisStatus(up)).as(up.body()).isEqualTo("UP");

        DedicatedRedisResource.server().stop();
        HttpResponse<String> down = Readiness.await(ready, 503, Duration.ofSeconds(10));
        assertThat(redisStatus(down)).as(down.body()).isEqualTo("DOWN");

        DedicatedRedisResource.server().start();
        HttpResponse<String> back = Readiness.await(ready, 200, Duration.ofSeconds(60));
        assertThat(redisStatus(back)).as(back.body()).isEqualTo("UP");
    }
}
