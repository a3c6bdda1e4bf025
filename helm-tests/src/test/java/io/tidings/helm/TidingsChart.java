package io.tidings.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the embedded Helm (helm-java) on helm/tidings: lint and template, with the chart's own
 * values, values-production.yaml or overrides given as YAML text.
 */
final class TidingsChart {

    static final Path CHART_DIR = Path.of(System.getProperty("tidings.chart.dir", "../helm/tidings"))
            .toAbsolutePath().normalize();
    static final Path PRODUCTION_VALUES = CHART_DIR.resolve("values-production.yaml");
    static final String RELEASE = "chat";
    static final String NAMESPACE = "messaging";
    static final String FULLNAME = RELEASE + "-tidings";
    static final List<String> COMPONENTS = List.of("connector", "routing", "offline", "history", "push");
    /** A Kubernetes version that satisfies the chart's kubeVersion, because helm-java assumes v1.20. */
    static final String KUBE_VERSION = "1.30.0";

    private static final YAMLMapper YAML = new YAMLMapper();

    private TidingsChart() {
    }

    static String componentName(String component) {
        return FULLNAME + "-" + component;
    }

    /** Renders the chart with its default values plus the given values files, in order. */
    static Manifests render(Path... valuesFiles) {
        return Manifests.parse(template(valuesFiles));
    }

    /** Renders the chart with its default values and one override given as YAML text. */
    static Manifests renderWith(String overridesYaml) {
        return render(writeTemp(overridesYaml));
    }

    /** Returns the raw `helm template` output, or throws IllegalStateException when rendering fails. */
    static String template(Path... valuesFiles) {
        FakeKubernetesApi.shared();
        TemplateCommand command = new Helm(CHART_DIR).template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        return command.call();
    }

    static LintResult lint(Path chartDir) {
        return new Helm(chartDir).lint().strict().call();
    }

    /**
     * Copies the chart into a new temporary directory with its values.yaml replaced by the
     * given text. `helm lint` takes no values file of its own, so a lint of other values needs
     * a copy of the chart.
     */
    static Path copyWithValues(String valuesYaml) {
        try {
            Path copy = Files.createTempDirectory("tidings-chart-");
            try (Stream<Path> files = Files.walk(CHART_DIR)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(CHART_DIR.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            Files.writeString(copy.resolve("values.yaml"), valuesYaml);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("copying the chart failed", e);
        }
    }

    /** Returns the chart's values.yaml with the given files merged over it, as YAML text. */
    static String mergedValues(Path... overrides) {
        try {
            ObjectNode merged = (ObjectNode) YAML.readTree(CHART_DIR.resolve("values.yaml").toFile());
            for (Path override : overrides) {
                merge(merged, YAML.readTree(override.toFile()));
            }
            return YAML.writeValueAsString(merged);
        } catch (IOException e) {
            throw new UncheckedIOException("merging values files failed", e);
        }
    }

    static String defaultValues() {
        return read(CHART_DIR.resolve("values.yaml"));
    }

    static JsonNode chartYaml() {
        try {
            return YAML.readTree(CHART_DIR.resolve("Chart.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("reading Chart.yaml failed", e);
        }
    }

    static Path writeTemp(String yaml) {
        try {
            Path file = Files.createTempFile("tidings-values-", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("writing a values file failed", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed", e);
        }
    }

    /** Deep merge as Helm merges values files: maps merge key by key, anything else replaces. */
    private static void merge(ObjectNode target, JsonNode override) {
        Iterator<Map.Entry<String, JsonNode>> fields = override.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                merge(existingObject, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}
