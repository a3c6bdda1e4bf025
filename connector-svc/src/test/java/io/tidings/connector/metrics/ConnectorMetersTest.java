package io.tidings.connector.metrics;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RawSocket;
import io.tidings.connector.support.RecordingListener;
import io.tidings.connector.support.TestClients;
import io.tidings.protocol.internal.ConnectorServiceGrpc;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.Ping;
import io.tidings.protocol.v1.Platform;
import io.tidings.testsupport.RedisResource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The send-to-delivery latency and error meters, as Prometheus scrapes them from /q/metrics. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class ConnectorMetersTest {

    private static final String LATENCY = "tidings_connector_delivery_latency_seconds";
    private static final String GROUP_LATENCY_COUNT = LATENCY + "_count{conversation_type=\"GROUP\"}";
    private static final String GROUP_LATENCY_SUM = LATENCY + "_sum{conversation_type=\"GROUP\"}";
    private static final String GROUP_LATENCY_MAX = LATENCY + "_max{conversation_type=\"GROUP\"}";

    @Test
    void deliveryLatencyByConversationType() throws Exception {
        String userId = uniqueId("lena");
        RecordingListener frames = new RecordingListener();
        try (TidingsClient lena = client(issueToken(userId), uniqueId("phone"), Platform.ANDROID, frames)) {
            lena.connect().get(20, TimeUnit.SECONDS);
            String before = scrape();

            // The message was accepted 1.5 s ago, so the recorded latency is at least 1.5 s.
            long serverTime = System.currentTimeMillis() - 1_500;
            stub().deliver(DeliverRequest.newBuilder().setUserId(userId)
                    .addFrames(groupDeliver(uniqueId("m"), serverTime)).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> frames.delivered.size() == 1);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> value(scrape(), GROUP_LATENCY_COUNT) == value(before, GROUP_LATENCY_COUNT) + 1);
            String after = scrape();
            double seconds = value(after, GROUP_LATENCY_SUM) - value(before, GROUP_LATENCY_SUM);
            assertThat(seconds).as("latency of the one delivery").isBetween(1.5, 60.0);
            assertThat(value(after, GROUP_LATENCY_MAX)).isGreaterThanOrEqualTo(1.5);
            assertThat(after).contains(LATENCY + "_bucket{conversation_type=\"GROUP\",le=\"+Inf\"}");
            assertThat(value(after, LATENCY + "_bucket{conversation_type=\"GROUP\",le=\"+Inf\"}"))
                    .isEqualTo(value(after, GROUP_LATENCY_COUNT));
        }
    }

    @Test
    void deliverWithoutServerTimeSkipped() throws Exception {
        String userId = uniqueId("omar");
        RecordingListener frames = new RecordingListener();
        try (TidingsClient omar = client(issueToken(userId), uniqueId("phone"), Platform.IOS, frames)) {
            omar.connect().get(20, TimeUnit.SECONDS);
            String before = scrape();

            stub().deliver(DeliverRequest.newBuilder().setUserId(userId)
                    .addFrames(groupDeliver(uniqueId("m"), 0)).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> frames.delivered.size() == 1);

            assertThat(value(scrape(), GROUP_LATENCY_COUNT)).isEqualTo(value(before, GROUP_LATENCY_COUNT));
        }
    }

    @Test
    void errorReplyCountedByCode() throws Exception {
        String series = "tidings_errors_total{code=\"NOT_CONNECTED\",service=\"connector-svc\",transport=\"websocket\"}";
        double before = value(scrape(), series);

        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(Frame.newBuilder().setRequestId(7).setPing(Ping.getDefaultInstance()).build());
        assertThat(raw.next(10).getError().getCode()).isEqualTo(ErrorCode.NOT_CONNECTED);
        raw.abort();

        await().atMost(Duration.ofSeconds(10)).until(() -> value(scrape(), series) == before + 1);
    }

    @Test
    void grpcErrorCountedByTrailerCode() throws Exception {
        String invalid = "tidings_errors_total{code=\"INVALID_ARGUMENT\",service=\"connector-svc\",transport=\"grpc\"}";
        String unauthenticated = "tidings_errors_total{code=\"UNAUTHENTICATED\",service=\"connector-svc\",transport=\"grpc\"}";
        String before = scrape();

        assertThatThrownBy(() -> stub().deliver(DeliverRequest.newBuilder().setUserId(uniqueId("u")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        // AppSecretInterceptor rejects the call before the service runs; it is counted too.
        assertThatThrownBy(() -> TestClients.auth("wrong-app-secret-0123456789")
                .issueToken(IssueTokenRequest.newBuilder().setUserId(uniqueId("u")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = scrape();
            assertThat(value(after, invalid)).isEqualTo(value(before, invalid) + 1);
            assertThat(value(after, unauthenticated)).isEqualTo(value(before, unauthenticated) + 1);
        });
    }

    @Test
    void successfulGrpcCallCountsNoError() throws Exception {
        String before = scrape();

        issueToken(uniqueId("pia"));

        assertThat(errorTotal(scrape())).isEqualTo(errorTotal(before));
    }

    private static Frame groupDeliver(String messageId, long serverTime) {
        Conversation group = Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(uniqueId("g")).build();
        return Frame.newBuilder().setDeliver(Deliver.newBuilder()
                .setEntry(InboxEntry.newBuilder()
                        .setMessage(Message.newBuilder().setMessageId(messageId).setConversation(group)
                                .setServerTime(serverTime))
                        .setConversation(group)
                        .setSyncTime(serverTime + 1))
                .setPrevSyncTime(serverTime)).build();
    }

    private static ConnectorServiceGrpc.ConnectorServiceBlockingStub stub() {
        return ConnectorServiceGrpc.newBlockingStub(TestClients.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static String scrape() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestClients.port() + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = TestClients.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Returns the value of one series, written as name{labels} in Prometheus's order, or 0 when absent. */
    private static double value(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    /** Returns the sum of all tidings_errors_total series of this connector. */
    private static double errorTotal(String metrics) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("tidings_errors_total{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
