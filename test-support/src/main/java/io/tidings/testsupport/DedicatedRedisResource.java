package io.tidings.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus test at a private Redis on free ports that the test may stop and start again.
 * Outage and readiness tests need it because the shared test Redis must never be stopped.
 * Use it in place of {@link RedisResource} and reach the server through {@link #server()}.
 */
public class DedicatedRedisResource implements QuarkusTestResourceLifecycleManager {

    private static volatile DedicatedServer server;

    /** Returns the private Redis of the running test application. */
    public static DedicatedServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = RealServers.dedicated(Server.REDIS);
        return Map.of("quarkus.redis.hosts", server.ports().redisHosts());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
