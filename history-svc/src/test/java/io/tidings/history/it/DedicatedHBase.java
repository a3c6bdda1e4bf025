package io.tidings.history.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.tidings.testsupport.DedicatedServer;
import io.tidings.testsupport.RealServers;
import io.tidings.testsupport.Server;
import java.util.Map;

/**
 * A private HBase for tests that stop it: the shared test HBase must keep running for the other
 * tests that use it at the same time.
 */
public class DedicatedHBase implements QuarkusTestResourceLifecycleManager {

    private static volatile DedicatedServer server;

    /** Returns the running instance, for tests that stop and start it. */
    public static DedicatedServer server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = RealServers.dedicated(Server.HBASE);
        return Map.of("tidings.hbase.zookeeper-quorum", server.ports().hbaseZookeeperQuorum());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
