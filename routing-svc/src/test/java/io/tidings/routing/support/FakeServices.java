package io.tidings.routing.support;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Starts the in-test gRPC servers that replace offline-svc and a connector-svc instance, once
 * per test JVM, and points routing-svc's {@code offline} client at the first. Use with
 * {@code @WithTestResource(FakeServices.class)}; tests reach the fakes through {@link #offline()}
 * and {@link #connector()}.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    private static FakeOffline offline;
    private static FakeConnector connector;
    private static Server offlineServer;
    private static Server connectorServer;

    @Override
    public Map<String, String> start() {
        startOnce();
        // In test mode a Quarkus gRPC client connects to test-port, which defaults to the
        // service's own test port, so both keys are set.
        String port = Integer.toString(offlineServer.getPort());
        return Map.of(
                "quarkus.grpc.clients.offline.host", "127.0.0.1",
                "quarkus.grpc.clients.offline.port", port,
                "quarkus.grpc.clients.offline.test-port", port);
    }

    /** Leaves the servers running for the other test classes of this JVM; the JVM's exit ends them. */
    @Override
    public void stop() {
    }

    private static synchronized void startOnce() {
        if (offlineServer != null) {
            return;
        }
        offline = new FakeOffline();
        connector = new FakeConnector();
        try {
            offlineServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(offline).build().start();
            connectorServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(connector).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to start the fake offline-svc and connector-svc servers", e);
        }
    }

    public static FakeOffline offline() {
        return offline;
    }

    public static FakeConnector connector() {
        return connector;
    }

    /** Returns the host:port that sessions name as their connector address. */
    public static String connectorAddress() {
        return "127.0.0.1:" + connectorServer.getPort();
    }
}
