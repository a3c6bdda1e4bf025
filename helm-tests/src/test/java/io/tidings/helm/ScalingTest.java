package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Autoscalers, disruption budgets and topology spread. */
class ScalingTest {

    @Test
    void autoscalingOffKeepsReplicaCount() {
        Manifests manifests = TidingsChart.render();

        assertThat(manifests.ofKind("HorizontalPodAutoscaler")).isEmpty();
        for (String component : TidingsChart.COMPONENTS) {
            assertThat(manifests.deployment(component).at("/spec/replicas").asInt()).isEqualTo(1);
        }
    }

    @Test
    void productionScalesOnCpu() {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        for (String component : TidingsChart.COMPONENTS) {
            JsonNode hpa = manifests.get("HorizontalPodAutoscaler", TidingsChart.componentName(component));
            assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(TidingsChart.componentName(component));
            assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
            assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
            // The HPA owns the replica count: a Deployment that set it would be reset on upgrade.
            assertThat(manifests.deployment(component).at("/spec/replicas").isMissingNode()).isTrue();
        }
        JsonNode connector = manifests.get("HorizontalPodAutoscaler", TidingsChart.componentName("connector"));
        assertThat(connector.at("/spec/behavior/scaleDown/stabilizationWindowSeconds").asInt()).isEqualTo(600);
    }

    @Test
    void connectorScalesOnSessions() {
        Manifests manifests = TidingsChart.renderWith("""
                connector:
                  autoscaling:
                    enabled: true
                    sessions:
                      enabled: true
                      averageValue: "15000"
                """);

        JsonNode metrics = manifests.get("HorizontalPodAutoscaler", TidingsChart.componentName("connector"))
                .at("/spec/metrics");
        assertThat(metrics).hasSize(2);
        assertThat(metrics.at("/1/type").asText()).isEqualTo("Pods");
        assertThat(metrics.at("/1/pods/metric/name").asText()).isEqualTo("tidings_connector_sessions");
        assertThat(metrics.at("/1/pods/target/averageValue").asText()).isEqualTo("15000");
    }

    @Test
    void everyServiceHasDisruptionBudget() {
        Manifests manifests = TidingsChart.render();

        for (String component : TidingsChart.COMPONENTS) {
            JsonNode pdb = manifests.get("PodDisruptionBudget", TidingsChart.componentName(component));
            assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
            assertThat(pdb.at("/spec/selector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo(component);
        }
    }

    @Test
    void podsSpreadOverZonesAndNodes() {
        Manifests manifests = TidingsChart.render();

        for (String component : TidingsChart.COMPONENTS) {
            JsonNode constraints = Manifests.podSpec(manifests.deployment(component)).path("topologySpreadConstraints");
            assertThat(constraints.findValuesAsText("topologyKey"))
                    .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            assertThat(constraints.at("/0/labelSelector/matchLabels/app.kubernetes.io~1component").asText())
                    .isEqualTo(component);
        }
    }

    @Test
    void backendGracePeriodCoversShutdown() {
        Manifests manifests = TidingsChart.renderWith("""
                routing:
                  shutdownTimeoutSeconds: 25
                """);

        assertThat(manifests.configEnv("routing")).containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "25s");
        assertThat(Manifests.podSpec(manifests.deployment("routing")).path("terminationGracePeriodSeconds").asInt())
                .isEqualTo(5 + 25 + 20);
    }
}
