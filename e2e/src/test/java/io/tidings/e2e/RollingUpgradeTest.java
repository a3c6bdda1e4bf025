package io.tidings.e2e;

import static io.tidings.e2e.suite.Device.await;
import static io.tidings.e2e.suite.Device.privateWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidings.e2e.suite.Device;
import io.tidings.e2e.suite.ServerApi;
import io.tidings.e2e.suite.Suite;
import io.tidings.protocol.v1.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade of every service, one after the other (SIGTERM, then a new process on the
 * same port), while two users exchange 2,000 messages. The app behaviour the test plays is the
 * SDK's: a send that fails is retried with the same client message id until it is acked.
 */
class RollingUpgradeTest {

    private static final int MESSAGES = 2_000;

    @Test
    void restartingEachServiceLosesNothing() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + suffix;
        String bob = "bob-" + suffix;
        try (Suite suite = Suite.start("rolling");
                ServerApi api = new ServerApi(suite);
                Device alicePhone = Device.connect(suite.webSocketUrl(), api, alice, "phone", Platform.IOS);
                Device bobPhone = Device.connect(suite.webSocketUrl(), api, bob, "phone", Platform.ANDROID)) {
            AtomicBoolean restartsDone = new AtomicBoolean();
            List<String> fromAlice = new ArrayList<>();
            List<String> fromBob = new ArrayList<>();
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    boolean aliceSends = i % 2 == 0;
                    Device sender = aliceSends ? alicePhone : bobPhone;
                    String peer = aliceSends ? bob : alice;
                    String id = "r" + i;
                    sendUntilAcked(sender, peer, id);
                    (aliceSends ? fromAlice : fromBob).add(id);
                    if (!restartsDone.get()) {
                        pause(40);
                    }
                }
            });

            for (String service : List.of("routing-svc", "offline-svc", "history-svc", "push-svc", "connector-svc")) {
                suite.restart(service);
            }
            restartsDone.set(true);
            traffic.get(15, TimeUnit.MINUTES);

            await(Duration.ofMinutes(3), "bob to get all of alice's messages",
                    () -> bobPhone.receivedFromOthers(privateWith(alice)).size() >= fromAlice.size());
            await(Duration.ofMinutes(3), "alice to get all of bob's messages",
                    () -> alicePhone.receivedFromOthers(privateWith(bob)).size() >= fromBob.size());
            assertEquals(fromAlice, bobPhone.receivedFromOthers(privateWith(alice)),
                    "bob's copy of alice's messages: lost, duplicated or out of order");
            assertEquals(fromBob, alicePhone.receivedFromOthers(privateWith(bob)),
                    "alice's copy of bob's messages: lost, duplicated or out of order");
        }
    }

    /** Sends until acked, retrying with the same client message id as an app does after an error. */
    private static void sendUntilAcked(Device sender, String peer, String clientMessageId) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            try {
                sender.client().send(Device.textRequest(privateWith(peer), clientMessageId, clientMessageId))
                        .get(20, TimeUnit.SECONDS);
                return;
            } catch (Exception failed) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no ack for " + clientMessageId + " within 3 minutes", failed);
                }
                pause(200);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
