package io.tidings.history.store;

import io.quarkus.logging.Log;
import io.tidings.history.config.HBaseConfig;
import io.tidings.history.config.HistoryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.apache.hadoop.hbase.client.Connection;

/**
 * The HBase connection of history-svc, shared by the ingest writer and the query reader. The
 * readiness probe uses its own connection with shorter timeouts (see {@link HBaseProbe}).
 */
@ApplicationScoped
public class HistoryStore {

    private final Connection connection;
    private final HistoryTable table;

    public HistoryStore(HBaseConfig hbase, HistoryConfig history) {
        this.connection = HBaseConnections.open(
                hbase, hbase.rpcTimeout(), hbase.operationTimeout(), hbase.clientRetries());
        this.table = new HistoryTable(history.table());
        Log.infof("HBase client for ZooKeeper quorum %s (znode %s), table %s",
                hbase.zookeeperQuorum(), hbase.znodeParent(), table.name());
    }

    public Connection connection() {
        return connection;
    }

    public HistoryTable table() {
        return table;
    }

    @PreDestroy
    void close() {
        try {
            connection.close();
        } catch (IOException e) {
            Log.warnf(e, "Closing the HBase connection failed");
        }
    }
}
