package io.tidings.connector.session;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.connectFrame;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.CloseReason;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RawSocket;
import io.tidings.connector.support.RecordingListener;
import io.tidings.connector.support.TestClients;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.server.RevokeTokensRequest;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Ping;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class SessionLifecycleTest {

    @Inject
    SessionRegistry registry;

    @Inject
    SessionTable table;

    @Inject
    SessionCloser closer;

    @Inject
    RedisDataSource redis;

    @Inject
    MeterRegistry meters;

    @Test
    void leaseIsRenewedWhileConnected() throws Exception {
        String userId = uniqueId("lease");
        String device = uniqueId("dev");
        try (TidingsClient client = client(issueToken(userId), device, Platform.WEB, new RecordingListener())) {
            client.connect().get(20, TimeUnit.SECONDS);
            long firstLease = entry(userId, device).getLeaseExpiresAt();

            // lease-refresh-interval is 2 s in the test profile.
            await().atMost(Duration.ofSeconds(15)).until(() -> entry(userId, device).getLeaseExpiresAt() > firstLease);
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void takenRegistryEntryEndsSessionAtRenewal() throws Exception {
        String userId = uniqueId("taken");
        String device = uniqueId("dev");
        RecordingListener listener = new RecordingListener();
        try (TidingsClient client = client(issueToken(userId), device, Platform.IOS, listener)) {
            client.connect().get(20, TimeUnit.SECONDS);
            // A newer login elsewhere whose kick message was lost.
            registry.put(userId, device, SessionEntry.newBuilder().setSessionId("newer").setPlatform(Platform.IOS)
                    .setConnectorAddress("127.0.0.1:1").setLeaseExpiresAt(System.currentTimeMillis() + 30_000).build(),
                    Duration.ofSeconds(30)).await().atMost(Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(15)).until(() -> client.state() == ConnectionState.KICKED);
            assertThat(listener.kicks).extracting(Kicked::getReason).containsExactly(Kicked.Reason.NEW_LOGIN);
            assertThat(entry(userId, device).getSessionId()).isEqualTo("newer");
        }
    }

    @Test
    void revocationFromOtherConnectorClosesSession() throws Exception {
        String userId = uniqueId("revoked");
        RecordingListener listener = new RecordingListener();
        try (TidingsClient client = client(issueToken(userId), uniqueId("dev"), Platform.WEB, listener)) {
            client.connect().get(20, TimeUnit.SECONDS);
            redis.pubsub(String.class).publish("tidings:connector:revocations",
                    userId + "|" + (System.currentTimeMillis() + 1));

            await().atMost(Duration.ofSeconds(1)).until(() -> client.state() == ConnectionState.KICKED);
            assertThat(listener.kicks).extracting(Kicked::getReason).containsExactly(Kicked.Reason.TOKEN_REVOKED);
        }
    }

    @Test
    void lostConnectionReconnectsWithNewSession() throws Exception {
        String userId = uniqueId("lost");
        RecordingListener listener = new RecordingListener();
        try (TidingsClient client = client(issueToken(userId), uniqueId("dev"), Platform.DESKTOP, listener)) {
            String firstSession = client.connect().get(20, TimeUnit.SECONDS).getSessionId();
            ClientSession session = table.findBySessionId(userId, firstSession);
            closer.close(session, new CloseReason(1001, "test drops the connection"));

            await().atMost(Duration.ofSeconds(15)).until(() -> client.state() == ConnectionState.CONNECTED
                    && !client.connectReply().getSessionId().equals(firstSession));
            assertThat(listener.states).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                    ConnectionState.CONNECTED);
        }
    }

    @Test
    void secondConnectIsAlreadyConnected() throws Exception {
        String token = issueToken(uniqueId("twice"));
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(token, uniqueId("dev"), Platform.WEB, 1));
        assertThat(raw.next(10).hasConnected()).isTrue();

        raw.send(connectFrame(token, uniqueId("dev"), Platform.WEB, 1));
        Frame reply = raw.next(10);
        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.ALREADY_CONNECTED);
        raw.send(Frame.newBuilder().setRequestId(2).setPing(Ping.getDefaultInstance()).build());
        assertThat(raw.next(10).hasPong()).isTrue();
        raw.abort();
    }

    @Test
    void metersCountFramesFailuresAndKicks() throws Exception {
        double framesIn = counter("tidings.connector.frames.in");
        double bytesOut = counter("tidings.connector.bytes.out");
        double expired = taggedCounter("tidings.connector.auth.failures", "code", ErrorCode.TOKEN_EXPIRED.name());
        double revokedKicks = taggedCounter("tidings.connector.kicks", "reason", Kicked.Reason.TOKEN_REVOKED.name());

        String userId = uniqueId("meter");
        try (TidingsClient client = client(issueToken(userId), uniqueId("dev"), Platform.WEB, new RecordingListener())) {
            client.connect().get(20, TimeUnit.SECONDS);
            client.request(Frame.newBuilder().setPing(Ping.getDefaultInstance())).get(20, TimeUnit.SECONDS);
            TestClients.auth(TestClients.appSecret())
                    .revokeTokens(RevokeTokensRequest.newBuilder().setUserId(userId).build());
            await().atMost(Duration.ofSeconds(5)).until(() -> client.state() == ConnectionState.KICKED);
        }
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(expiredToken(), uniqueId("dev"), Platform.WEB, 1));
        assertThat(raw.next(10).getError().getCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED);

        assertThat(counter("tidings.connector.frames.in")).isGreaterThanOrEqualTo(framesIn + 3);
        assertThat(counter("tidings.connector.bytes.out")).isGreaterThan(bytesOut);
        assertThat(taggedCounter("tidings.connector.auth.failures", "code", "TOKEN_EXPIRED")).isEqualTo(expired + 1);
        assertThat(taggedCounter("tidings.connector.kicks", "reason", "TOKEN_REVOKED")).isEqualTo(revokedKicks + 1);
    }

    private SessionEntry entry(String userId, String device) {
        return registry.liveSessions(userId).await().atMost(Duration.ofSeconds(5)).get(device);
    }

    private double counter(String name) {
        return meters.find(name).counter().count();
    }

    private double taggedCounter(String name, String tag, String value) {
        Counter counter = meters.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String expiredToken() throws Exception {
        byte[] key = Base64.getDecoder().decode(ConfigProvider.getConfig()
                .getValue("tidings.connector.token.keys.test1", String.class));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("test1").build(),
                new JWTClaimsSet.Builder().issuer("tidings").subject("expired-user")
                        .expirationTime(new Date(System.currentTimeMillis() - 1000)).build());
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
