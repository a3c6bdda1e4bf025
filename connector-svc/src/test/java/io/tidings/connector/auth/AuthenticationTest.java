package io.tidings.connector.auth;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.connectFrame;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsClientException;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RawSocket;
import io.tidings.connector.support.RecordingListener;
import io.tidings.connector.support.TestClients;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.server.RevokeTokensReply;
import io.tidings.protocol.server.RevokeTokensRequest;
import io.tidings.protocol.v1.ConnectReply;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Ping;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.GrpcErrors;
import io.tidings.testsupport.RedisResource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class AuthenticationTest {

    @Test
    void issuedTokenConnects() throws Exception {
        String userId = uniqueId("alice");
        long before = System.currentTimeMillis();
        try (TidingsClient alice = client(issueToken(userId), uniqueId("dev"), Platform.IOS, new RecordingListener())) {
            ConnectReply reply = alice.connect().get(20, TimeUnit.SECONDS);

            assertThat(reply.getUserId()).isEqualTo(userId);
            assertThat(reply.getSessionId()).isNotEmpty();
            assertThat(reply.getServerTime()).isBetween(before, System.currentTimeMillis());
            assertThat(reply.getHeartbeatIntervalMs()).isEqualTo(2000);
            assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void serverApiRejectsMissingOrWrongSecret() {
        IssueTokenRequest request = IssueTokenRequest.newBuilder().setUserId("bob").build();
        for (String secret : new String[] {null, "wrong-secret-0123456789"}) {
            assertThatThrownBy(() -> TestClients.auth(secret).issueToken(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                        assertThat(GrpcErrors.fromStatus(e).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                    });
        }
    }

    @Test
    void issueTokenRejectsBadUserId() {
        assertThatThrownBy(() -> TestClients.auth(TestClients.appSecret())
                .issueToken(IssueTokenRequest.newBuilder().setUserId("no:colons").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(GrpcErrors.fromStatus(e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("no:colons");
                });
    }

    @Test
    void badSignatureIsTokenInvalid() throws Exception {
        String token = issueToken(uniqueId("carol"));
        String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertRejected(tampered, ErrorCode.TOKEN_INVALID, ConnectionState.TOKEN_ERROR);
    }

    @Test
    void unknownKeyIdIsTokenInvalid() throws Exception {
        String token = sign("retired-key", key("test1"), uniqueId("dave"), System.currentTimeMillis() + 60_000);
        assertRejected(token, ErrorCode.TOKEN_INVALID, ConnectionState.TOKEN_ERROR);
    }

    @Test
    void secondKeyStillVerifies() throws Exception {
        String userId = uniqueId("rotated");
        String token = sign("test2", key("test2"), userId, System.currentTimeMillis() + 60_000);
        try (TidingsClient client = client(token, uniqueId("dev"), Platform.WEB, new RecordingListener())) {
            assertThat(client.connect().get(20, TimeUnit.SECONDS).getUserId()).isEqualTo(userId);
        }
    }

    @Test
    void expiredTokenIsTokenExpired() throws Exception {
        String token = sign("test1", key("test1"), uniqueId("erin"), System.currentTimeMillis() - 1000);
        assertRejected(token, ErrorCode.TOKEN_EXPIRED, ConnectionState.TOKEN_EXPIRED);
    }

    @Test
    void rejectedConnectClosesWithPolicyViolation() throws Exception {
        String token = sign("test1", key("test1"), uniqueId("frank"), System.currentTimeMillis() - 1000);
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(token, uniqueId("dev"), Platform.WEB, 1));

        Frame reply = raw.next(10);
        assertThat(reply.getRequestId()).isEqualTo(1);
        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
        assertThat(raw.awaitClose(10)).isEqualTo(1008);
    }

    @Test
    void unknownProtocolVersionIsRejected() throws Exception {
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(issueToken(uniqueId("gina")), uniqueId("dev"), Platform.WEB, 2));

        Frame reply = raw.next(10);
        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(reply.getError().getMessage()).contains("protocol_version 2");
        assertThat(raw.awaitClose(10)).isEqualTo(1008);
    }

    @Test
    void operationBeforeConnectIsNotConnected() throws Exception {
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(Frame.newBuilder().setRequestId(7).setPing(Ping.getDefaultInstance()).build());

        Frame reply = raw.next(10);
        assertThat(reply.getRequestId()).isEqualTo(7);
        assertThat(reply.getError().getCode()).isEqualTo(ErrorCode.NOT_CONNECTED);
        raw.abort();
    }

    @Test
    void socketWithoutConnectIsClosed() throws Exception {
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        // connect-timeout is 2 s in the test profile.
        assertThat(raw.awaitClose(15)).isEqualTo(1008);
    }

    @Test
    void jsonSubprotocolUsesTextFrames() throws Exception {
        String userId = uniqueId("json");
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), "tidings.v1.json");
        raw.sendText("{\"requestId\":\"3\",\"connect\":{\"token\":\"" + issueToken(userId)
                + "\",\"deviceId\":\"browser-1\",\"platform\":\"WEB\",\"protocolVersion\":1}}");

        String reply = raw.texts.poll(10, TimeUnit.SECONDS);
        assertThat(reply).contains("\"requestId\":\"3\"").contains("\"connected\"").contains(userId);
        raw.sendText("{\"requestId\":\"4\",\"ping\":{}}");
        assertThat(raw.texts.poll(10, TimeUnit.SECONDS)).contains("\"pong\"");
        raw.abort();
    }

    @Test
    void protocolPingIsAnswered() throws Exception {
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.socket().sendPing(ByteBuffer.wrap(new byte[] {1, 2}));
        raw.pong.get(10, TimeUnit.SECONDS);
        raw.abort();
    }

    @Test
    void revokeClosesLiveSessionAndRejectsOldToken() throws Exception {
        String userId = uniqueId("henry");
        String token = issueToken(userId);
        RecordingListener listener = new RecordingListener();
        try (TidingsClient henry = client(token, uniqueId("dev"), Platform.ANDROID, listener)) {
            henry.connect().get(20, TimeUnit.SECONDS);

            long revokedAt = System.nanoTime();
            RevokeTokensReply reply = TestClients.auth(TestClients.appSecret())
                    .revokeTokens(RevokeTokensRequest.newBuilder().setUserId(userId).build());
            await().atMost(Duration.ofSeconds(1)).until(() -> henry.state() == ConnectionState.KICKED);
            long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt);

            assertThat(closedAfterMs).isLessThan(1000);
            assertThat(reply.getClosedSessions()).isEqualTo(1);
            assertThat(listener.kicks).extracting(Kicked::getReason).containsExactly(Kicked.Reason.TOKEN_REVOKED);
        }

        assertRejected(token, ErrorCode.TOKEN_REVOKED, ConnectionState.TOKEN_ERROR);
        try (TidingsClient again = client(issueToken(userId), uniqueId("dev"), Platform.ANDROID, new RecordingListener())) {
            assertThat(again.connect().get(20, TimeUnit.SECONDS).getUserId()).isEqualTo(userId);
        }
    }

    private static void assertRejected(String token, ErrorCode code, ConnectionState state) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (TidingsClient client = client(token, uniqueId("dev"), Platform.WEB, listener)) {
            assertThatThrownBy(() -> client.connect().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(TidingsClientException.class, e -> assertThat(e.code()).isEqualTo(code));
            assertThat(client.state()).isEqualTo(state);
            assertThat(listener.codes).contains(code);
            assertThat(listener.states).doesNotContain(ConnectionState.RECONNECTING);
        }
    }

    private static byte[] key(String keyId) {
        return Base64.getDecoder().decode(ConfigProvider.getConfig()
                .getValue("tidings.connector.token.keys." + keyId, String.class));
    }

    private static String sign(String keyId, byte[] key, String userId, long expiresAt) throws Exception {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("tidings")
                .subject(userId)
                .issueTime(new Date(now - 120_000))
                .expirationTime(new Date(expiresAt))
                .claim("iat_ms", now - 120_000)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keyId).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
