package io.tidings.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.InboxServiceGrpc;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.support.GrpcErrors;
import io.tidings.testsupport.RedisResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The error counter of offline-svc, fed by the shared gRPC interceptor, as scraped from /q/metrics. */
@QuarkusTest
@WithTestResource(RedisResource.class)
class ErrorMetersTest {

    private static final String INVALID =
            "tidings_errors_total{code=\"INVALID_ARGUMENT\",service=\"offline-svc\",transport=\"grpc\"}";

    @TestHTTPResource("/")
    URL url;

    @Test
    void grpcErrorCountedByCode() throws Exception {
        String before = scrape();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", url.getPort()).usePlaintext().build();
        try {
            StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
                    () -> InboxServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                            .sync(InboxSyncRequest.newBuilder().setUserId("").setDeviceId("phone")
                                    .setRequest(SyncRequest.newBuilder()).build()));
            assertThat(failure.getTrailers().get(GrpcErrors.ERROR_CODE_KEY)).isEqualTo("INVALID_ARGUMENT");
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> value(scrape(), INVALID) == value(before, INVALID) + 1);
    }

    private String scrape() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()).resolve("/q/metrics"))
                .timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
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
}
