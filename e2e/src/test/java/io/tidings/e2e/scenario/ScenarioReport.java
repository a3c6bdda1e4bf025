package io.tidings.e2e.scenario;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The outcome of one {@link TrafficScenario} run, printed as one table by {@link #table()}. */
public final class ScenarioReport {

    final TrafficScenario.Config config;
    final String runId;
    Map<String, Long> pids;
    int devices;
    double setupSeconds;
    double trafficSeconds;
    long warmupSeconds;
    long measuredFromNanos = Long.MIN_VALUE;
    double drainSeconds;
    int unackedAtEnd;
    long disconnectedAtEnd;
    int wentOffline;
    int cameBack;
    int switched;
    List<String> churnProblems = List.of();
    ProcessStats.Snapshot atStart;
    ProcessStats.Snapshot atEnd;
    TrafficGenerator generator;
    List<SentMessage> sent = List.of();
    DeliveryCheck.DeliveryReport delivery;
    List<String> lostDiagnosis = List.of();
    List<String> logProblems = List.of();
    List<String> serviceMetrics = List.of();
    List<String> rebuiltServices = List.of();
    List<String> consumerLags = List.of();
    String profile;

    ScenarioReport(TrafficScenario.Config config, String runId) {
        this.config = config;
        this.runId = runId;
    }

    /** Returns the services whose packaged application another build replaced during the run. */
    public List<String> rebuiltServices() {
        return rebuiltServices;
    }

    public long lost() {
        return delivery.lost;
    }

    public long duplicated() {
        return delivery.duplicated;
    }

    public long outOfOrder() {
        return delivery.outOfOrder;
    }

    public long orderDisagreements() {
        return delivery.orderDisagreements;
    }

    /**
     * Returns the out-of-order deliveries that went against the order of the recipient's inbox,
     * that is, those the SDK or the delivery path reordered.
     */
    public long outOfOrderAgainstInbox() {
        return delivery.outOfOrder - delivery.outOfOrderInInbox;
    }

    public long misrouted() {
        return delivery.misrouted;
    }

    /** Returns the acked sends of the measured traffic, without the warm-up. */
    public long acked() {
        return measured().filter(SentMessage::isAcked).count();
    }

    private java.util.stream.Stream<SentMessage> measured() {
        return sent.stream().filter(message -> message.sentAtNanos() >= measuredFromNanos);
    }

    public long expectedDeliveries() {
        return delivery.expected;
    }

    /** Returns the details of every failed check: which messages, which devices, and the service log problems. */
    public String failureDetails() {
        StringBuilder out = new StringBuilder();
        section(out, "Services rebuilt during the run (the run is invalid)", rebuiltServices);
        section(out, "Lost messages", lostDiagnosis);
        section(out, "Duplicated deliveries (first ones)", delivery.duplicateDetails);
        section(out, "Out-of-order deliveries (first ones)", delivery.outOfOrderDetails);
        section(out, "Order disagreements between devices (first ones)", delivery.disagreementDetails);
        section(out, "Misrouted deliveries (first ones)", delivery.misroutedDetails);
        section(out, "Churn problems", churnProblems);
        section(out, "Service log problems during the run", logProblems);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.append(title).append(":\n");
        lines.forEach(line -> out.append("  ").append(line).append('\n'));
    }

    /** Formats the run's settings, checks, latencies, throughput and per-process CPU and memory. */
    public String table() {
        StringBuilder out = new StringBuilder();
        String senders = config.zipfExponent() == 0 ? "uniform" : String.format("Zipf s=%.1f", config.zipfExponent());
        String bursts = config.burstSize() == 0 ? "no bursts"
                : "bursts of " + config.burstSize() + " every " + config.burstInterval().toSeconds() + " s";
        out.append(String.format("Traffic scenario \"%s\", run %s: %d users, %d devices, %d groups%s, senders %s%n",
                config.load(), runId, config.users(), devices, config.groups(),
                config.groups() > 0 ? " of " + config.minGroupMembers() + " to " + config.maxGroupMembers() + " members" : "",
                senders));
        out.append(String.format("Target %.0f msg/s for %d s" + (warmupSeconds > 0 ? " after a warm-up of " + warmupSeconds + " s" : "")
                        + ", %.0f %% to groups, %s; "
                        + "%d users offline and back, %d phone switches%n",
                config.rate(), config.duration().toSeconds(), config.groupShare() * 100, bursts, wentOffline, switched));
        out.append(String.format("Load average (1, 5, 15 min) at traffic start %s, at end %s; machine CPU busy %.0f %% of %d cores "
                        + "during the traffic%n",
                atStart.loadAverage(), atEnd.loadAverage(), machineBusyPercent(), Runtime.getRuntime().availableProcessors()));
        out.append('\n');

        long sentCount = measured().count();
        long acked = acked();
        if (warmupSeconds > 0) {
            long warmupSent = sent.size() - sentCount;
            long warmupAcked = sent.stream().filter(SentMessage::isAcked).count() - acked;
            row(out, "warm-up (" + warmupSeconds + " s): sent / acked, checked but not timed", warmupSent + " / " + warmupAcked);
        }
        row(out, "messages sent", Long.toString(sentCount));
        row(out, "acked", Long.toString(acked));
        row(out, "not acked", (sentCount - acked) + failureKinds());
        row(out, "achieved rate (acked / traffic time)", String.format("%.1f msg/s", acked / trafficSeconds));
        row(out, "sender draws redirected (offline or at budget)", Long.toString(generator.redirectedDraws()));
        row(out, "generator waits for a device with send budget", Long.toString(generator.budgetWaits()));
        row(out, "devices not CONNECTED after the drain", Long.toString(disconnectedAtEnd));
        row(out, "deliveries expected", Long.toString(delivery.expected));
        row(out, "deliveries received", Long.toString(delivery.delivered));
        row(out, "LOST", Long.toString(delivery.lost));
        row(out, "DUPLICATED", Long.toString(delivery.duplicated));
        row(out, "OUT OF ORDER (against message id order)", delivery.outOfOrder + (delivery.outOfOrder > 0
                ? String.format(" (%d in groups, %d behind the same sender's, %d as the inbox holds them)",
                        delivery.outOfOrderInGroups, delivery.outOfOrderSameSender, delivery.outOfOrderInInbox)
                : ""));
        row(out, "order disagreements between devices", Long.toString(delivery.orderDisagreements));
        row(out, "misrouted", Long.toString(delivery.misrouted));
        row(out, "evicted by the conversation cap (not lost)", Long.toString(delivery.evicted));
        row(out, "delivered although not acked", Long.toString(delivery.unackedDelivered));
        row(out, "own copies pulled by the sending device", Long.toString(delivery.ownCopiesOnSender));
        row(out, "other entries (group events)", Long.toString(delivery.otherEntries));
        row(out, "send to ack latency p50 / p95 / p99 / max", percentiles(generator.ackLatencyMicros()));
        row(out, "send to delivered latency p50 / p95 / p99 / max", percentiles(delivery.deliveryLatencyMicros)
                + " (" + delivery.deliveryLatencyMicros.getTotalCount() + " deliveries to online devices)");
        row(out, "send to Deliver frame p50 / p95 / p99 / max", percentiles(delivery.pushLatencyMicros)
                + " (" + delivery.pushLatencyMicros.getTotalCount() + " pushed, " + delivery.pulledOnly + " only pulled)");
        delivery.deliveryLatencyByTime.forEach((bucket, histogram) -> row(out,
                String.format("  delivered p50 / p99, sent in %d-%d s", bucket * DeliveryCheck.LATENCY_BUCKET_SECONDS,
                        (bucket + 1) * DeliveryCheck.LATENCY_BUCKET_SECONDS),
                String.format("%.1f / %.1f ms", histogram.getValueAtPercentile(50) / 1000.0,
                        histogram.getValueAtPercentile(99) / 1000.0)));
        row(out, "setup (groups, connects) / traffic / drain", String.format("%.1f s / %.1f s / %.1f s",
                setupSeconds, trafficSeconds, drainSeconds));
        out.append('\n');

        out.append(String.format("%-36s %8s %10s %8s %10s %10s%n", "process", "pid", "CPU %", "CPU s",
                "RSS MiB", "peak MiB"));
        double seconds = (atEnd.nanos() - atStart.nanos()) / 1e9;
        for (Map.Entry<String, ProcessStats.ProcessSample> entry : atEnd.processes().entrySet()) {
            ProcessStats.ProcessSample end = entry.getValue();
            ProcessStats.ProcessSample begin = atStart.processes().get(entry.getKey());
            double cpuSeconds = (end.ticks() - begin.ticks()) / ProcessStats.TICKS_PER_SECOND;
            out.append(String.format("%-36s %8d %10.0f %8.1f %10.0f %10.0f%n", entry.getKey(), end.pid(),
                    100 * cpuSeconds / seconds, cpuSeconds, end.rssKib() / 1024.0, end.peakRssKib() / 1024.0));
        }
        out.append("(CPU % is of one core over the traffic time; RSS at the end of the traffic; peak is VmHWM.)\n");
        if (!consumerLags.isEmpty()) {
            out.append("\nKafka consumer lag during traffic and drain, sampled every 2 s:\n");
            consumerLags.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        if (!serviceMetrics.isEmpty()) {
            out.append("\nService metrics over traffic and drain (timers: calls and mean; counters: increase):\n");
            serviceMetrics.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        if (profile != null) {
            out.append('\n').append(profile);
        }
        return out.toString();
    }

    private double machineBusyPercent() {
        long total = atEnd.machineTotalTicks() - atStart.machineTotalTicks();
        long busy = atEnd.machineBusyTicks() - atStart.machineBusyTicks();
        return total <= 0 ? Double.NaN : 100.0 * busy / total;
    }

    private String failureKinds() {
        List<String> kinds = new java.util.ArrayList<>();
        generator.failures().forEach((kind, count) -> kinds.add(kind + " " + count.get()));
        if (unackedAtEnd > 0) {
            kinds.add(unackedAtEnd + " still open");
        }
        return kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")";
    }

    private static String percentiles(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format("%.1f / %.1f / %.1f / %.1f ms", micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(95) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format("  %-48s %s%n", name, value));
    }
}
