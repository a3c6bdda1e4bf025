package io.tidings.push.health;

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

/**
 * Readiness goes DOWN within 10 s when push-svc's Redis stops and UP again when it returns, while
 * the shared Kafka stays UP throughout.
 */
@QuarkusTest
@TestProfile(DedicatedRedisProfile.class)
class RedisReadinessTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    /** Returns the data of the "push dependencies" check, which maps each dependency to "UP" or its problem. */
    private static JsonObject dependencies(HttpResponse<String> response) {
        return new JsonObject(response.body()).getJsonArray("checks").stream()
                .map(JsonObject.class::cast)
                .filter(check -> "push dependencies".equals(check.getString("name")))
                .findFirst().orElseThrow(() -> new AssertionError("check \"push dependencies\" missing in " + response.body()))
                .getJsonObject("data");
    }

    @Test
    void readinessFollowsRedis() throws Exception {
        HttpResponse<String> up = Readiness.get(ready);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(dependencies(up).getString("redis")).as(up.body()).isEqualTo("UP");
        assertThat(dependencies(up).getString("kafka")).as(up.body()).isEqualTo("UP");

        DedicatedRedisResource.server().stop();
        HttpResponse<String> down = Readiness.await(ready, 503, Duration.ofSeconds(10));
        assertThat(dependencies(down).getString("redis")).as(down.body()).isNotEqualTo("UP");
        assertThat(dependencies(down).getString("kafka")).as(down.body()).isEqualTo("UP");

        DedicatedRedisResource.server().start();
        HttpResponse<String> back = Readiness.await(ready, 200, Duration.ofSeconds(60));
        assertThat(dependencies(back).getString("redis")).as(back.body()).isEqualTo("UP");
    }
}
