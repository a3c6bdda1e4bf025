package io.tidings.e2e.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and resident memory of processes and the machine, read from Linux /proc. CPU times
 * are in clock ticks of 10 ms (USER_HZ is 100 on Linux x86_64: {@code getconf CLK_TCK}).
 */
final class ProcessStats {

    static final double TICKS_PER_SECOND = 100;

    /** One process at one moment; ticks is -1 when the process was not readable. */
    record ProcessSample(long pid, long ticks, long rssKib, long peakRssKib) {
    }

    /** Every named process, the machine's busy and total ticks, and the load average at one moment. */
    record Snapshot(long nanos, Map<String, ProcessSample> processes, long machineBusyTicks, long machineTotalTicks,
            String loadAverage) {
    }

    private ProcessStats() {
    }

    static Snapshot take(Map<String, Long> pids) {
        Map<String, ProcessSample> processes = new LinkedHashMap<>();
        pids.forEach((name, pid) -> processes.put(name, sample(pid)));
        long[] machine = machineTicks();
        return new Snapshot(System.nanoTime(), processes, machine[0], machine[1], loadAverage());
    }

    static ProcessSample sample(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces:
            // field 3 (state) is index 0, so utime (field 14) is index 11 and stime index 12.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long rss = -1;
            long peak = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmHWM:")) {
                    peak = kib(line);
                }
            }
            return new ProcessSample(pid, ticks, rss, peak);
        } catch (IOException | RuntimeException e) {
            return new ProcessSample(pid, -1, -1, -1);
        }
    }

    private static long kib(String statusLine) {
        return Long.parseLong(statusLine.replaceAll("[^0-9]", ""));
    }

    /** Returns {busy, total} ticks of all CPUs since boot, from the first line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    /** Returns the 1, 5 and 15 minute load averages from /proc/loadavg. */
    static String loadAverage() {
        try {
            List<String> fields = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
            return String.join(" ", fields.subList(0, 3));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
