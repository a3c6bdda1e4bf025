package io.tidings.connector.session;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RecordingListener;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 1,000 SDK clients on one connector at once; they share one HttpClient (one selector thread). */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class ManyConnectionsTest {

    private static final int CLIENTS = 1000;

    @Inject
    MeterRegistry meters;

    @Inject
    SessionTable table;

    @Inject
    SessionRegistry registry;

    @Test
    void thousandClientsConnectAndCloseCleanly() throws Exception {
        double before = desktopSessions();
        String prefix = uniqueId("many");
        List<String> users = new ArrayList<>();
        List<TidingsClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            String userId = prefix + "-" + i;
            users.add(userId);
            clients.add(client(issueToken(userId), "desk-" + i, Platform.DESKTOP, new RecordingListener()));
        }

        List<CompletableFuture<?>> connects = new ArrayList<>();
        for (TidingsClient client : clients) {
            connects.add(client.connect());
        }
        CompletableFuture.allOf(connects.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);

        // Awaited rather than asserted once: on a loaded machine a client may miss its heartbeat
        // window, be closed and reconnect, and is then briefly absent from the gauge and registry.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(clients).allMatch(c -> c.state() == ConnectionState.CONNECTED);
            assertThat(desktopSessions()).isEqualTo(before + CLIENTS);
            assertThat(registryEntries(users)).as("registry entries per user").containsOnly(1);
        });

        for (TidingsClient client : clients) {
            client.close();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> desktopSessions() == before);
        assertThat(clients).allMatch(c -> c.state() == ConnectionState.CLOSED);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(registryEntries(users)).as("registry entries after close").containsOnly(0));
        assertThat(table.all()).noneMatch(s -> s.userId() != null && s.userId().startsWith(prefix));
    }

    private List<Integer> registryEntries(List<String> users) {
        List<Uni<Integer>> counts = new ArrayList<>();
        for (String userId : users) {
            counts.add(registry.liveSessions(userId).map(live -> live.size()));
        }
        return Uni.join().all(counts).andFailFast().await().atMost(Duration.ofSeconds(60));
    }

    private double desktopSessions() {
        return meters.find("tidings.connector.sessions").tag("platform", "desktop").gauge().value();
    }
}
