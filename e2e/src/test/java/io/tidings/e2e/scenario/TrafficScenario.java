package io.tidings.e2e.scenario;

import io.tidings.client.ConnectionState;
import io.tidings.e2e.suite.ServerApi;
import io.tidings.e2e.suite.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A traffic scenario against a running {@link Suite}: users with Zipf-distributed activity send
 * 1:1 and group messages at a target rate, with bursts, devices that go offline and come back,
 * and users who move to a new phone. At the end it waits until every expected message arrived
 * (or a timeout) and checks with {@link DeliveryCheck} that none was lost, duplicated or
 * delivered out of order, and measures latencies, throughput and the services' CPU and memory.
 */
public final class TrafficScenario {

    /**
     * Settings of one run.
     *
     * @param load a label for the report: "mixed" or "one-to-one"
     * @param users number of users; each has a phone
     * @param groups number of groups, created before the traffic
     * @param minGroupMembers size of the smallest group
     * @param maxGroupMembers size of the largest group; sizes in between are spread evenly
     * @param zipfExponent exponent s of the sender distribution; 0 is uniform
     * @param groupShare share of messages sent to one of the sender's groups (the rest are 1:1
     *     to a random other user)
     * @param secondDeviceShare share of users that also have a desktop device
     * @param offlineShare share of users that go offline once and come back
     * @param minOffline shortest offline period
     * @param maxOffline longest offline period
     * @param deviceSwitches number of users that move to a new phone (cursor 0) during the run
     * @param burstInterval time between bursts
     * @param burstSize messages per burst, sent back to back; 0 for no bursts
     * @param rate target messages per second, bursts included
     * @param duration time the traffic runs
     * @param sendsPerDevicePerSecond send budget of each device, see {@link SendBudget}
     * @param sendBurstPerDevice sends a device may make at once; at least {@code burstSize}
     * @param maxInFlight sends without ack at most, over all devices
     * @param drainTimeout time to wait after the traffic for the expected messages to arrive
     * @param conversationCap offline-svc's tidings.offline.conversation-cap (1000 in the suite)
     * @param profiledService a service to record with JFR during the traffic, or null
     * @param seed seed of every random choice
     */
    public record Config(
            String load,
            int users,
            int groups,
            int minGroupMembers,
            int maxGroupMembers,
            double zipfExponent,
            double groupShare,
            double secondDeviceShare,
            double offlineShare,
            Duration minOffline,
            Duration maxOffline,
            int deviceSwitches,
            Duration burstInterval,
            int burstSize,
            double rate,
            Duration duration,
            double sendsPerDevicePerSecond,
            int sendBurstPerDevice,
            int maxInFlight,
            Duration drainTimeout,
            int conversationCap,
            String profiledService,
            long seed) {

        public Config {
            if (users < 2) {
                throw new IllegalArgumentException("users must be at least 2, got " + users);
            }
            if (groups > 0 && (minGroupMembers < 2 || maxGroupMembers < minGroupMembers)) {
                throw new IllegalArgumentException("group sizes must satisfy 2 <= min <= max, got "
                        + minGroupMembers + " and " + maxGroupMembers);
            }
            if (rate <= 0 || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("rate and duration must be positive, got " + rate + " msg/s for " + duration);
            }
            if (burstSize > sendBurstPerDevice) {
                throw new IllegalArgumentException("burstSize " + burstSize + " exceeds sendBurstPerDevice "
                        + sendBurstPerDevice + ": no device could ever send a burst");
            }
        }

        /**
         * Returns the mixed scenario: 200 users, 20 groups of 3 to 100 members, Zipf senders (s = 1.1),
         * 30 % group messages, a burst of 5 every 5 s, a third of users offline for 5 to 15 s,
         * and 5 users moving to a new phone.
         */
        public static Config mixed(Duration duration, double rate) {
            return new Config("mixed", 200, 20, 3, 100, 1.1, 0.3, 0.2, 1.0 / 3,
                    Duration.ofSeconds(5), Duration.ofSeconds(15), 5, Duration.ofSeconds(5), 5,
                    rate, duration, 4, 10, 2_000, Duration.ofSeconds(180), 1_000, null, 42);
        }

        /**
         * Returns a pure 1:1 load: one phone per user, uniform senders and random peers, no groups,
         * bursts or churn. There are enough users that their send budgets (5 msg/s each) add up
         * to 1.25 times the rate, because connector-svc limits each connection to 20 operations
         * per second.
         */
        public static Config oneToOne(Duration duration, double rate) {
            int users = Math.max(200, (int) Math.ceil(rate / 5 * 1.25));
            return new Config("one-to-one", users, 0, 0, 0, 0, 0, 0, 0,
                    Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(5), 0,
                    rate, duration, 5, 10, 20_000, Duration.ofSeconds(180), 1_000, null, 42);
        }

        /** Returns this config with JFR recording {@code service} during the traffic. */
        public Config profiling(String service) {
            return new Config(load, users, groups, minGroupMembers, maxGroupMembers, zipfExponent, groupShare,
                    secondDeviceShare, offlineShare, minOffline, maxOffline, deviceSwitches, burstInterval, burstSize,
                    rate, duration, sendsPerDevicePerSecond, sendBurstPerDevice, maxInFlight, drainTimeout,
                    conversationCap, service, seed);
        }
    }

    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_STALL = Duration.ofSeconds(45);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    private final Config config;
    private final Duration warmup;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    public TrafficScenario(Config config) {
        this(config, Duration.ZERO);
    }

