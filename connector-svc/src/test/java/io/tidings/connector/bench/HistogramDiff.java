package io.tidings.connector.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/** Compares two {@code jcmd GC.class_histogram} outputs by bytes per class. */
final class HistogramDiff {

    private HistogramDiff() {
    }

    static void print(String before, String after, long sessions, int top) {
        Map<String, long[]> start = parse(before);
        Map<String, long[]> end = parse(after);
        end.entrySet().stream()
                .map(e -> {
                    long[] was = start.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
                })
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1]).reversed())
                .limit(top)
                .forEach(e -> System.out.printf("  %8.1f B  %6.2f objects  %s%n",
                        e.getValue()[1] / (double) sessions, e.getValue()[0] / (double) sessions, e.getKey()));
    }

    // Lines look like "   1:        123456       7890123  java.lang.String (java.base@17)".
    private static Map<String, long[]> parse(String histogram) {
        Map<String, long[]> byClass = new HashMap<>();
        for (String line : histogram.split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 4 && parts[0].endsWith(":")) {
                try {
                    byClass.put(parts[3], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
                } catch (NumberFormatException header) {
                    // Not a class line.
                }
            }
        }
        return byClass;
    }
}
