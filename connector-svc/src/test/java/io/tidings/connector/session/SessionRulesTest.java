package io.tidings.connector.session;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.connectFrame;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RawSocket;
import io.tidings.connector.support.RecordingListener;
import io.tidings.connector.support.TestClients;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class SessionRulesTest {

    @Inject
    MeterRegistry meters;

    @Inject
    SessionRegistry registry;

    @Inject
    RedisDataSource redis;

    @Test
    void silentClientIsClosedAndGaugeDrops() throws Exception {
        double before = webSessions();
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(issueToken(uniqueId("quinn")), uniqueId("dev"), Platform.WEB, 1));
        assertThat(raw.next(10).hasConnected()).isTrue();
        assertThat(webSessions()).isEqualTo(before + 1);

        // Heartbeat interval is 2 s in the test profile: closed after 5 s of silence.
        long start = System.nanoTime();
        int code = raw.awaitClose(20);
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(code).isEqualTo(1001);
        assertThat(silentMs).isGreaterThanOrEqualTo(4500);
        await().atMost(Duration.ofSeconds(5)).until(() -> webSessions() == before);
    }

    @Test
    void vanishedPeerIsDroppedFromGauge() throws Exception {
        double before = webSessions();
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(issueToken(uniqueId("rita")), uniqueId("dev"), Platform.WEB, 1));
        assertThat(raw.next(10).hasConnected()).isTrue();
        raw.abort();

        await().atMost(Duration.ofSeconds(15)).until(() -> webSessions() == before);
    }

    @Test
    void pingingClientStaysConnected() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TidingsClient client = client(issueToken(uniqueId("sam")), uniqueId("dev"), Platform.WEB, listener)) {
            client.connect().get(20, TimeUnit.SECONDS);
            Thread.sleep(7000);
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(listener.states).doesNotContain(ConnectionState.RECONNECTING);
        }
    }

    @Test
    void sameClassLoginKicksOlderSession() throws Exception {
        String userId = uniqueId("tom");
        RecordingListener oldListener = new RecordingListener();
        String newDevice = uniqueId("pixel");
        String browserDevice = uniqueId("browser");
        try (TidingsClient iphone = client(issueToken(userId), uniqueId("iphone"), Platform.IOS, oldListener);
                TidingsClient browser = client(issueToken(userId), browserDevice, Platform.WEB, new RecordingListener());
                TidingsClient pixel = client(issueToken(userId), newDevice, Platform.ANDROID, new RecordingListener())) {
            iphone.connect().get(20, TimeUnit.SECONDS);
            browser.connect().get(20, TimeUnit.SECONDS);
            pixel.connect().get(20, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(5)).until(() -> iphone.state() == ConnectionState.KICKED);
            assertThat(oldListener.kicks).containsExactly(Kicked.newBuilder().setReason(Kicked.Reason.NEW_LOGIN)
                    .setByPlatform(Platform.ANDROID).setByDeviceId(newDevice).build());
            assertThat(browser.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(pixel.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5)))
                    .containsOnlyKeys(newDevice, browserDevice);
        }
    }

    @Test
    void sameDeviceReloginReplacesOldSocket() throws Exception {
        String userId = uniqueId("uma");
        String device = uniqueId("dev");
        try (TidingsClient first = client(issueToken(userId), device, Platform.DESKTOP, new RecordingListener());
                TidingsClient second = client(issueToken(userId), device, Platform.DESKTOP, new RecordingListener())) {
            first.connect().get(20, TimeUnit.SECONDS);
            String secondSession = second.connect().get(20, TimeUnit.SECONDS).getSessionId();

            await().atMost(Duration.ofSeconds(5)).until(() -> first.state() == ConnectionState.KICKED);
            assertThat(registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5)).get(device).getSessionId())
                    .isEqualTo(secondSession);
        }
    }

    @Test
    void displacedSessionOnOtherConnectorGetsKickMessage() throws Exception {
        String userId = uniqueId("vic");
        String otherConnector = "127.0.0.1:1";
        List<String> published = new CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class)
                .subscribe("tidings:connector:kicks:" + otherConnector, published::add);
        try {
            long lease = System.currentTimeMillis() + 30_000;
            registry.put(userId, "old-browser", SessionEntry.newBuilder().setSessionId("remote-session")
                    .setPlatform(Platform.WEB).setConnectorAddress(otherConnector).setLeaseExpiresAt(lease).build(),
                    Duration.ofSeconds(30)).await().atMost(Duration.ofSeconds(5));
            String newDevice = uniqueId("browser");
            try (TidingsClient client = client(issueToken(userId), newDevice, Platform.WEB, new RecordingListener())) {
                client.connect().get(20, TimeUnit.SECONDS);

                await().atMost(Duration.ofSeconds(5)).until(() -> !published.isEmpty());
                assertThat(published).containsExactly(userId + "|remote-session|NEW_LOGIN|WEB|" + newDevice);
                assertThat(registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5))).containsOnlyKeys(newDevice);
            }
        } finally {
            subscriber.unsubscribe();
        }
    }

    @Test
    void kickMessageFromOtherConnectorEndsLocalSession() throws Exception {
        String userId = uniqueId("wes");
        RecordingListener listener = new RecordingListener();
        try (TidingsClient client = client(issueToken(userId), uniqueId("dev"), Platform.IOS, listener)) {
            String sessionId = client.connect().get(20, TimeUnit.SECONDS).getSessionId();
            redis.pubsub(String.class).publish("tidings:connector:kicks:127.0.0.1:" + TestClients.port(),
                    userId + "|" + sessionId + "|NEW_LOGIN|ANDROID|pixel-9");

            await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.KICKED);
            assertThat(listener.kicks.get(0).getByDeviceId()).isEqualTo("pixel-9");
        }
    }

    @Test
    void tooManyConnectionsIsRejected() throws Exception {
        String userId = uniqueId("xena");
        long lease = System.currentTimeMillis() + 30_000;
        // max-connections-per-user is 4 in the test profile; four live web entries fill it.
        for (int i = 0; i < 4; i++) {
            registry.put(userId, "web-" + i, SessionEntry.newBuilder().setSessionId("s" + i).setPlatform(Platform.WEB)
                    .setConnectorAddress("127.0.0.1:1").setLeaseExpiresAt(lease).build(), Duration.ofSeconds(30))
                    .await().atMost(Duration.ofSeconds(5));
        }
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(issueToken(userId), uniqueId("mac"), Platform.DESKTOP, 1));

        Frame reply = raw.next(10);
        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
        assertThat(reply.getError().getMessage()).contains("4 live sessions");
        assertThat(raw.awaitClose(10)).isEqualTo(1008);
    }

    @Test
    void staleEntryOfSameDeviceNeverBlocksLogin() throws Exception {
        String userId = uniqueId("yuri");
        String device = uniqueId("dev");
        long lease = System.currentTimeMillis() + 30_000;
        for (int i = 0; i < 3; i++) {
            registry.put(userId, "web-" + i, SessionEntry.newBuilder().setSessionId("s" + i).setPlatform(Platform.WEB)
                    .setConnectorAddress("127.0.0.1:1").setLeaseExpiresAt(lease).build(), Duration.ofSeconds(30))
                    .await().atMost(Duration.ofSeconds(5));
        }
        registry.put(userId, device, SessionEntry.newBuilder().setSessionId("dead").setPlatform(Platform.IOS)
                .setConnectorAddress("127.0.0.1:1").setLeaseExpiresAt(lease).build(), Duration.ofSeconds(30))
                .await().atMost(Duration.ofSeconds(5));

        try (TidingsClient client = client(issueToken(userId), device, Platform.IOS, new RecordingListener())) {
            String sessionId = client.connect().get(20, TimeUnit.SECONDS).getSessionId();
            assertThat(registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5)).get(device).getSessionId())
                    .isEqualTo(sessionId);
        }
    }

    private double webSessions() {
        return meters.find("tidings.connector.sessions").tag("platform", "web").gauge().value();
    }
}
