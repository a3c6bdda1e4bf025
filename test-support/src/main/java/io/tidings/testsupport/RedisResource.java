package io.tidings.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus test at the shared test Redis (see {@link RealServers#shared(Server...)}),
 * starting it if needed, by setting {@code quarkus.redis.hosts}.
 * Use with {@code @WithTestResource(RedisResource.class)}.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        ServerPorts ports = RealServers.shared(Server.REDIS);
        return Map.of("quarkus.redis.hosts", ports.redisHosts());
    }

    /** Leaves the server running: other test classes and modules share it, and {@code ./tidings test} stops it. */
    @Override
    public void stop() {
    }
}
