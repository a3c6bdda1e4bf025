package io.tidings.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.testsupport.DedicatedRedisResource;
import io.tidings.testsupport.Readiness;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(DedicatedRedisProfile.class)
class RedisReadinessTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @Test
    void readinessFollowsRedis() throws Exception {
        HttpResponse<String> up = Readiness.get(ready);
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).contains("\"redis\"").contains("UP");

        DedicatedRedisResource.server().stop();
        HttpResponse<String> down = Readiness.await(ready, 503, Duration.ofSeconds(10));
        assertThat(down.body()).contains("\"redis\"").contains("DOWN");

        DedicatedRedisResource.server().start();
        Readiness.await(ready, 200, Duration.ofSeconds(30));
    }
}
