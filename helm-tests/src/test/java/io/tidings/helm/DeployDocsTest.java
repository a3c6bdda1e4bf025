package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The deployment guides document every key of the chart's values.yaml. */
class DeployDocsTest {

    private static final Path DOCS_DIR = Path.of(System.getProperty("tidings.docs.dir", "../docs"));
    /** Values whose content is free-form: the key is documented, not each entry inside it. */
    private static final Set<String> FREE_FORM = Set.of("annotations", "labels", "resources", "behavior",
            "config", "podSecurityContext", "securityContext", "probes.startup", "probes.liveness", "probes.readiness",
            "serviceMonitor.labels", "commonLabels");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern FENCED_BLOCK = Pattern.compile("(?ms)^\\s*```.*?^\\s*```");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deploy.md", "zh-CN/deploy.md"})
    void everyValuesKeyDocumented(String page) throws IOException {
        // Fenced code blocks are removed first: their ``` marks would pair with inline spans.
        String doc = FENCED_BLOCK.matcher(TidingsChart.read(DOCS_DIR.resolve(page))).replaceAll("");
        Set<String> documented = new HashSet<>();
        Matcher matcher = CODE_SPAN.matcher(doc);
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }

        List<String> missing = new ArrayList<>();
        for (String key : documentedForm(new YAMLMapper().readTree(TidingsChart.CHART_DIR.resolve("values.yaml").toFile()))) {
            if (!documented.contains(key)) {
                missing.add(key);
            }
        }

        assertThat(missing).as("values keys with no `code span` in docs/%s", page).isEmpty();
    }

    /**
     * Lists each values key as the guides write it: per-service keys as {@code <service>.key} or,
     * for settings of one service only, {@code connector.key}; free-form maps as the map's key.
     */
    private static Set<String> documentedForm(JsonNode values) {
        Set<String> keys = new TreeSet<>();
        collect(values, "", keys);
        return keys;
    }

    private static void collect(JsonNode node, String path, Set<String> keys) {
        if (!path.isEmpty() && (!node.isObject() || node.isEmpty() || isFreeForm(path))) {
            keys.add(documentedName(path));
            return;
        }
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), keys);
        }
    }

    private static boolean isFreeForm(String path) {
        return FREE_FORM.stream().anyMatch(free -> path.equals(free) || path.endsWith("." + free));
    }

    /** connector.resources -> <service>.resources; connector.drainTimeoutSeconds stays as it is. */
    private static String documentedName(String path) {
        int dot = path.indexOf('.');
        if (dot < 0 || !TidingsChart.COMPONENTS.contains(path.substring(0, dot))) {
            return path;
        }
        String rest = path.substring(dot + 1);
        return SHARED_SERVICE_KEYS.contains(rest.split("\\.")[0]) && !ONE_SERVICE_KEYS.contains(rest)
                ? "<service>." + rest
                : path;
    }

    private static final Set<String> SHARED_SERVICE_KEYS = Set.of("replicaCount", "image", "resources",
            "preStopSleepSeconds", "shutdownTimeoutSeconds", "terminationGracePeriodSeconds", "autoscaling",
            "podDisruptionBudget", "config", "extraEnv", "podAnnotations", "podLabels", "nodeSelector", "tolerations",
            "affinity", "priorityClassName", "topologySpreadConstraints");
    /** Keys under a shared group that only the connector has. */
    private static final Set<String> ONE_SERVICE_KEYS = Set.of("autoscaling.sessions.enabled",
            "autoscaling.sessions.metricName", "autoscaling.sessions.averageValue");
}
