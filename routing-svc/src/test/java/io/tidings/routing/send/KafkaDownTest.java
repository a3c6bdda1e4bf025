package io.tidings.routing.send;

import static io.tidings.routing.support.RoutingClients.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.support.FakeServices;
import io.tidings.routing.support.RoutingClients;
import io.tidings.routing.support.Sends;
import io.tidings.routing.support.TestIds;
import io.tidings.support.GrpcErrors;
import io.tidings.testsupport.RedisResource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Routing against a Kafka address where nothing listens. */
@QuarkusTest
@TestProfile(KafkaDownTest.DeadKafka.class)
@WithTestResource(RedisResource.class)
@WithTestResource(FakeServices.class)
class KafkaDownTest {

    @TestHTTPResource("/")
    URL url;

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void sendFailsUnavailableAndCanBeRetried() {
        String alice = TestIds.unique("alice");
        String bob = TestIds.unique("bob");
        RoutingClients clients = RoutingClients.at(url.getPort());

        assertError(() -> clients.routing().send(Sends.command(alice, "phone", Sends.text("down-1", Sends.privateWith(bob)))),
                ErrorCode.UNAVAILABLE, "Kafka", "tidings.messages", "retry");

        // The marker keeps its message id for the retry but no longer blocks it.
        Response marker = redis.execute("HGETALL", DedupStore.key("u:" + alice, "down-1")).await().atMost(Duration.ofSeconds(5));
        assertThat(marker.get("state").toString()).isEqualTo("pending");
        assertThat(marker.get("lease").toString()).isEqualTo("0");
        assertError(() -> clients.routing().send(Sends.command(alice, "phone", Sends.text("down-1", Sends.privateWith(bob)))),
                ErrorCode.UNAVAILABLE, "Kafka");
    }

    @Test
    void sendBeyondMaxInFlightFailsAtOnce() throws Exception {
        String alice = TestIds.unique("alice");
        String bob = TestIds.unique("bob");
        RoutingClients clients = RoutingClients.at(url.getPort());
        // max-in-flight is 1 here and each send waits up to max-block (2 s) for Kafka, so of two
        // sends made together one holds the only slot and the other is turned away.
        List<CompletableFuture<String>> errors = new ArrayList<>();
        for (String clientMessageId : List.of("busy-1", "busy-2")) {
            errors.add(CompletableFuture.supplyAsync(() -> errorOf(() ->
                    clients.routing().send(Sends.command(alice, "phone", Sends.text(clientMessageId, Sends.privateWith(bob)))))));
        }
        List<String> messages = new ArrayList<>();
        for (CompletableFuture<String> error : errors) {
            messages.add(error.get(30, TimeUnit.SECONDS));
        }

        assertThat(messages).anySatisfy(message -> assertThat(message).startsWith("UNAVAILABLE")
                .contains("tidings.routing.send.max-in-flight", "retry client_message_id 'busy-"));
        assertThat(messages).anySatisfy(message -> assertThat(message).startsWith("UNAVAILABLE").contains("Kafka"));
        // The slot is free again: the next send gets as far as Kafka.
        assertError(() -> clients.routing().send(Sends.command(alice, "phone", Sends.text("busy-3", Sends.privateWith(bob)))),
                ErrorCode.UNAVAILABLE, "Kafka");
    }

    private static String errorOf(Runnable call) {
        try {
            call.run();
            return "no error";
        } catch (StatusRuntimeException e) {
            return GrpcErrors.fromStatus(e).code() + " " + e.getStatus().getDescription();
        }
    }

    @Test
    void notReadyWithoutKafka() throws Exception {
        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + url.getPort() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"kafka\"", "\"groups-view\"");
    }

    public static class DeadKafka implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + unusedPort(),
                    "tidings.routing.kafka.max-block", "2s",
                    "tidings.routing.kafka.request-timeout", "1s",
                    "tidings.routing.kafka.send-timeout", "3s",
                    "tidings.routing.send.max-in-flight", "1");
        }

        private static int unusedPort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
