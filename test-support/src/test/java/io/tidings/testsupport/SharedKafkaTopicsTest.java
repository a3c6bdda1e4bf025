package io.tidings.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Starts the shared Kafka through scripts/infra.sh and checks the topics it creates. */
class SharedKafkaTopicsTest {

    @Test
    void sharedKafkaHasTidingsTopics() throws Exception {
        ServerPorts ports = RealServers.shared(Server.KAFKA);
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ports.kafkaBootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);

        try (Admin admin = Admin.create(config)) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(names.contains("tidings.messages"), "topics: " + names);
            assertTrue(names.contains("tidings.push"), "topics: " + names);
            assertTrue(names.contains("tidings.groups"), "topics: " + names);

            Map<String, TopicDescription> topics = admin
                    .describeTopics(List.of("tidings.messages", "tidings.push", "tidings.groups"))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            assertEquals(8, topics.get("tidings.messages").partitions().size(), "tidings.messages partitions");
            assertEquals(8, topics.get("tidings.push").partitions().size(), "tidings.push partitions");
            assertEquals(4, topics.get("tidings.groups").partitions().size(), "tidings.groups partitions");

            ConfigResource groups = new ConfigResource(ConfigResource.Type.TOPIC, "tidings.groups");
            Config groupsConfig = admin.describeConfigs(List.of(groups)).all().get(30, TimeUnit.SECONDS).get(groups);
            assertEquals("compact", groupsConfig.get("cleanup.policy").value(), "tidings.groups cleanup.policy");
        }
    }

    @Test
    void sharedIsIdempotentWithinJvm() {
        ServerPorts first = RealServers.shared(Server.KAFKA);
        ServerPorts second = RealServers.shared(Server.KAFKA);
        assertEquals(first, second);
    }
}
