package io.tidings.routing.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidings.routing.support.FakeServices;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.Readiness;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Kafka client of routing-svc starts from all kafka.* properties, so SASL and TLS settings
 * reach the producer, the consumers, the Admin client and the readiness check alike.
 *
 * <p>NOTE: the test broker speaks PLAINTEXT only, so this checks that the settings arrive, not a
 * SASL or TLS handshake.
 */
@QuarkusTest
@TestProfile(KafkaClientSettingsTest.ExtraKafkaSettings.class)
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeServices.class)
class KafkaClientSettingsTest {

    @TestHTTPResource("/")
    URL url;

    @Inject
    KafkaClients clients;

    @Test
    void clientsGetEveryKafkaProperty() {
        assertThat(clients.clientConfig()).containsEntry("client.rack", "rack-test");
        assertThat(clients.clientConfig()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(clients.clientConfig()).containsKey("bootstrap.servers");

        Map<String, Object> producer = clients.producerProperties();
        assertThat(producer).containsEntry("client.rack", "rack-test");
        assertThat(producer).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(producer).containsEntry("bootstrap.servers", clients.clientConfig().get("bootstrap.servers"));
        assertThat(producer).containsEntry("acks", "all");

        Map<String, Object> consumer = clients.consumerProperties("group-test", "test", Map.of());
        assertThat(consumer).containsEntry("client.rack", "rack-test");
        assertThat(consumer).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(consumer).containsEntry("group.id", "group-test");
        assertThat(consumer).containsEntry("enable.auto.commit", false);
    }

    @Test
    void readyWithTheExtraSettings() throws Exception {
        HttpResponse<String> ready = Readiness.await(new URL(url, "/q/health/ready"), 200, Duration.ofSeconds(60));

        assertThat(ready.body()).contains("\"kafka\"");
    }

    public static class ExtraKafkaSettings implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            // A SASL mechanism without a SASL security.protocol changes nothing on the wire.
            return Map.of("kafka.client.rack", "rack-test", "kafka.sasl.mechanism", "SCRAM-SHA-512");
        }
    }
}