    /**
     * @param warmup time of the same traffic before the measured part, which lets the services
     *     finish their JIT compilation. Its messages are checked like the others but not timed.
     */
    public TrafficScenario(Config config, Duration warmup) {
        this.config = config;
        this.warmup = warmup;
    }

    /** Runs the scenario against {@code suite} and returns its report; never throws on a failed check. */
    public ScenarioReport run(Suite suite, ServerApi api) throws InterruptedException {
        ScenarioReport report = new ScenarioReport(config, runId);
        report.pids = processes(suite);
        Map<String, Long> logOffsets = logSizes(suite);
        BuildWatch builds = new BuildWatch(suite);
        Population population = new Population(config, runId, new Random(config.seed()));
        try {
            long setupStart = System.nanoTime();
            population.createGroups(api);
            population.connectAll(suite.webSocketUrl(), api);
            report.devices = population.allDevices().size();
            report.setupSeconds = (System.nanoTime() - setupStart) / 1e9;

            Traffic traffic = runTraffic(suite, api, population, report);
            checkDeliveries(suite, population, traffic, report);
        } finally {
            population.closeAll();
        }
        report.logProblems = logProblems(suite, logOffsets);
        report.rebuiltServices = builds.rebuiltServices();
        return report;
    }

    /** What the traffic phase leaves for the checks: the sends and the measurements still running. */
    private record Traffic(TrafficGenerator generator, long startNanos, Map<String, Integer> ports,
            Map<String, Map<String, Double>> metricsBefore, ServiceMetrics.LagMaxima lags, Path recording) {
    }

