package io.tidings.connector.ws;

import static io.tidings.connector.support.TestClients.client;
import static io.tidings.connector.support.TestClients.connectFrame;
import static io.tidings.connector.support.TestClients.issueToken;
import static io.tidings.connector.support.TestClients.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.client.ConnectionState;
import io.tidings.client.TidingsClient;
import io.tidings.connector.support.FakeBackends;
import io.tidings.connector.support.RawSocket;
import io.tidings.connector.support.RecordingListener;
import io.tidings.connector.support.TestClients;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Ping;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.testsupport.RedisResource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(FakeBackends.class)
class LimitsTest {

    @Test
    void threeMalformedFramesClose1008() throws Exception {
        RawSocket raw = connectedRaw();
        for (int i = 1; i <= 3; i++) {
            raw.sendBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
            Frame error = raw.next(10);
            assertThat(error.getError().getCode()).as("reply to malformed frame %d", i).isEqualTo(ErrorCode.MALFORMED_FRAME);
        }
        assertThat(raw.awaitClose(10)).isEqualTo(1008);
    }

    @Test
    void validFrameResetsMalformedCount() throws Exception {
        RawSocket raw = connectedRaw();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2; i++) {
                raw.sendBytes(new byte[] {(byte) 0xff});
                assertThat(raw.next(10).getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            }
            raw.send(Frame.newBuilder().setRequestId(10 + round).setPing(Ping.getDefaultInstance()).build());
            assertThat(raw.next(10).hasPong()).isTrue();
        }
        assertThat(raw.closeCode).isNotDone();
        raw.abort();
    }

    @Test
    void oversizedFrameCloses1009() throws Exception {
        RawSocket raw = connectedRaw();
        Frame big = Frame.newBuilder().setRequestId(5)
                .setSync(SyncRequest.newBuilder().setCursor(1)).build();
        byte[] padded = new byte[256 * 1024 + 1];
        byte[] encoded = big.toByteArray();
        System.arraycopy(encoded, 0, padded, 0, encoded.length);
        raw.sendBytes(padded);

        Frame error = raw.next(10);
        assertThat(error.getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(error.getError().getMessage()).contains("262145 bytes");
        assertThat(raw.awaitClose(10)).isEqualTo(1009);
    }

    @Test
    void floodIsRateLimitedWithoutSlowingOthers() throws Exception {
        try (TidingsClient calm = client(issueToken(uniqueId("calm")), uniqueId("dev"), Platform.WEB, new RecordingListener())) {
            calm.connect().get(20, TimeUnit.SECONDS);
            RawSocket flood = connectedRaw();

            int floodFrames = 2000;
            Thread flooder = new Thread(() -> {
                try {
                    for (int i = 0; i < floodFrames; i++) {
                        flood.send(Frame.newBuilder().setRequestId(100 + i)
                                .setSync(SyncRequest.newBuilder().setCursor(i)).build());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            flooder.start();

            List<Long> latenciesMs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                Frame pong = calm.request(Frame.newBuilder().setPing(Ping.getDefaultInstance())).get(20, TimeUnit.SECONDS);
                latenciesMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(pong.hasPong()).isTrue();
            }
            flooder.join(60_000);

            int limited = 0;
            Frame reply;
            while ((reply = flood.frames.poll(2, TimeUnit.SECONDS)) != null) {
                if (reply.hasError() && reply.getError().getCode() == ErrorCode.RATE_LIMITED) {
                    limited++;
                }
            }
            assertThat(limited).as("RATE_LIMITED replies to %d frames", floodFrames).isGreaterThan(floodFrames / 2);
            assertThat(flood.closeCode).as("flooding connection stays open").isNotDone();
            // Generous bound: a ping normally takes a few ms; two shared cores may stall a little.
            assertThat(latenciesMs.stream().sorted().toList().get(latenciesMs.size() / 2))
                    .as("median ping latency of the calm client, ms: %s", latenciesMs).isLessThan(500);
            assertThat(calm.state()).isEqualTo(ConnectionState.CONNECTED);
            flood.abort();
        }
    }

    private static RawSocket connectedRaw() throws Exception {
        RawSocket raw = RawSocket.open(TestClients.wsUrl(), null);
        raw.send(connectFrame(issueToken(uniqueId("raw")), uniqueId("dev"), Platform.WEB, 1));
        assertThat(raw.next(10).hasConnected()).isTrue();
        return raw;
    }
}
