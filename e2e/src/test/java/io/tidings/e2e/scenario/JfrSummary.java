package io.tidings.e2e.scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording: the top frames, where
 * the CPU was when sampled, and for each sample the first Tidings frame on its stack, which
 * names the Tidings code that led there.
 */
final class JfrSummary {

    private static final String TIDINGS_PACKAGE = "io.tidings.";

    private JfrSummary() {
    }

    static String summarise(Path recording, int rows) throws IOException {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> tidingsFrames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            topFrames.merge(name(frames.get(0)), 1, Integer::sum);
            String tidings = frames.stream()
                    .map(JfrSummary::name)
                    .filter(frame -> frame.startsWith(TIDINGS_PACKAGE))
                    .findFirst()
                    .orElse("(no Tidings frame)");
            tidingsFrames.merge(tidings, 1, Integer::sum);
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder();
        out.append("CPU samples (jdk.ExecutionSample) in ").append(recording.getFileName()).append(": ")
                .append(samples).append('\n');
        append(out, "Top frames", topFrames, samples, rows);
        append(out, "First Tidings frame on the stack", tidingsFrames, samples, rows);
        append(out, "Threads (trailing numbers removed)", threads, samples, rows);
        return out.toString();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void append(StringBuilder out, String title, Map<String, Integer> counts, int total, int rows) {
        out.append(title).append(":\n");
        List<Map.Entry<String, Integer>> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .collect(Collectors.toList());
        for (Map.Entry<String, Integer> entry : top) {
            out.append(String.format("  %5.1f %%  %s%n", 100.0 * entry.getValue() / Math.max(1, total), entry.getKey()));
        }
    }
}
