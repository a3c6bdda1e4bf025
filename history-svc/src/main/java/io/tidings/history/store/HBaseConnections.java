package io.tidings.history.store;

import io.tidings.history.config.HBaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.HConstants;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/** Opens HBase client connections from {@link HBaseConfig}. */
final class HBaseConnections {

    private HBaseConnections() {
    }

    /**
     * Opens a connection with the given timeouts. The HBase client contacts ZooKeeper lazily, so
     * this succeeds while the cluster is down and the first operation fails instead.
     */
    static Connection open(HBaseConfig config, Duration rpcTimeout, Duration operationTimeout, int retries) {
        Configuration conf = HBaseConfiguration.create();
        // Entries of the quorum may carry their own port (host:port), which HBase 2 accepts.
        conf.set(HConstants.ZOOKEEPER_QUORUM, config.zookeeperQuorum());
        conf.set(HConstants.ZOOKEEPER_ZNODE_PARENT, config.znodeParent());
        conf.setInt(HConstants.HBASE_RPC_TIMEOUT_KEY, millis(rpcTimeout));
        conf.setInt(HConstants.HBASE_CLIENT_OPERATION_TIMEOUT, millis(operationTimeout));
        conf.setInt(HConstants.HBASE_CLIENT_META_OPERATION_TIMEOUT, millis(operationTimeout));
        conf.setInt(HConstants.HBASE_CLIENT_SCANNER_TIMEOUT_PERIOD, millis(operationTimeout));
        conf.setInt(HConstants.HBASE_CLIENT_RETRIES_NUMBER, retries);
        conf.setLong(HConstants.HBASE_CLIENT_PAUSE, 100);
        // The default of 30 ZooKeeper retries blocks a caller for minutes while the cluster is
        // down. The ingest loop and the readiness probe retry on their own instead.
        conf.setInt("zookeeper.recovery.retry", 1);
        conf.setInt("zookeeper.recovery.retry.intervalmill", 200);
        try {
            return ConnectionFactory.createConnection(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("failed to create the HBase client for ZooKeeper quorum "
                    + config.zookeeperQuorum() + ": " + e.getMessage(), e);
        }
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
