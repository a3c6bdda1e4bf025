package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** `helm lint --strict` on the chart: it passes with good values and fails with broken ones. */
class ChartLintTest {

    @Test
    void defaultValuesPassStrictLint() {
        LintResult result = TidingsChart.lint(TidingsChart.CHART_DIR);

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]"));
    }

    @Test
    void productionValuesPassStrictLint() {
        Path chart = TidingsChart.copyWithValues(TidingsChart.mergedValues(TidingsChart.PRODUCTION_VALUES));

        LintResult result = TidingsChart.lint(chart);

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.startsWith("[ERROR]") || m.startsWith("[WARNING]"));
    }

    @Test
    void everyOptionalFeaturePassesStrictLint() {
        // Renders the templates that the defaults leave out, the Kafka topics hook among them:
        // helm-java's template output has no hooks, so lint is what checks that Job.
        Path overrides = TidingsChart.writeTemp("""
                kafka:
                  securityProtocol: SASL_SSL
                  sasl:
                    jaasConfig: org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";
                  tlsCaSecret: kafka-ca
                  topics:
                    create: true
                redis:
                  password: redis-password
                  tlsCaSecret: redis-ca
                connector:
                  grpcPort: 9000
                  tls:
                    enabled: true
                    existingSecret: connector-tls
                  publicService:
                    enabled: true
                  ingress:
                    enabled: true
                  autoscaling:
                    enabled: true
                    sessions:
                      enabled: true
                metrics:
                  serviceMonitor:
                    enabled: true
                grafanaDashboard:
                  enabled: true
                networkPolicy:
                  enabled: true
                """);
        Path chart = TidingsChart.copyWithValues(TidingsChart.mergedValues(overrides));

        LintResult result = TidingsChart.lint(chart);

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void valuesAgainstSchemaFailLint() {
        String broken = TidingsChart.defaultValues()
                .replace("  mode: standalone", "  mode: clustered")
                .replace("  bootstrapServers: kafka:9092", "  bootstrapServers: 9092");
        Path chart = TidingsChart.copyWithValues(broken);

        LintResult result = TidingsChart.lint(chart);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages()))
                .contains("/redis/mode")
                .contains("/kafka/bootstrapServers");
    }

    @Test
    void misspelledValueKeyFailsLint() {
        String broken = TidingsChart.defaultValues().replace("  replicaCount: 1", "  replicas: 1");
        Path chart = TidingsChart.copyWithValues(broken);

        LintResult result = TidingsChart.lint(chart);

        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("replicas");
    }

    @Test
    void malformedValuesYamlFailsLint() {
        Path chart = TidingsChart.copyWithValues(TidingsChart.defaultValues() + "\nredis: [unclosed\n");

        LintResult result = TidingsChart.lint(chart);

        assertThat(result.isFailed()).isTrue();
    }

    @Test
    void brokenValuesFileFailsTemplate() {
        Path broken = TidingsChart.writeTemp("""
                connector:
                  drainTimeoutSeconds: ten
                """);

        assertThatThrownBy(() -> TidingsChart.template(broken))
                .hasMessageContaining("/connector/drainTimeoutSeconds");
    }
}
