package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.tidings.connector.config.ConnectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The host:port under which routing-svc and other connectors reach this instance, written into
 * every session registry entry: {@code tidings.connector.advertised-address}, or 127.0.0.1 and
 * the HTTP port (which also serves gRPC). In tests the port is the one actually bound, which
 * Quarkus publishes as {@code quarkus.http.test-port} once the server started.
 */
@ApplicationScoped
public class ConnectorAddress {

    private final ConnectorConfig config;
    private volatile String address;

    public ConnectorAddress(ConnectorConfig config) {
        this.config = config;
    }

    /** Returns the address; call it only after the HTTP server started, because it has the port. */
    public String get() {
        String current = address;
        if (current == null) {
            current = config.advertisedAddress().orElseGet(() -> "127.0.0.1:" + httpPort());
            address = current;
            Log.infof("Connector advertises address %s", current);
        }
        return current;
    }

    private static int httpPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getValue(key, Integer.class);
    }
}
