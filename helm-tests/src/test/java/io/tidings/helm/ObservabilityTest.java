package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** ServiceMonitor, scrape annotations and the Grafana dashboard ConfigMap. */
class ObservabilityTest {

    @Test
    void serviceMonitorSkipsHeadlessServices() {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        JsonNode monitor = manifests.get("ServiceMonitor", TidingsChart.FULLNAME);
        String scrapeLabel = "tidings.io/metrics";
        assertThat(monitor.at("/spec/selector/matchLabels").path(scrapeLabel).asText()).isEqualTo("true");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        for (String component : TidingsChart.COMPONENTS) {
            String name = TidingsChart.componentName(component);
            assertThat(manifests.get("Service", name).at("/metadata/labels").path(scrapeLabel).asText())
                    .isEqualTo("true");
            assertThat(manifests.get("Service", name + "-headless").at("/metadata/labels").has(scrapeLabel))
                    .isFalse();
        }
    }

    @Test
    void podsCarryScrapeAnnotations() {
        Manifests manifests = TidingsChart.render();

        for (String component : TidingsChart.COMPONENTS) {
            JsonNode annotations = manifests.deployment(component).at("/spec/template/metadata/annotations");
            assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo("8080");
            assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
        }
    }

    @Test
    void dashboardConfigMapCarriesDashboard() throws IOException {
        Manifests manifests = TidingsChart.render(TidingsChart.PRODUCTION_VALUES);

        JsonNode configMap = manifests.get("ConfigMap", TidingsChart.FULLNAME + "-dashboard");
        assertThat(configMap.at("/metadata/namespace").asText()).isEqualTo("monitoring");
        assertThat(configMap.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        ObjectMapper json = new ObjectMapper();
        JsonNode embedded = json.readTree(configMap.at("/data/tidings.json").asText());
        JsonNode file = json.readTree(TidingsChart.CHART_DIR.resolve("files/grafana/tidings.json").toFile());
        assertThat(embedded).isEqualTo(file);
    }

    @Test
    void monitoringObjectsOffByDefault() {
        Manifests manifests = TidingsChart.render();

        assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
        assertThat(manifests.find("ConfigMap", TidingsChart.FULLNAME + "-dashboard")).isEmpty();
    }
}
