package io.tidings.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a Quarkus test at the shared test Kafka (see {@link RealServers#shared(Server...)}),
 * starting it if needed, by setting {@code kafka.bootstrap.servers}.
 * Use with {@code @WithTestResource(KafkaResource.class)}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        ServerPorts ports = RealServers.shared(Server.KAFKA);
        return Map.of("kafka.bootstrap.servers", ports.kafkaBootstrapServers());
    }

    /** Leaves the server running: other test classes and modules share it, and {@code ./tidings test} stops it. */
    @Override
    public void stop() {
    }
}
