package io.tidings.push;

import static io.tidings.push.PushTestClient.apnsToken;
import static io.tidings.push.PushTestClient.privateText;
import static io.tidings.push.PushTestClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.fake.FakeProviders;
import io.tidings.push.kafka.PushEventConsumer;
import io.tidings.push.metrics.PushMetrics;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider outages: events wait in Kafka while the circuit breaker is open and none is lost. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeProviders.class)
class PushResilienceTest {

    private static final String BUNDLE = "io.tidings.demo";

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRegistry sessions;

    @Inject
    PushEventConsumer consumer;

    @Inject
    PushMetrics metrics;

    PushTestClient client;

    @BeforeEach
    void connect() {
        client = new PushTestClient(base.getPort(), sessions, consumer);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
        FakeProviders.all().forEach(fake -> assertThat(fake.violations()).as("violations at " + fake).isEmpty());
    }

    @Test
    void apnsDownForSixtySecondsLosesNothing() {
        List<String> tokens = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String user = unique("bob");
            String token = apnsToken();
            client.registerToken(user, "iphone", PushProvider.APNS, token, BUNDLE, false);
            users.add(user);
            tokens.add(token);
        }
        String androidUser = unique("dora");
        String fcmToken = unique("fcm-token");
        client.registerToken(androidUser, "pixel", PushProvider.FCM, fcmToken, "io.tidings.demo.android", false);
        double deferredBefore = metrics.count("tidings.push.deferred", "provider", "apns");
        FakeProviders.apns().outageFor(Duration.ofSeconds(60));

        for (String user : users) {
            client.produce(privateText(unique("alice"), user, "during the outage", 1));
        }
        client.produce(privateText(unique("alice"), androidUser, "fcm is up", 1));

        // Another provider is not held up by the APNs outage.
        await().atMost(Duration.ofSeconds(30)).until(() -> FakeProviders.fcm().deliveredTo(fcmToken).size() == 1);
        await().atMost(Duration.ofSeconds(150)).until(
                () -> tokens.stream().allMatch(t -> FakeProviders.apns().deliveredTo(t).size() == 1));
        for (String token : tokens) {
            assertThat(FakeProviders.apns().deliveredTo(token)).as("deliveries to " + token).hasSize(1);
            assertThat(FakeProviders.apns().deliveredTo(token).get(0).receivedAt())
                    .isAfterOrEqualTo(FakeProviders.apns().outageEnd());
        }
        assertThat(FakeProviders.apns().requests(r -> r.responseStatus() == 503)).isNotEmpty();
        assertThat(metrics.count("tidings.push.deferred", "provider", "apns")).isGreaterThan(deferredBefore);
    }

    @Test
    void refusedConnectionsDelayButLoseNothing() throws Exception {
        List<String> tokens = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String user = unique("bob");
            String token = apnsToken();
            client.registerToken(user, "iphone", PushProvider.APNS, token, BUNDLE, false);
            users.add(user);
            tokens.add(token);
        }
        double deferredBefore = metrics.count("tidings.push.deferred", "provider", "apns");
        FakeProviders.apns().stopListening();
        try {
            for (String user : users) {
                client.produce(privateText(unique("alice"), user, "while refused", 1));
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> metrics.count("tidings.push.deferred", "provider", "apns") > deferredBefore);
        } finally {
            FakeProviders.apns().restart();
        }

        await().atMost(Duration.ofSeconds(90)).until(
                () -> tokens.stream().allMatch(t -> FakeProviders.apns().deliveredTo(t).size() == 1));
        for (String token : tokens) {
            assertThat(FakeProviders.apns().deliveredTo(token)).as("deliveries to " + token).hasSize(1);
        }
    }
}
