package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks every Deployment, rendered with the default and with the production values. */
class DeploymentsTest {

    static Stream<Arguments> deployments() {
        Manifests defaults = TidingsChart.render();
        Manifests production = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);
        return Stream.of(defaults, production).flatMap(manifests -> {
            String values = manifests == defaults ? "default values" : "values-production.yaml";
            return TidingsChart.COMPONENTS.stream()
                    .map(component -> Arguments.of(values, component, manifests.deployment(component)));
        });
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void probesUseQuarkusHealth(String values, String component, JsonNode deployment) {
        JsonNode container = Manifests.container(deployment);

        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void resourcesHaveRequestsAndLimits(String values, String component, JsonNode deployment) {
        JsonNode resources = Manifests.container(deployment).path("resources");

        assertThat(resources.at("/requests/cpu").asText()).isNotEmpty();
        assertThat(resources.at("/requests/memory").asText()).isNotEmpty();
        assertThat(resources.at("/limits/cpu").asText()).isNotEmpty();
        assertThat(resources.at("/limits/memory").asText()).isNotEmpty();
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void podRunsNonRootWithReadOnlyRoot(String values, String component, JsonNode deployment) {
        JsonNode pod = Manifests.podSpec(deployment).path("securityContext");
        JsonNode container = Manifests.container(deployment).path("securityContext");

        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asInt()).isPositive();
        assertThat(pod.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(Manifests.texts(container.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(container.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void tmpIsWritableEmptyDir(String values, String component, JsonNode deployment) {
        JsonNode tmpMount = null;
        for (JsonNode mount : Manifests.container(deployment).path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals("/tmp")) {
                tmpMount = mount;
            }
        }
        assertThat(tmpMount).as("volume mount at /tmp").isNotNull();
        assertThat(tmpMount.path("readOnly").asBoolean(false)).isFalse();

        String volumeName = tmpMount.path("name").asText();
        List<JsonNode> volumes = Manifests.podSpec(deployment).findParents("emptyDir");
        assertThat(volumes).anyMatch(volume -> volume.path("name").asText().equals(volumeName));
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void serviceAccountTokenIsNotMounted(String values, String component, JsonNode deployment) {
        JsonNode pod = Manifests.podSpec(deployment);

        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(pod.path("serviceAccountName").asText()).isEqualTo(TidingsChart.FULLNAME);
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void rollingUpdateKeepsCapacity(String values, String component, JsonNode deployment) {
        JsonNode rollingUpdate = deployment.at("/spec/strategy/rollingUpdate");

        assertThat(rollingUpdate.path("maxUnavailable").asInt()).isZero();
        assertThat(rollingUpdate.path("maxSurge").asInt()).isPositive();
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("deployments")
    void configMapFeedsEnvironment(String values, String component, JsonNode deployment) {
        JsonNode envFrom = Manifests.container(deployment).path("envFrom");

        assertThat(envFrom.findValuesAsText("name")).contains(TidingsChart.componentName(component));
        assertThat(deployment.at("/spec/template/metadata/annotations/checksum~1config").asText()).hasSize(64);
    }
}
