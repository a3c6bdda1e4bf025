package io.tidings.history.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Connection to the HBase cluster that stores conversation history. */
@ConfigMapping(prefix = "tidings.hbase")
public interface HBaseConfig {

    /** ZooKeeper ensemble of the HBase cluster, as a comma-separated host:port list. */
    @WithDefault("127.0.0.1:2181")
    String zookeeperQuorum();

    /** Root znode of the HBase cluster in ZooKeeper. */
    @WithDefault("/hbase")
    String znodeParent();

    /** Timeout of one RPC to a region server or the master. */
    @WithDefault("5s")
    Duration rpcTimeout();

    /** Timeout of one client operation (a batch flush, a Get), retries included. */
    @WithDefault("15s")
    Duration operationTimeout();

    /** Retries of one client operation before it fails; the ingest loop retries after that. */
    @WithDefault("3")
    int clientRetries();
}
