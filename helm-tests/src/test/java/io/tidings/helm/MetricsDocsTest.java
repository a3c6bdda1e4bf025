package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md against the services' sources and the Grafana dashboard: every metric it calls
 * emitted is registered by a service or by service-support (the meters all services share), and
 * every Tidings metric the dashboard plots is documented as emitted.
 */
class MetricsDocsTest {

    private static final Path REPO_ROOT = Path.of(System.getProperty("tidings.repo.root", ".."));
    private static final Path DOCS_DIR = Path.of(System.getProperty("tidings.docs.dir", "../docs"));
    private static final Path DASHBOARD = TidingsChart.CHART_DIR.resolve("files/grafana/tidings.json");
    /** The modules whose main sources register meters: the five services and the code they share. */
    private static final List<String> METER_MODULES =
            List.of("connector-svc", "routing-svc", "offline-svc", "history-svc", "push-svc", "service-support");
    /** A Micrometer meter name in Java source, for example "tidings.routing.messages.accepted". */
    private static final Pattern METER_NAME = Pattern.compile("\"(tidings\\.[a-z0-9_.]+[a-z0-9])\"");
    /** A Prometheus metric name in a table row's first cell. */
    private static final Pattern DOC_ROW = Pattern.compile("(?m)^\\| `(tidings_[a-z0-9_]+)` \\|");
    private static final Pattern DASHBOARD_METRIC = Pattern.compile("tidings_[a-z0-9_]+");
    /** Suffixes that Micrometer's Prometheus naming adds to a meter name. */
    private static final Set<String> PROMETHEUS_SUFFIXES =
            Set.of("total", "seconds", "bytes_total", "rows", "bucket", "count", "sum", "max");

    @Test
    void emittedMetricsAreRegistered() {
        Set<String> registered = registeredMeters();
        assertThat(registered).as("meter names in the services' sources").isNotEmpty();

        List<String> unregistered = new ArrayList<>();
        for (String metric : documented("metrics.md").emitted()) {
            if (registered.stream().noneMatch(meter -> isPrometheusNameOf(metric, meter))) {
                unregistered.add(metric);
            }
        }

        assertThat(unregistered).as("metrics in docs/metrics.md that no service registers; mark them planned")
                .isEmpty();
    }

    @Test
    void plannedMetricsAreNotRegistered() {
        Set<String> registered = registeredMeters();

        for (String metric : documented("metrics.md").planned()) {
            assertThat(registered).as("%s is registered now: move it out of Planned", metric)
                    .noneMatch(meter -> isPrometheusNameOf(metric, meter));
        }
    }

    @Test
    void dashboardPlotsDocumentedMetrics() {
        Documented docs = documented("metrics.md");
        Set<String> plotted = dashboardMetrics();

        assertThat(plotted).as("tidings_* metrics in the dashboard").isNotEmpty();
        for (String series : plotted) {
            assertThat(docs.emitted()).as("dashboard series %s", series)
                    .anyMatch(metric -> series.equals(metric) || isSeriesOf(series, metric));
        }
    }

    @Test
    void dashboardCoversMainMetrics() {
        Set<String> plotted = dashboardMetrics();

        for (String metric : List.of("tidings_connector_sessions", "tidings_routing_messages_accepted_total",
                "tidings_routing_deliveries_total", "tidings_offline_entries_stored_total",
                "tidings_offline_entries_pulled_total", "tidings_push_sent_total", "tidings_push_failed_total",
                "tidings_offline_inbox_write_latency_seconds_bucket",
                "tidings_history_hbase_write_latency_seconds_bucket", "tidings_history_hbase_batch_size_rows_sum",
                "tidings_connector_auth_failures_total", "tidings_routing_messages_rejected_total")) {
            assertThat(plotted).contains(metric);
        }
    }

    @Test
    void dashboardIsValidGrafanaJson() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("title").asText()).isEqualTo("Tidings");
        assertThat(dashboard.path("uid").asText()).isNotEmpty();
        assertThat(dashboard.path("panels").size()).isPositive();
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s is unique", panel.path("id")).isTrue();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as("panel %s", panel.path("title")).isNotBlank();
            }
        }
    }

    @Test
    void chineseDocListsSameMetrics() {
        Documented english = documented("metrics.md");
        Documented chinese = documented("zh-CN/metrics.md");

        assertThat(chinese.emitted()).containsExactlyInAnyOrderElementsOf(english.emitted());
        assertThat(chinese.planned()).containsExactlyInAnyOrderElementsOf(english.planned());
    }

    /** The metric names of a metrics page, split at its "Planned" section (计划中 in Chinese). */
    private record Documented(Set<String> emitted, Set<String> planned) {
    }

    private static Documented documented(String page) {
        String doc = TidingsChart.read(DOCS_DIR.resolve(page));
        Matcher planned = Pattern.compile("(?m)^## (Planned|计划中)$").matcher(doc);
        assertThat(planned.find()).as("docs/%s has a Planned section", page).isTrue();
        Set<String> emitted = rowNames(doc.substring(0, planned.start()));
        Set<String> plannedNames = rowNames(doc.substring(planned.start()));
        assertThat(emitted).as("emitted metrics in docs/%s", page).isNotEmpty();
        return new Documented(emitted, plannedNames);
    }

    private static Set<String> rowNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = DOC_ROW.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Set<String> dashboardMetrics() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = DASHBOARD_METRIC.matcher(TidingsChart.read(DASHBOARD));
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    private static Set<String> registeredMeters() {
        Set<String> meters = new TreeSet<>();
        for (String module : METER_MODULES) {
            Path sources = REPO_ROOT.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                    Matcher matcher = METER_NAME.matcher(TidingsChart.read(file));
                    while (matcher.find()) {
                        meters.add(matcher.group(1));
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + sources + " failed", e);
            }
        }
        return meters;
    }

    /** tidings_routing_send_seconds is the Prometheus name of the meter tidings.routing.send. */
    private static boolean isPrometheusNameOf(String metric, String meter) {
        String base = meter.replace('.', '_');
        return metric.equals(base)
                || metric.startsWith(base + "_") && PROMETHEUS_SUFFIXES.contains(metric.substring(base.length() + 1));
    }

    /** tidings_routing_send_seconds_sum is a series of the timer tidings_routing_send_seconds. */
    private static boolean isSeriesOf(String series, String metric) {
        return series.startsWith(metric + "_") && PROMETHEUS_SUFFIXES.contains(series.substring(metric.length() + 1));
    }
}
