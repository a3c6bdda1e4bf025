package io.tidings.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Real Redis, Kafka and HBase servers for tests, run as local processes by {@code scripts/infra.sh}.
 *
 * <p>{@link #shared(Server...)} returns the servers that all tests of a build use. They run
 * in the state dir {@code .tidings/test} on the ports of {@code ./tidings test} (26379, 29092,
 * 29093, 22181, 26100, 26120, each overridable with the {@code TIDINGS_TEST_*} variables that
 * {@code ./tidings test} exports). They are started on first use and never stopped here:
 * {@code ./tidings test} stops them when the build ends. With {@code TIDINGS_TEST_REUSE_LOCAL=1},
 * the servers of {@code ./tidings up} (state dir {@code .tidings/local}, local ports) are used.
 *
 * <p>{@link #dedicated(Server)} starts a private instance for a test that stops or breaks its
 * server, because stopping a shared one would fail the tests that use it at the same time.
 */
public final class RealServers {

    /** Environment variable that selects the servers of {@code ./tidings up} for the shared servers. */
    public static final String REUSE_LOCAL_VARIABLE = "TIDINGS_TEST_REUSE_LOCAL";

    /** Maximum time one {@code scripts/infra.sh} call may take, including a first download of the jars. */
    private static final long SCRIPT_TIMEOUT_SECONDS = 15 * 60;

    private static final Set<Server> STARTED_SHARED = EnumSet.noneOf(Server.class);
    private static final Set<DedicatedServer> OPEN_DEDICATED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(RealServers::closeOpenDedicated, "tidings-dedicated-servers-stop"));
    }

    private RealServers() {
    }

    /**
     * Starts the given shared servers (all three when none is given) unless this JVM has started
     * them already, and returns their ports. Across JVMs the call is idempotent because
     * {@code scripts/infra.sh start} leaves a healthy running server alone.
     *
     * @throws IllegalStateException when {@code scripts/infra.sh} fails; the message contains its output
     */
    public static synchronized ServerPorts shared(Server... servers) {
        ServerPorts ports = sharedPorts();
        Set<Server> requested = servers.length == 0 ? EnumSet.allOf(Server.class) : EnumSet.copyOf(Arrays.asList(servers));
        requested.removeAll(STARTED_SHARED);
        if (!requested.isEmpty()) {
            runInfra(ports, "start", requested);
            STARTED_SHARED.addAll(requested);
        }
        return ports;
    }

    /**
     * Returns the state dir and ports of the shared servers without starting anything: those
     * of {@code ./tidings test}, or of {@code ./tidings up} when {@code TIDINGS_TEST_REUSE_LOCAL=1}.
     * The defaults here must match those of {@code ./tidings} and {@code scripts/infra.sh}.
     */
    public static ServerPorts sharedPorts() {
        Path root = repoRoot();
        if ("1".equals(System.getenv(REUSE_LOCAL_VARIABLE))) {
            return new ServerPorts(
                    stateDir("TIDINGS_STATE_DIR", root.resolve(".tidings/local")),
                    port("TIDINGS_REDIS_PORT", 16379),
                    port("TIDINGS_KAFKA_PORT", 19092),
                    port("TIDINGS_KAFKA_CONTROLLER_PORT", 19093),
                    port("TIDINGS_ZK_PORT", 12181),
                    port("TIDINGS_HBASE_MASTER_PORT", 16100),
                    port("TIDINGS_HBASE_REGIONSERVER_PORT", 16120));
        }
        return new ServerPorts(
                testStateDir(),
                port("TIDINGS_TEST_REDIS_PORT", 26379),
                port("TIDINGS_TEST_KAFKA_PORT", 29092),
                port("TIDINGS_TEST_KAFKA_CONTROLLER_PORT", 29093),
                port("TIDINGS_TEST_ZK_PORT", 22181),
                port("TIDINGS_TEST_HBASE_MASTER_PORT", 26100),
                port("TIDINGS_TEST_HBASE_REGIONSERVER_PORT", 26120));
    }

    /**
     * Starts a private instance of the server on free ports, in a new state dir under
     * {@code .tidings/test/dedicated/}. Close the returned handle to stop it and delete its data.
     * If the JVM exits first, a shutdown hook stops it, and {@code ./tidings test} stops any
     * instance left behind by a JVM that was killed.
     */
    public static DedicatedServer dedicated(Server server) {
        Path parent = testStateDir().resolve("dedicated");
        Path stateDir;
        try {
            Files.createDirectories(parent);
            stateDir = Files.createTempDirectory(parent, server.scriptName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to create a state dir under " + parent, e);
        }
        int[] free = freePorts(6);
        ServerPorts ports = new ServerPorts(stateDir, free[0], free[1], free[2], free[3], free[4], free[5]);
        DedicatedServer handle = new DedicatedServer(server, ports);
        OPEN_DEDICATED.add(handle);
        try {
            handle.start();
        } catch (RuntimeException e) {
            handle.close();
            throw e;
        }
        return handle;
    }

    /**
     * Returns the repository root: the system property {@code tidings.repo.root} (set by the
     * surefire configuration of the root pom) when it names a dir containing {@code tidings},
     * else the nearest dir at or above the working dir that contains {@code tidings} and
     * {@code scripts/infra.sh}.
     */
    public static Path repoRoot() {
        String property = System.getProperty("tidings.repo.root");
        if (property != null && !property.isBlank()) {
            Path candidate = Path.of(property).toAbsolutePath().normalize();
            if (isRepoRoot(candidate)) {
                return candidate;
            }
        }
        Path start = Path.of("").toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRepoRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("Repository root not found: neither the system property tidings.repo.root ("
                + property + ") nor any dir above " + start + " contains the files tidings and scripts/infra.sh."
                + " Set -Dtidings.repo.root to the repository root.");
    }

    static void forgetDedicated(DedicatedServer handle) {
        OPEN_DEDICATED.remove(handle);
    }

    /**
     * Runs {@code scripts/infra.sh COMMAND SERVER...} with the state dir and ports of {@code ports},
     * copies its output to standard output, and throws if it fails or times out.
     */
    static void runInfra(ServerPorts ports, String command, Set<Server> servers) {
        Path script = repoRoot().resolve("scripts/infra.sh");
        List<String> commandLine = new ArrayList<>(List.of("bash", script.toString(), command));
        servers.forEach(server -> commandLine.add(server.scriptName()));

        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .directory(repoRoot().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.putAll(ports.infraEnvironment());

        String description = String.join(" ", commandLine.subList(1, commandLine.size())) + " (state dir " + ports.stateDir() + ")";
        StringBuffer output = new StringBuffer();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to run " + description, e);
        }
        Thread reader = new Thread(() -> copyOutput(process, output), "tidings-infra-output");
        reader.setDaemon(true);
        reader.start();

        try {
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out after " + SCRIPT_TIMEOUT_SECONDS + " s: " + description + "\n" + output);
            }
            // The servers write to their own log files, so the output ends when the script exits.
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("Interrupted while running " + description, e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Failed with exit code " + process.exitValue() + ": " + description + "\n" + output);
        }
    }

    private static void copyOutput(Process process, StringBuffer output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println(line);
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("(reading the output failed: ").append(e).append(")\n");
        }
    }

    private static void closeOpenDedicated() {
        for (DedicatedServer handle : List.copyOf(OPEN_DEDICATED)) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                System.err.println("Stopping the dedicated " + handle.server().scriptName() + " in " + handle.ports().stateDir() + " failed: " + e);
            }
        }
    }

    private static boolean isRepoRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("tidings")) && Files.isRegularFile(dir.resolve("scripts/infra.sh"));
    }

    private static Path testStateDir() {
        return stateDir("TIDINGS_TEST_STATE_DIR", repoRoot().resolve(".tidings/test"));
    }

    private static Path stateDir(String variable, Path fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath().normalize();
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Invalid port in " + variable + ": \"" + value + "\" is not a number", e);
        }
    }

    /**
     * Returns distinct ports that were free on 127.0.0.1 a moment ago. All sockets stay open until
     * every port is chosen, so the ports differ from each other.
     */
    private static int[] freePorts(int count) {
        // NOTE: another process may take a port between this check and the server's bind. The
        // start then fails with "already in use" rather than connecting a test to the wrong server.
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to find free ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that accepted nothing has nothing to report.
                }
            }
        }
    }
}
