package io.tidings.e2e.suite;

import io.tidings.testsupport.DedicatedServer;
import io.tidings.testsupport.RealServers;
import io.tidings.testsupport.Server;
import io.tidings.testsupport.ServerPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The five Tidings services as real processes on free loopback ports, pointed at the shared test
 * Redis and HBase and at a Kafka of the suite's own. Each service runs with the {@code local}
 * profile, as under {@code ./tidings up}. Close it to stop every service it started.
 *
 * <p>The suite's own Kafka starts with empty topics and consumer groups. On the shared Kafka the
 * services' consumer groups would first work through every record that the services' own tests
 * left in tidings.messages and tidings.push.
 */
public final class Suite implements AutoCloseable {

    /** The services in start order: routing before the services that call it. */
    public static final List<String> SERVICES =
            List.of("offline-svc", "routing-svc", "history-svc", "push-svc", "connector-svc");

    /** The app secret of the local profile, which the services' application.properties set. */
    public static final String APP_SECRET = "local-dev-app-secret-change-me";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final ServerPorts infra;
    private final DedicatedServer kafka;

    private Suite(ServerPorts infra, DedicatedServer kafka, Map<String, Integer> ports, Path logDir) {
        this.infra = infra;
        this.kafka = kafka;
        Path root = RealServers.repoRoot();
        for (String service : SERVICES) {
            List<String> properties = new ArrayList<>();
            properties.add("-Dquarkus.http.host=127.0.0.1");
            properties.add("-Dquarkus.http.port=" + ports.get(service));
            properties.add("-Dquarkus.redis.hosts=" + infra.redisHosts());
            properties.add("-Dkafka.bootstrap.servers=" + kafka.ports().kafkaBootstrapServers());
            properties.add("-Dtidings.hbase.zookeeper-quorum=" + infra.hbaseZookeeperQuorum());
            properties.add("-Dtidings.connector.advertised-address=127.0.0.1:" + ports.get("connector-svc"));
            for (String client : List.of("routing", "offline", "history", "push", "connector")) {
                properties.add("-Dquarkus.grpc.clients." + client + ".host=127.0.0.1");
                properties.add("-Dquarkus.grpc.clients." + client + ".port=" + ports.get(client + "-svc"));
            }
            // The message-path tests send hundreds of messages per second from one device, far above
            // the per-connection rate limit meant for people. connector-svc's own tests cover that limit.
            properties.add("-Dtidings.connector.limits.operations-per-second=5000");
            properties.add("-Dtidings.connector.limits.operations-burst=10000");
            Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
            services.put(service, new ServiceProcess(
                    service, ports.get(service), jar, logDir.resolve(service + ".log"), properties));
        }
    }

    /**
     * Starts the shared test servers if needed, then the five services, and waits until each is
     * ready. Logs go to {@code target/suite-logs/<name>/} of the calling module.
     */
    public static Suite start(String name) {
        ServerPorts infra = RealServers.shared(Server.REDIS, Server.HBASE);
        DedicatedServer kafka = RealServers.dedicated(Server.KAFKA);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            ports.put(service, freePort());
        }
        Suite suite = new Suite(infra, kafka, ports, Path.of("target", "suite-logs", name).toAbsolutePath());
        try {
            for (ServiceProcess service : suite.services.values()) {
                service.start(READY_TIMEOUT);
            }
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    public ServiceProcess service(String name) {
        ServiceProcess service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("unknown service '" + name + "'; expected one of " + SERVICES);
        }
        return service;
    }

    public ServerPorts infra() {
        return infra;
    }

    /** Returns the suite's own Kafka, which a test may stop and start. */
    public DedicatedServer kafka() {
        return kafka;
    }

    /** Returns the WebSocket URL of the connector. */
    public String webSocketUrl() {
        return "ws://127.0.0.1:" + service("connector-svc").port() + "/ws";
    }

    /** Returns host:port of a service's gRPC server (the HTTP port). */
    public String grpcAddress(String name) {
        return "127.0.0.1:" + service(name).port();
    }

    /** Kills a service with SIGKILL and starts it again on the same port. */
    public void crashAndRestart(String name) {
        ServiceProcess service = service(name);
        service.kill();
        service.start(READY_TIMEOUT);
    }

    /** Stops a service with SIGTERM, as a rolling upgrade does, and starts it again. */
    public void restart(String name) {
        ServiceProcess service = service(name);
        service.stop(Duration.ofSeconds(40));
        service.start(READY_TIMEOUT);
    }

    @Override
    public void close() {
        List<ServiceProcess> reverse = new ArrayList<>(services.values());
        java.util.Collections.reverse(reverse);
        for (ServiceProcess service : reverse) {
            service.stop(Duration.ofSeconds(30));
        }
        kafka.close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