    /** Returns the pids whose CPU and memory the report shows, by a name for the table. */
    private static Map<String, Long> processes(Suite suite) {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String service : Suite.SERVICES) {
            pids.put(service, suite.service(service).pid());
        }
        pids.put("test JVM (generator, SDK devices)", ProcessHandle.current().pid());
        addServerPid(pids, "Kafka (the suite's own)", suite.kafka().ports().stateDir(), "kafka");
        addServerPid(pids, "Redis (shared with other tests)", suite.infra().stateDir(), "redis");
        addServerPid(pids, "HBase (shared with other tests)", suite.infra().stateDir(), "hbase");
        return pids;
    }

    /** Sends for the configured duration while devices go offline and switch, then waits for the acks. */
    private Traffic runTraffic(Suite suite, ServerApi api, Population population, ScenarioReport report) {
        TrafficGenerator generator = new TrafficGenerator(config, population, runId, new Random(config.seed() + 1));
        ChurnPlan churn = new ChurnPlan(population, api, suite.webSocketUrl());
        Path recording = startProfiler(suite);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : Suite.SERVICES) {
            ports.put(service, suite.service(service).port());
        }
        if (!warmup.isZero()) {
            long warmupStart = System.nanoTime();
            generator.run(warmupStart, warmupStart + warmup.toNanos());
        }
        Map<String, Map<String, Double>> metricsBefore = ServiceMetrics.scrape(ports);
        ServiceMetrics.LagMaxima lags = new ServiceMetrics.LagMaxima(ports, Duration.ofSeconds(2));

        report.atStart = ProcessStats.take(report.pids);
        long start = System.nanoTime();
        generator.measureFrom(start);
        report.measuredFromNanos = start;
        report.warmupSeconds = warmup.toSeconds();
        churn.start(config, new Random(config.seed() + 2));
        generator.run(start, start + config.duration().toNanos());
        report.trafficSeconds = (System.nanoTime() - start) / 1e9;
        report.atEnd = ProcessStats.take(report.pids);

        report.unackedAtEnd = generator.awaitAcks(ACK_TIMEOUT.toMillis());
        report.churnProblems = churn.finish();
        report.wentOffline = churn.wentOffline();
        report.cameBack = churn.cameBack();
        report.switched = churn.switched();
        report.generator = generator;
        return new Traffic(generator, start, ports, metricsBefore, lags, recording);
    }

    /** Waits for the deliveries, checks every device and collects the services' view of the run. */
    private void checkDeliveries(Suite suite, Population population, Traffic traffic, ScenarioReport report)
            throws InterruptedException {
        List<SentMessage> sent = new ArrayList<>(traffic.generator().sent());
        DeliveryCheck check = new DeliveryCheck(sent, config.conversationCap(), traffic.startNanos());
        drain(check, population, report);
        report.serviceMetrics = ServiceMetrics.describeChange(traffic.metricsBefore(), ServiceMetrics.scrape(traffic.ports()));
        report.consumerLags = traffic.lags().stop();

        report.sent = sent;
        report.delivery = check.check(population.allDevices());
        report.disconnectedAtEnd = population.allDevices().stream()
                .filter(device -> !device.retired())
                .filter(device -> device.live() == null || device.live().client().state() != ConnectionState.CONNECTED)
                .count();
        report.lostDiagnosis = diagnoseLost(report.delivery, suite);
        if (traffic.recording() != null) {
            report.profile = summariseProfile(traffic.recording());
        }
    }

    /** Adds the pid that scripts/infra.sh wrote for {@code server} in {@code stateDir}, if there is one. */
    private static void addServerPid(Map<String, Long> pids, String name, Path stateDir, String server) {
        try {
            String pid = Files.readString(stateDir.resolve("pids").resolve(server + ".pid")).trim();
            pids.put(name, Long.parseLong(pid));
        } catch (IOException | NumberFormatException e) {
            System.err.println("No pid of " + server + " in " + stateDir + ": " + e);
        }
    }

    /** Waits until no expected message is missing, progress stalls or the drain timeout passes. */
    private void drain(DeliveryCheck check, Population population, ScenarioReport report) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + config.drainTimeout().toNanos();
        long lastProgress = started;
        long missing = check.missing(population.allDevices());
        long leastMissing = missing;
        while (missing > 0) {
            long now = System.nanoTime();
            if (now > deadline || now - lastProgress > DRAIN_STALL.toNanos()) {
                break;
            }
            Thread.sleep(1_000);
            missing = check.missing(population.allDevices());
            if (missing < leastMissing) {
                leastMissing = missing;
                lastProgress = System.nanoTime();
            }
        }
        report.drainSeconds = (System.nanoTime() - started) / 1e9;
        // Late duplicates would arrive after the last expected message: give them a moment.
        Thread.sleep(SETTLE.toMillis());
    }

    /**
     * For each device with lost messages, reports its connection state and whether each lost
     * message is in the user's inbox.
     */
    private static List<String> diagnoseLost(DeliveryCheck.DeliveryReport delivery, Suite suite) {
        List<String> lines = new ArrayList<>();
        if (delivery.lostByDevice.isEmpty()) {
            return lines;
        }
        int devices = 0;
        try (InboxProbe probe = new InboxProbe(suite.service("offline-svc").port())) {
            for (Map.Entry<ScenarioDevice, List<SentMessage>> lost : delivery.lostByDevice.entrySet()) {
                if (devices++ >= 10) {
                    lines.add("(" + (delivery.lostByDevice.size() - 10) + " more devices with lost messages not shown)");
                    break;
                }
                ScenarioDevice device = lost.getKey();
                Set<String> inbox = null;
                String inboxProblem = "";
                try {
                    inbox = probe.messageIds(device.userId());
                } catch (RuntimeException e) {
                    inboxProblem = ", reading the inbox failed: " + e;
                }
                String state = device.live() == null ? "offline" : device.live().client().state().toString();
                lines.add("device " + device + ": " + lost.getValue().size() + " lost, SDK state " + state + ", cursor "
                        + device.cursor() + ", " + device.incarnations().size() + " sessions" + inboxProblem);
                int shown = 0;
                for (SentMessage message : lost.getValue()) {
                    if (shown++ >= 20) {
                        lines.add("  ...");
                        break;
                    }
                    String where = inbox == null ? "" : inbox.contains(message.messageId())
                            ? ": in the inbox, not delivered by the SDK" : ": missing from the inbox";
                    lines.add("  " + DeliveryCheck.describe(message) + where);
                }
            }
        }
        return lines;
    }

    private Path startProfiler(Suite suite) {
        if (config.profiledService() == null) {
            return null;
        }
        long pid = suite.service(config.profiledService()).pid();
        Path recording = Path.of("target", "scenario-" + config.profiledService() + "-" + runId + ".jfr").toAbsolutePath();
        // NOTE: jcmd attaches to the service JVM as the same OS user; it fails when attach is disabled.
        List<String> command = List.of("jcmd", Long.toString(pid), "JFR.start", "name=scenario", "settings=profile",
                "duration=" + config.duration().toSeconds() + "s", "filename=" + recording);
        try {
            Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes());
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                System.err.println("JFR.start on " + config.profiledService() + " failed: " + output);
                return null;
            }
            return recording;
        } catch (IOException e) {
            System.err.println("running " + String.join(" ", command) + " failed: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private String summariseProfile(Path recording) throws InterruptedException {
        // JFR writes the file when the recording's duration ends, shortly after the traffic.
        for (int i = 0; i < 60 && !Files.isRegularFile(recording); i++) {
            Thread.sleep(1_000);
        }
        try {
            return "JFR recording of " + config.profiledService() + ": " + recording + "\n"
                    + JfrSummary.summarise(recording, 25);
        } catch (IOException e) {
            return "reading the JFR recording " + recording + " failed: " + e;
        }
    }

    private static Map<String, Long> logSizes(Suite suite) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String service : Suite.SERVICES) {
            Path log = suite.service(service).log();
            try {
                sizes.put(service, Files.exists(log) ? Files.size(log) : 0L);
            } catch (IOException e) {
                sizes.put(service, 0L);
            }
        }
        return sizes;
    }

    /** Returns the WARN and ERROR lines that each service logged during the run, counted, with the first few. */
    private static List<String> logProblems(Suite suite, Map<String, Long> offsets) {
        List<String> lines = new ArrayList<>();
        for (String service : Suite.SERVICES) {
            Path log = suite.service(service).log();
            try {
                byte[] all = Files.readAllBytes(log);
                int from = (int) Math.min(all.length, offsets.getOrDefault(service, 0L));
                String text = new String(all, from, all.length - from);
                List<String> problems = text.lines()
                        .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                        .toList();
                if (!problems.isEmpty()) {
                    lines.add(service + ": " + problems.size() + " WARN/ERROR lines in " + log + ", first ones:");
                    problems.stream().limit(5).forEach(line -> lines.add("  " + line));
                }
            } catch (IOException e) {
                lines.add(service + ": reading " + log + " failed: " + e);
            }
        }
        return lines;
    }
}
