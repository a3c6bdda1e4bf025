package io.tidings.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis, Kafka, HBase and gRPC addresses, as the services read them from their ConfigMaps. */
class ExternalServersTest {

    @Test
    void redisStandaloneByDefault() {
        Manifests manifests = TidingsChart.render();

        for (String component : new String[] {"connector", "routing", "offline", "push"}) {
            assertThat(manifests.configEnv(component))
                    .containsEntry("QUARKUS_REDIS_HOSTS", "redis://redis-master:6379")
                    .containsEntry("QUARKUS_REDIS_CLIENT_TYPE", "standalone")
                    .doesNotContainKey("QUARKUS_REDIS_MASTER_NAME");
        }
        assertThat(manifests.configEnv("history")).doesNotContainKey("QUARKUS_REDIS_HOSTS");
    }

    @Test
    void redisSentinelSetsMasterName() {
        Manifests manifests = TidingsChart.renderWith("""
                redis:
                  mode: sentinel
                  hosts:
                    - redis://sentinel-0:26379
                    - redis://sentinel-1:26379
                  masterName: chat-master
                """);

        assertThat(manifests.configEnv("offline"))
                .containsEntry("QUARKUS_REDIS_HOSTS", "redis://sentinel-0:26379,redis://sentinel-1:26379")
                .containsEntry("QUARKUS_REDIS_CLIENT_TYPE", "sentinel")
                .containsEntry("QUARKUS_REDIS_MASTER_NAME", "chat-master")
                .containsEntry("QUARKUS_REDIS_ROLE", "master");
    }

    @Test
    void redisClusterSetsClientType() {
        Manifests manifests = TidingsChart.renderWith("""
                redis:
                  mode: cluster
                  hosts: [redis://node-0:6379, redis://node-1:6379, redis://node-2:6379]
                """);

        assertThat(manifests.configEnv("routing"))
                .containsEntry("QUARKUS_REDIS_CLIENT_TYPE", "cluster")
                .containsEntry("QUARKUS_REDIS_HOSTS", "redis://node-0:6379,redis://node-1:6379,redis://node-2:6379");
    }

    @Test
    void redisTlsTrustsMountedCa() {
        Manifests manifests = TidingsChart.renderWith("""
                redis:
                  hosts: [rediss://redis.example.internal:6380]
                  tlsCaSecret: redis-ca
                """);

        assertThat(manifests.configEnv("push"))
                .containsEntry("QUARKUS_REDIS_TLS_TRUST_CERTIFICATE_PEM", "true")
                .containsEntry("QUARKUS_REDIS_TLS_TRUST_CERTIFICATE_PEM_CERTS", "/etc/tidings/redis-tls/ca.crt");
        JsonNode pod = Manifests.podSpec(manifests.deployment("push"));
        assertThat(pod.path("volumes").findValuesAsText("secretName")).contains("redis-ca");
    }

    @Test
    void kafkaPlaintextByDefault() {
        Manifests manifests = TidingsChart.render();

        for (String component : TidingsChart.COMPONENTS) {
            assertThat(manifests.configEnv(component))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
                    .doesNotContainKey("KAFKA_SASL_MECHANISM");
            assertThat(Manifests.env(Manifests.container(manifests.deployment(component))))
                    .doesNotContainKey("KAFKA_SASL_JAAS_CONFIG");
        }
    }

    @Test
    void kafkaSaslSslSetsClientProperties() {
        Manifests manifests = TidingsChart.renderWith("""
                kafka:
                  bootstrapServers: b-1.example:9096,b-2.example:9096
                  securityProtocol: SASL_SSL
                  sasl:
                    mechanism: SCRAM-SHA-256
                    jaasConfig: org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
                  tlsCaSecret: msk-ca
                  config:
                    client.rack: zone-a
                """);

        for (String component : TidingsChart.COMPONENTS) {
            assertThat(manifests.configEnv(component))
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "b-1.example:9096,b-2.example:9096")
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-256")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
                    .containsEntry("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tidings/kafka-tls/ca.crt")
                    .containsEntry("KAFKA_CLIENT_RACK", "zone-a");
            JsonNode jaas = Manifests.env(Manifests.container(manifests.deployment(component))).get("KAFKA_SASL_JAAS_CONFIG");
            assertThat(jaas.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo(TidingsChart.FULLNAME + "-kafka-sasl");
        }
    }

    @Test
    void hbaseOnlyForHistory() {
        Manifests manifests = TidingsChart.renderWith("""
                hbase:
                  zookeeperQuorum: zk-0:2181,zk-1:2181,zk-2:2181
                  znodeParent: /hbase-unsecure
                """);

        assertThat(manifests.configEnv("history"))
                .containsEntry("TIDINGS_HBASE_ZOOKEEPER_QUORUM", "zk-0:2181,zk-1:2181,zk-2:2181")
                .containsEntry("TIDINGS_HBASE_ZNODE_PARENT", "/hbase-unsecure");
        for (String component : new String[] {"connector", "routing", "offline", "push"}) {
            assertThat(manifests.configEnv(component)).doesNotContainKey("TIDINGS_HBASE_ZOOKEEPER_QUORUM");
        }
    }

    @Test
    void grpcClientsUseHeadlessServices() {
        Manifests manifests = TidingsChart.render();

        Map<String, String> connector = manifests.configEnv("connector");
        assertThat(connector)
                .containsEntry("QUARKUS_GRPC_CLIENTS_ROUTING_HOST", TidingsChart.componentName("routing") + "-headless")
                .containsEntry("QUARKUS_GRPC_CLIENTS_ROUTING_PORT", "8080")
                .containsEntry("QUARKUS_GRPC_CLIENTS_ROUTING_LOAD_BALANCING_POLICY", "round_robin")
                .containsKeys("QUARKUS_GRPC_CLIENTS_OFFLINE_HOST", "QUARKUS_GRPC_CLIENTS_HISTORY_HOST",
                        "QUARKUS_GRPC_CLIENTS_PUSH_HOST");
        JsonNode headless = manifests.get("Service", TidingsChart.componentName("routing") + "-headless");
        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(headless.at("/spec/selector/app.kubernetes.io~1component").asText()).isEqualTo("routing");
    }

    @Test
    void grpcClientsCanUseClusterIp() {
        Manifests manifests = TidingsChart.renderWith("""
                grpcClients:
                  loadBalancingPolicy: pick_first
                  headlessServices: false
                """);

        assertThat(manifests.configEnv("routing"))
                .containsEntry("QUARKUS_GRPC_CLIENTS_OFFLINE_HOST", TidingsChart.componentName("offline"))
                .containsEntry("QUARKUS_GRPC_CLIENTS_OFFLINE_LOAD_BALANCING_POLICY", "pick_first");
        assertThat(manifests.find("Service", TidingsChart.componentName("offline") + "-headless")).isEmpty();
    }

    @Test
    void configMapBecomesEnvironment() {
        Manifests manifests = TidingsChart.renderWith("""
                offline:
                  config:
                    tidings.offline.retention-days: 5
                    quarkus.log.category."io.tidings".level: DEBUG
                """);

        assertThat(manifests.configEnv("offline"))
                .containsEntry("TIDINGS_OFFLINE_RETENTION_DAYS", "5")
                .containsEntry("QUARKUS_LOG_CATEGORY__IO_TIDINGS__LEVEL", "DEBUG");
        assertThat(manifests.configEnv("routing")).doesNotContainKey("TIDINGS_OFFLINE_RETENTION_DAYS");
    }
}
