package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** connector-svc: shutdown timing, advertised address and how devices reach it. */
class ConnectorTest {

    @Test
    void gracePeriodExceedsDrainByDefault() {
        Manifests manifests = TidingsChart.render();

        JsonNode deployment = manifests.deployment("connector");
        int grace = Manifests.podSpec(deployment).path("terminationGracePeriodSeconds").asInt();
        assertThat(manifests.configEnv("connector"))
                .containsEntry("TIDINGS_CONNECTOR_DRAIN_TIMEOUT", "10s")
                .doesNotContainKey("QUARKUS_SHUTDOWN_TIMEOUT");
        // preStop sleep 5 s + drain 10 s + 10 s for Reconnect writes and registry removals
        // + 20 s for closing clients.
        assertThat(grace).isEqualTo(45);
        assertThat(Manifests.texts(Manifests.container(deployment).at("/lifecycle/preStop/exec/command")))
                .containsExactly("sleep", "5");
    }

    @Test
    void gracePeriodFollowsLongerDrain() {
        Manifests manifests = TidingsChart.renderWith("""
                connector:
                  drainTimeoutSeconds: 60
                  preStopSleepSeconds: 0
                """);

        JsonNode deployment = manifests.deployment("connector");
        assertThat(Manifests.podSpec(deployment).path("terminationGracePeriodSeconds").asInt()).isEqualTo(90);
        assertThat(manifests.configEnv("connector")).containsEntry("TIDINGS_CONNECTOR_DRAIN_TIMEOUT", "60s");
        assertThat(Manifests.container(deployment).has("lifecycle")).isFalse();
    }

    @Test
    void gracePeriodWithinDrainIsRejected() {
        assertThatThrownBy(() -> TidingsChart.renderWith("""
                connector:
                  drainTimeoutSeconds: 30
                  terminationGracePeriodSeconds: 45
                """)).hasMessageContaining("connector.terminationGracePeriodSeconds is 45")
                .hasMessageContaining("preStopSleepSeconds + drainTimeoutSeconds + 10 = 45");
    }

    @Test
    void productionGracePeriodExceedsDrain() {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        JsonNode deployment = manifests.deployment("connector");
        int grace = Manifests.podSpec(deployment).path("terminationGracePeriodSeconds").asInt();
        String drain = manifests.configEnv("connector").get("TIDINGS_CONNECTOR_DRAIN_TIMEOUT");
        int drainSeconds = Integer.parseInt(drain.replace("s", ""));
        assertThat(grace).isGreaterThanOrEqualTo(drainSeconds + 20);
    }

    @Test
    void advertisedAddressIsPodIp() {
        Manifests manifests = TidingsChart.render();

        Map<String, JsonNode> env = Manifests.env(Manifests.container(manifests.deployment("connector")));
        assertThat(env.get("POD_IP").at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("status.podIP");
        assertThat(env.get("TIDINGS_CONNECTOR_ADVERTISED_ADDRESS").path("value").asText()).isEqualTo("$(POD_IP):8080");
        assertThat(env.keySet()).containsSubsequence("POD_IP", "TIDINGS_CONNECTOR_ADVERTISED_ADDRESS");
    }

    @Test
    void separateGrpcPortMovesAdvertisedAddress() {
        Manifests manifests = TidingsChart.renderWith("""
                connector:
                  grpcPort: 9000
                  publicService:
                    enabled: true
                """);

        JsonNode container = Manifests.container(manifests.deployment("connector"));
        assertThat(Manifests.env(container).get("TIDINGS_CONNECTOR_ADVERTISED_ADDRESS").path("value").asText())
                .isEqualTo("$(POD_IP):9000");
        assertThat(manifests.configEnv("connector"))
                .containsEntry("QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER", "true")
                .containsEntry("QUARKUS_GRPC_SERVER_PORT", "9000");
        assertThat(manifests.configEnv("routing")).containsEntry("QUARKUS_GRPC_CLIENTS_CONNECTOR_PORT", "9000");
        assertThat(container.path("ports").findValuesAsText("name")).containsExactly("http", "grpc");

        JsonNode publicService = manifests.get("Service", TidingsChart.componentName("connector") + "-public");
        assertThat(publicService.at("/spec/type").asText()).isEqualTo("LoadBalancer");
        assertThat(publicService.at("/spec/ports")).hasSize(1);
        assertThat(publicService.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(publicService.at("/spec/sessionAffinity").isMissingNode()).isTrue();
    }

    @Test
    void ingressForwardsOnlyWebSocketPath() {
        Manifests manifests = TidingsChart.renderWith("""
                connector:
                  ingress:
                    enabled: true
                    className: nginx
                    hosts:
                      - host: chat.example.org
                    tls:
                      - secretName: chat-tls
                        hosts: [chat.example.org]
                """);

        JsonNode ingress = manifests.get("Ingress", TidingsChart.componentName("connector"));
        JsonNode rule = ingress.at("/spec/rules/0");
        assertThat(rule.path("host").asText()).isEqualTo("chat.example.org");
        assertThat(rule.at("/http/paths")).hasSize(1);
        assertThat(rule.at("/http/paths/0/path").asText()).isEqualTo("/ws");
        assertThat(rule.at("/http/paths/0/backend/service/name").asText())
                .isEqualTo(TidingsChart.componentName("connector"));
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asInt())
                .isGreaterThan(30);
        assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("chat-tls");
    }

    @Test
    void quarkusTlsMountsCertificate() {
        Manifests manifests = TidingsChart.renderWith("""
                connector:
                  tls:
                    enabled: true
                    existingSecret: connector-cert
                  publicService:
                    enabled: true
                """);

        JsonNode deployment = manifests.deployment("connector");
        assertThat(manifests.configEnv("connector"))
                .containsEntry("QUARKUS_HTTP_SSL_PORT", "8443")
                .containsEntry("QUARKUS_HTTP_SSL_CERTIFICATE_FILES", "/etc/tidings/tls/tls.crt")
                .containsEntry("QUARKUS_HTTP_SSL_CERTIFICATE_KEY_FILES", "/etc/tidings/tls/tls.key");
        assertThat(Manifests.podSpec(deployment).path("volumes").findValuesAsText("secretName")).contains("connector-cert");
        JsonNode publicService = manifests.get("Service", TidingsChart.componentName("connector") + "-public");
        assertThat(publicService.at("/spec/ports/0/targetPort").asText()).isEqualTo("https");
    }

    @Test
    void tlsWithoutSecretIsRejected() {
        assertThatThrownBy(() -> TidingsChart.renderWith("""
                connector:
                  tls:
                    enabled: true
                """)).hasMessageContaining("connector.tls.existingSecret");
    }
}
