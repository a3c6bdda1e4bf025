package io.tidings.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidings.testsupport.RealServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drives {@code ./tidings up}, {@code status}, a second {@code up} and {@code down} as a newcomer
 * would, on a state dir and ports of its own so it never touches the shared test servers, and
 * checks with the process table that {@code down} leaves nothing behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalSuiteLifecycleTest {

    private static final Path ROOT = RealServers.repoRoot();
    private static final Path STATE = ROOT.resolve(".tidings/e2e-lifecycle");
    private static final List<String> NAMES = List.of(
            "redis", "kafka", "hbase", "connector-svc", "routing-svc", "offline-svc", "history-svc", "push-svc");

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TIDINGS_STATE_DIR", STATE.toString());
        env.put("TIDINGS_REDIS_PORT", "36379");
        env.put("TIDINGS_KAFKA_PORT", "39092");
        env.put("TIDINGS_KAFKA_CONTROLLER_PORT", "39093");
        env.put("TIDINGS_ZK_PORT", "32181");
        env.put("TIDINGS_HBASE_MASTER_PORT", "36100");
        env.put("TIDINGS_HBASE_REGIONSERVER_PORT", "36120");
        env.put("TIDINGS_CONNECTOR_PORT", "37100");
        env.put("TIDINGS_ROUTING_PORT", "37200");
        env.put("TIDINGS_OFFLINE_PORT", "37300");
        env.put("TIDINGS_HISTORY_PORT", "37400");
        env.put("TIDINGS_PUSH_PORT", "37500");
        env.put("TIDINGS_SERVICE_START_TIMEOUT", "180");
        return env;
    }

    record Result(int exitCode, String output) {
    }

    private static Result tidings(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("tidings").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment());
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(15, TimeUnit.MINUTES), "./tidings " + String.join(" ", args) + " timed out");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Returns the pids recorded in the state dir's pid files, by name. */
    private static Map<String, Long> pids() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(STATE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).collect(Collectors.toList())) {
                String name = file.getFileName().toString().replace(".pid", "");
                pids.put(name, Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    /**
     * Returns whether a process runs. A zombie counts as stopped: a daemonized server that was
     * killed can stay in the process table as a defunct entry until its parent reaps it.
     */
    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return afterName.charAt(0) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the command lines of live processes that mention the lifecycle state dir or ports. */
    private static List<String> processesOfThisSuite() {
        return ProcessHandle.allProcesses()
                .filter(p -> isRunning(p.pid()))
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(STATE.toString())
                        || line.contains("quarkus.http.port=37") || line.contains(":36379"))
                .collect(Collectors.toList());
    }

    @AfterAll
    static void stopEverything() throws Exception {
        tidings("down");
    }

    @Test
    @Order(1)
    void upStartsEveryProcess() throws Exception {
        Result up = tidings("up");
        assertEquals(0, up.exitCode(), up.output());

        Result status = tidings("status");
        assertEquals(0, status.exitCode(), status.output());
        for (String name : NAMES) {
            String line = status.output().lines().filter(l -> l.contains(name)).findFirst().orElse("");
            assertTrue(line.contains("healthy") || line.contains("UP") || line.contains("ready"),
                    name + " is not healthy in status output:\n" + status.output());
        }
        Map<String, Long> pids = pids();
        for (String name : NAMES) {
            Long pid = pids.get(name);
            assertTrue(pid != null, "no pid file for " + name + " under " + STATE + ": " + pids);
            assertTrue(isRunning(pid), name + " pid " + pid + " is not running");
        }
    }

    @Test
    @Order(2)
    void secondUpChangesNothing() throws Exception {
        Map<String, Long> before = pids();

        Result again = tidings("up");

        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("already running"), again.output());
        assertEquals(before, pids(), "a second up restarted something");
    }

    @Test
    @Order(3)
    void downLeavesNoProcess() throws Exception {
        Map<String, Long> before = pids();

        Result down = tidings("down");

        assertEquals(0, down.exitCode(), down.output());
        for (Map.Entry<String, Long> entry : before.entrySet()) {
            assertFalse(isRunning(entry.getValue()),
                    entry.getKey() + " pid " + entry.getValue() + " is still running after down");
        }
        assertEquals(List.of(), processesOfThisSuite(), "processes of the suite remain after down");
        Result status = tidings("status");
        assertEquals(3, status.exitCode(), "status after down must report stopped processes:\n" + status.output());
        assertTrue(status.output().contains("stopped"), status.output());
    }
}
