package io.tidings.testsupport;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State dir and ports of one set of servers run by {@code scripts/infra.sh}, all on 127.0.0.1.
 *
 * @param stateDir data, config, pid files and logs of the servers
 * @param redis Redis port
 * @param kafka Kafka broker (PLAINTEXT) port
 * @param kafkaController Kafka KRaft controller port
 * @param zookeeper client port of the ZooKeeper embedded in HBase
 * @param hbaseMaster HBase master RPC port
 * @param hbaseRegionServer HBase region server RPC port
 */
public record ServerPorts(
        Path stateDir,
        int redis,
        int kafka,
        int kafkaController,
        int zookeeper,
        int hbaseMaster,
        int hbaseRegionServer) {

    /** Returns the value for {@code quarkus.redis.hosts}. */
    public String redisHosts() {
        return "redis://127.0.0.1:" + redis;
    }

    /** Returns the value for {@code kafka.bootstrap.servers}. */
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + kafka;
    }

    /** Returns the value for {@code tidings.hbase.zookeeper-quorum}, because HBase clients find the cluster through ZooKeeper. */
    public String hbaseZookeeperQuorum() {
        return "127.0.0.1:" + zookeeper;
    }

    /** Returns the port that clients of the server connect to (for HBase, the master RPC port). */
    public int clientPort(Server server) {
        return switch (server) {
            case REDIS -> redis;
            case KAFKA -> kafka;
            case HBASE -> hbaseMaster;
        };
    }

    /** Returns the environment variables that make {@code scripts/infra.sh} use this state dir and these ports. */
    public Map<String, String> infraEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TIDINGS_STATE_DIR", stateDir.toString());
        environment.put("TIDINGS_REDIS_PORT", Integer.toString(redis));
        environment.put("TIDINGS_KAFKA_PORT", Integer.toString(kafka));
        environment.put("TIDINGS_KAFKA_CONTROLLER_PORT", Integer.toString(kafkaController));
        environment.put("TIDINGS_ZK_PORT", Integer.toString(zookeeper));
        environment.put("TIDINGS_HBASE_MASTER_PORT", Integer.toString(hbaseMaster));
        environment.put("TIDINGS_HBASE_REGIONSERVER_PORT", Integer.toString(hbaseRegionServer));
        return environment;
    }
}
