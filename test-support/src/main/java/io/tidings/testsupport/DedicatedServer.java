package io.tidings.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.stream.Stream;

/**
 * A private server instance from {@link RealServers#dedicated(Server)}: its own ports and its
 * own state dir, so a test may stop and restart it without touching the shared servers.
 */
public final class DedicatedServer implements AutoCloseable {

    private final Server server;
    private final ServerPorts ports;
    private boolean closed;

    DedicatedServer(Server server, ServerPorts ports) {
        this.server = server;
        this.ports = ports;
    }

    public Server server() {
        return server;
    }

    public ServerPorts ports() {
        return ports;
    }

    /** Returns the port that clients connect to (for HBase, the master RPC port). */
    public int port() {
        return ports.clientPort(server);
    }

    /**
     * Starts the server and waits until it is ready. After {@link #stop()} this restarts it on the
     * same ports with the data it had. Does nothing when it is already running and healthy.
     */
    public synchronized void start() {
        checkOpen();
        RealServers.runInfra(ports, "start", EnumSet.of(server));
    }

    /** Stops the server (SIGTERM, then SIGKILL after the stop timeout of {@code scripts/infra.sh}) and keeps its data. */
    public synchronized void stop() {
        checkOpen();
        RealServers.runInfra(ports, "stop", EnumSet.of(server));
    }

    /** Stops the server and deletes its state dir. Closing twice does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RealServers.forgetDedicated(this);
        RealServers.runInfra(ports, "stop", EnumSet.of(server));
        deleteRecursively(ports.stateDir());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The dedicated " + server.scriptName() + " in " + ports.stateDir() + " is closed");
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to delete the state dir " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "DedicatedServer[" + server.scriptName() + ", port " + port() + ", state dir " + ports.stateDir() + "]";
    }
}
