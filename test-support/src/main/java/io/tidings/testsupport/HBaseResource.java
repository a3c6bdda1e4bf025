package io.tidings.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus test at the shared test HBase (see {@link RealServers#shared(Server...)}),
 * starting it if needed, by setting {@code tidings.hbase.zookeeper-quorum}.
 * Use with {@code @WithTestResource(HBaseResource.class)}.
 */
public class HBaseResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        ServerPorts ports = RealServers.shared(Server.HBASE);
        return Map.of("tidings.hbase.zookeeper-quorum", ports.hbaseZookeeperQuorum());
    }

    /** Leaves the server running: other test classes and modules share it, and {@code ./tidings test} stops it. */
    @Override
    public void stop() {
    }
}
