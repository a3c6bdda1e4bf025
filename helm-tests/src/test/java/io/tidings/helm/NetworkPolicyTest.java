package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** NetworkPolicies: internal gRPC only from the release's own pods, the rest from named peers. */
class NetworkPolicyTest {

    @Test
    void offByDefault() {
        assertThat(TidingsChart.render().ofKind("NetworkPolicy")).isEmpty();
    }

    @Test
    void offlineAcceptsOnlyReleasePods() {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        JsonNode policy = manifests.get("NetworkPolicy", TidingsChart.componentName("offline"));
        JsonNode rules = policy.at("/spec/ingress");
        // Release pods on the gRPC port, then Prometheus on the metrics port. offline-svc serves
        // no server API, so app backends get no rule.
        assertThat(rules).hasSize(2);
        assertThat(rules.at("/0/from/0/podSelector/matchLabels/app.kubernetes.io~1instance").asText())
                .isEqualTo(TidingsChart.RELEASE);
        assertThat(rules.at("/1/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
    }

    @Test
    void serverApiPeersReachApiServices() {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        for (String component : List.of("connector", "routing", "history", "push")) {
            JsonNode rules = manifests.get("NetworkPolicy", TidingsChart.componentName(component)).at("/spec/ingress");
            List<String> namespaces = new ArrayList<>();
            rules.forEach(rule -> namespaces.addAll(rule.findValuesAsText("kubernetes.io/metadata.name")));
            assertThat(namespaces).as(component).contains("backend");
        }
    }

    @Test
    void connectorAcceptsWebSocketsFromIngress() {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        JsonNode rules = manifests.get("NetworkPolicy", TidingsChart.componentName("connector")).at("/spec/ingress");
        JsonNode last = rules.get(rules.size() - 1);
        assertThat(last.at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("ingress-nginx");
        assertThat(last.at("/ports/0/port").asInt()).isEqualTo(8080);
    }
}
