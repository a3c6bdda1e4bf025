package io.tidings.push;

import static io.tidings.push.PushTestClient.apnsToken;
import static io.tidings.push.PushTestClient.privateText;
import static io.tidings.push.PushTestClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.server.ListTokensRequest;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import io.tidings.push.fake.FakeProviders;
import io.tidings.push.kafka.PushEventConsumer;
import io.tidings.push.metrics.PushMetrics;
import io.tidings.support.GrpcErrors;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Kafka consumer lag gauge and the error counter of push-svc, as scraped from /q/metrics. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeProviders.class)
class PushMetersTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRegistry sessions;

    @Inject
    PushEventConsumer consumer;

    @Inject
    PushMetrics metrics;

    @Inject
    PushConfig config;

    PushTestClient client;

    @BeforeEach
    void connect() {
        client = new PushTestClient(base.getPort(), sessions, consumer);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
    }

    @Test
    void consumerLagWhileProviderDown() throws Exception {
        String lag = "tidings_kafka_consumer_lag{group=\"" + config.consumer().groupId() + "\",service=\"push-svc\"}";
        assertThat(scrape()).contains(lag);
        String user = unique("bob");
        String token = apnsToken();
        client.registerToken(user, "iphone", PushProvider.APNS, token, "io.tidings.demo", false);
        double deferredBefore = metrics.count("tidings.push.deferred", "provider", "apns");

        FakeProviders.apns().stopListening();
        try {
            client.produce(privateText(unique("alice"), user, "while apns is down", 1));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> metrics.count("tidings.push.deferred", "provider", "apns") > deferredBefore);

            // The partition is rewound to the deferred event and paused, so at least that event is behind.
            await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(), lag) >= 1);
        } finally {
            FakeProviders.apns().restart();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> value(scrape(), lag) == 0);
    }

    @Test
    void grpcErrorsCountedByCode() throws Exception {
        String invalid = errors("INVALID_ARGUMENT");
        String unauthenticated = errors("UNAUTHENTICATED");
        String before = scrape();

        StatusRuntimeException noSecret = catchThrowableOfType(StatusRuntimeException.class,
                () -> client.adminWithoutSecret().listTokens(ListTokensRequest.newBuilder().setUserId("bob").build()));
        StatusRuntimeException emptyUser = catchThrowableOfType(StatusRuntimeException.class,
                () -> client.admin().listTokens(ListTokensRequest.newBuilder().setUserId("").build()));
        assertThat(noSecret.getTrailers().get(GrpcErrors.ERROR_CODE_KEY)).isEqualTo("UNAUTHENTICATED");
        assertThat(emptyUser.getTrailers().get(GrpcErrors.ERROR_CODE_KEY)).isEqualTo("INVALID_ARGUMENT");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String after = scrape();
            assertThat(value(after, invalid)).isEqualTo(value(before, invalid) + 1);
            assertThat(value(after, unauthenticated)).isEqualTo(value(before, unauthenticated) + 1);
        });
    }

    private static String errors(String code) {
        return "tidings_errors_total{code=\"" + code + "\",service=\"push-svc\",transport=\"grpc\"}";
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + base.getPort() + "/q/metrics")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
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
