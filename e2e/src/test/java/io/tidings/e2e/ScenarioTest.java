package io.tidings.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidings.e2e.scenario.ScenarioReport;
import io.tidings.e2e.scenario.TrafficScenario;
import io.tidings.e2e.suite.ServerApi;
import io.tidings.e2e.suite.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the {@link TrafficScenario} on the five services as real processes and checks that no
 * acked message was lost, none was delivered twice and every conversation kept its order.
 *
 * <p>By default it runs the short form: 60 s of mixed traffic at 60 msg/s with churn and phone
 * switches. System properties select a longer run by hand:
 * <ul>
 *   <li>{@code tidings.scenario.seconds}: traffic time in seconds
 *   <li>{@code tidings.scenario.rate}: target messages per second
 *   <li>{@code tidings.scenario.load}: {@code mixed} (default) or {@code one-to-one}
 *   <li>{@code tidings.scenario.warmup}: seconds of the same traffic before the measured part
 *       (default 0), so that the services' JIT compilation is done; its messages are checked
 *       like the others but not timed
 *   <li>{@code tidings.scenario.profile}: a service to record with JFR during the traffic,
 *       for example {@code routing-svc}
 * </ul>
 * The report is printed and written to {@code target/scenario-reports/}.
 */
class ScenarioTest {

    @Test
    void trafficLosesNothing() throws Exception {
        TrafficScenario.Config config = configFromSystemProperties();
        ScenarioReport report;
        try (Suite suite = Suite.start("scenario"); ServerApi api = new ServerApi(suite)) {
            Duration warmup = Duration.ofSeconds(Long.getLong("tidings.scenario.warmup", 0));
            report = new TrafficScenario(config, warmup).run(suite, api);
        }
        String table = report.table();
        String details = report.failureDetails();
        System.out.println(table);
        System.out.println(details);
        save(table + "\n" + details);

        assertTrue(report.rebuiltServices().isEmpty(), "the run is invalid because a service was rebuilt while it ran"
                + " (rerun when no build packages the services):\n" + details);
        assertTrue(report.acked() > 0, "no send was acked:\n" + details);
        assertTrue(report.expectedDeliveries() > 0, "no delivery was expected:\n" + details);
        assertEquals(0, report.lost(), "lost messages:\n" + details);
        assertEquals(0, report.duplicated(), "duplicated messages:\n" + details);
        // A conversation's order is the order in which its Kafka partition accepted the messages,
        // which every inbox follows; with one routing-svc instance the message ids follow it too.
        assertEquals(0, report.outOfOrderAgainstInbox(), "messages delivered against the inbox order:\n" + details);
        assertEquals(0, report.outOfOrder(), "messages delivered after a later message id of the conversation:\n" + details);
        assertEquals(0, report.orderDisagreements(), "devices disagree on a conversation's order:\n" + details);
        assertEquals(0, report.misrouted(), "messages delivered to a user who is not a recipient:\n" + details);
    }

    private static TrafficScenario.Config configFromSystemProperties() {
        Duration duration = Duration.ofSeconds(Long.getLong("tidings.scenario.seconds", 60));
        double rate = Double.parseDouble(System.getProperty("tidings.scenario.rate", "60"));
        String load = System.getProperty("tidings.scenario.load", "mixed");
        TrafficScenario.Config config = switch (load) {
            case "mixed" -> TrafficScenario.Config.mixed(duration, rate);
            case "one-to-one" -> TrafficScenario.Config.oneToOne(duration, rate);
            default -> throw new IllegalArgumentException("invalid tidings.scenario.load '" + load
                    + "': expected mixed or one-to-one");
        };
        String profiled = System.getProperty("tidings.scenario.profile", "");
        return profiled.isEmpty() ? config : config.profiling(profiled);
    }

    private static void save(String report) throws IOException {
        Path dir = Path.of("target", "scenario-reports");
        Files.createDirectories(dir);
        Path file = dir.resolve("scenario-" + System.currentTimeMillis() + ".txt");
        Files.writeString(file, report);
        System.out.println("Report written to " + file.toAbsolutePath());
    }
}
