package io.tidings.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tidings.testsupport.DedicatedRedisResource;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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

    @Test
    void readinessFollowsRedis() throws Exception {
        HttpResponse<String> up = readiness();
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        assertThat(up.body()).contains("\"redis\"").contains("UP");

        DedicatedRedisResource.server().stop();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> readiness().statusCode() == 503);
        HttpResponse<String> down = readiness();
        assertThat(down.body()).contains("\"redis\"").contains("DOWN");

        DedicatedRedisResource.server().start();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> readiness().statusCode() == 200);
    }
}
