package io.tidings.routing.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tidings.testsupport.DedicatedServer;
import io.tidings.testsupport.RealServers;
import io.tidings.testsupport.Server;
import java.util.Map;

/**
 * Points routing-svc at a private Redis that a test may stop and start again. Use with
 * {@code @WithTestResource(DedicatedRedis.class)} in place of RedisResource; the test reaches
 * the server through {@link #server()}.
 */
public class DedicatedRedis implements QuarkusTestResourceLifecycleManager {

    private static DedicatedServer server;

    @Override
    public Map<String, String> start() {
        server = RealServers.dedicated(Server.REDIS);
        return Map.of("quarkus.redis.hosts", server.ports().redisHosts());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    public static DedicatedServer server() {
        return server;
    }
}
