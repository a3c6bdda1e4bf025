package io.tidings.push.health;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.tidings.push.fake.FakeProviders;
import io.tidings.testsupport.DedicatedServer;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RealServers;
import io.tidings.testsupport.Server;
import java.util.List;
import java.util.Map;

/**
 * Runs push-svc against a private Redis that a test may stop and start, the shared test Kafka and
 * the fake providers (which also give the test its own consumer group).
 */
public class DedicatedRedisProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(
                new TestResourceEntry(DedicatedRedis.class),
                new TestResourceEntry(KafkaResource.class),
                new TestResourceEntry(FakeProviders.class));
    }

    /** Starts the private Redis before the application and closes it after. */
    public static class DedicatedRedis implements QuarkusTestResourceLifecycleManager {

        private static volatile DedicatedServer server;

        /** Returns the running server of the current test application. */
        public static DedicatedServer server() {
            return server;
        }

        @Override
        public Map<String, String> start() {
            server = RealServers.dedicated(Server.REDIS);
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + server.port());
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
