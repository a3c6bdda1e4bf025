package io.tidings.e2e;

import static io.tidings.e2e.suite.Device.await;
import static io.tidings.e2e.suite.Device.group;
import static io.tidings.e2e.suite.Device.privateWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidings.client.TidingsClientException;
import io.tidings.e2e.suite.Device;
import io.tidings.e2e.suite.DroppableProxy;
import io.tidings.e2e.suite.ServerApi;
import io.tidings.e2e.suite.Suite;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SyncReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The message path's guarantees, end to end: the five services as real processes on the shared
 * test Redis, Kafka and HBase, driven by SDK devices.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MessagingAcceptanceTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private static Suite suite;
    private static ServerApi api;
    private static final List<Device> devices = new ArrayList<>();

    @BeforeAll
    static void startSuite() {
        suite = Suite.start("messaging");
        api = new ServerApi(suite);
    }

    @AfterAll
    static void stopSuite() {
        devices.forEach(Device::close);
        if (api != null) {
            api.close();
        }
        if (suite != null) {
            suite.close();
        }
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Device device(String userId, String deviceId, Platform platform) {
        return device(suite.webSocketUrl(), userId, deviceId, platform);
    }

    private static Device device(String url, String userId, String deviceId, Platform platform) {
        Device device = Device.connect(url, api, userId, deviceId, platform);
        devices.add(device);
        return device;
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    @Test
    @Order(1)
    void onlinePeerGetsPushAndSenderOtherDeviceGetsOwnCopy() {
        String alice = unique("alice");
        String bob = unique("bob");
        Device alicePhone = device(alice, "phone", Platform.IOS);
        Device aliceDesktop = device(alice, "desktop", Platform.DESKTOP);
        Device bobPhone = device(bob, "phone", Platform.ANDROID);

        SendAck ack = alicePhone.sendText(privateWith(bob), "c1", "hello bob");

        assertEquals("c1", ack.getClientMessageId());
        assertFalse(ack.getMessageId().isEmpty(), "ack has no message id");
        assertTrue(ack.getServerTime() > 0, "ack has no server time");
        await(DELIVERY, "bob's phone to get the message", () -> bobPhone.received().size() == 1);
        InboxEntry atBob = bobPhone.received().get(0);
        assertEquals(ack.getMessageId(), atBob.getMessage().getMessageId());
        assertEquals(privateWith(alice), atBob.getConversation());
        assertFalse(atBob.getOwn());
        await(DELIVERY, "alice's desktop to get her own copy", () -> aliceDesktop.received().size() == 1);
        InboxEntry own = aliceDesktop.received().get(0);
        assertEquals(ack.getMessageId(), own.getMessage().getMessageId());
        assertTrue(own.getOwn(), "the copy on the sender's other device is not marked own");
        assertEquals(privateWith(bob), own.getConversation());
    }

    @Test
    @Order(2)
    void offlineDevicePullsAll450InThreePages() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        Device alicePhone = device(alice, "phone", Platform.IOS);
        List<String> sent = numbered("m", 450);
        // One after the other, as a chat app sends within a conversation: pipelined sends may be
        // accepted in another order than they were written, and the conversation's order is the
        // order of acceptance.
        for (String id : sent) {
            alicePhone.sendText(privateWith(bob), id, id);
        }
        // Fan-out is asynchronous: wait until the inbox contains all 450 before bob connects, so the
        // page count is the inbox's and not a race with fan-out.
        Device probe = device(bob, "probe", Platform.WEB);
        probe.sync().whenIdle().get(30, TimeUnit.SECONDS);
        await(DELIVERY, "bob's inbox to hold 450", () -> probe.received().size() == 450);

        Device bobPhone = device(bob, "phone", Platform.ANDROID);
        List<Long> pages = new ArrayList<>();
        long cursor = 0;
        List<String> pulled = new ArrayList<>();
        SyncReply reply;
        do {
            reply = bobPhone.client().sync(cursor).get(30, TimeUnit.SECONDS);
            pages.add((long) reply.getEntriesCount());
            reply.getEntriesList().forEach(e -> pulled.add(e.getMessage().getClientMessageId()));
            cursor = reply.getNextCursor();
        } while (reply.getHasMore());

        assertEquals(List.of(200L, 200L, 50L), pages);
        assertEquals(sent, pulled);
        await(DELIVERY, "bob's SDK sync loop to deliver 450", () -> bobPhone.received().size() == 450);
        assertEquals(sent, bobPhone.receivedClientIds(privateWith(alice)));
    }

    @Test
    @Order(3)
    void droppedNetworkCatchesUpAfterReconnect() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        try (DroppableProxy network = new DroppableProxy(suite.service("connector-svc").port())) {
            Device alicePhone = device(network.webSocketUrl(), alice, "phone", Platform.IOS);
            Device bobPhone = device(bob, "phone", Platform.ANDROID);
            bobPhone.sendText(privateWith(alice), "before", "before the drop");
            await(DELIVERY, "alice to get the first message", () -> alicePhone.received().size() == 1);

            network.cut();
            List<String> sent = numbered("while-down-", 5);
            for (String id : sent) {
                bobPhone.sendText(privateWith(alice), id, id);
            }
            long restoredAt = System.nanoTime();
            network.restore();

            await(Duration.ofSeconds(20), "alice to get all 5 after reconnecting",
                    () -> alicePhone.received().size() == 6);
            long caughtUpMillis = (System.nanoTime() - restoredAt) / 1_000_000;
            List<String> expected = new ArrayList<>(List.of("before"));
            expected.addAll(sent);
            assertEquals(expected, alicePhone.receivedClientIds(privateWith(bob)));
            // The SDK's first backoff step is 0.1 s and a reconnect pulls at once.
            assertTrue(caughtUpMillis < 2_000 + 1_000,
                    "alice caught up " + caughtUpMillis + " ms after the network returned");
        }
    }

    @Test
    @Order(4)
    void retriedSendIsStoredAndDeliveredOnce() {
        String alice = unique("alice");
        String bob = unique("bob");
        Device alicePhone = device(alice, "phone", Platform.IOS);
        Device bobPhone = device(bob, "phone", Platform.ANDROID);

        // The first two acks are treated as lost: the app retries with the same client id.
        SendAck first = alicePhone.sendText(privateWith(bob), "retry-me", "once only");
        SendAck second = alicePhone.sendText(privateWith(bob), "retry-me", "once only");
        SendAck third = alicePhone.sendText(privateWith(bob), "retry-me", "once only");
        alicePhone.sendText(privateWith(bob), "marker", "after the retries");

        assertEquals(first, second);
        assertEquals(first, third);
        await(DELIVERY, "bob to get the marker", () -> bobPhone.receivedClientIds(privateWith(alice)).contains("marker"));
        assertEquals(List.of("retry-me", "marker"), bobPhone.receivedClientIds(privateWith(alice)));
    }

    @Test
    @Order(5)
    void groupFloodKeepsEarlierPrivateMessages() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        String carol = unique("carol");
        String groupId = unique("flood");
        api.createGroup(groupId, carol, List.of(carol, bob));
        Device alicePhone = device(alice, "phone", Platform.IOS);
        Device carolPhone = device(carol, "phone", Platform.IOS);
        List<String> privateIds = numbered("p", 20);
        for (String id : privateIds) {
            alicePhone.sendText(privateWith(bob), id, id);
        }

        List<CompletableFuture<SendAck>> acks = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            acks.add(carolPhone.client().send(Device.textRequest(group(groupId), "g" + i, "flood " + i)));
            if (acks.size() % 200 == 0) {
                CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        Device probe = device(carol, "probe", Platform.WEB);
        await(Duration.ofSeconds(180), "carol's inbox to hold the flood",
                () -> probe.receivedClientIds(group(groupId)).contains("g4999"));

        Device bobPhone = device(bob, "phone", Platform.ANDROID);
        await(Duration.ofSeconds(120), "bob's pull to finish",
                () -> bobPhone.receivedClientIds(group(groupId)).contains("g4999"));
        assertEquals(privateIds, bobPhone.receivedClientIds(privateWith(alice)));
    }

    @Test
    @Order(6)
    void groupOfFiftyGetsEachMessageOnceAndStrangerIsRejected() throws Exception {
        String groupId = unique("fifty");
        List<String> members = IntStream.range(0, 50).mapToObj(i -> unique("m" + i)).collect(Collectors.toList());
        api.createGroup(groupId, members.get(0), members);
        List<Device> online = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            online.add(device(members.get(i), "phone", Platform.ANDROID));
        }
        List<String> sent = numbered("gm", 10);
        for (String id : sent) {
            online.get(0).sendText(group(groupId), id, id);
        }

        for (Device member : online) {
            await(DELIVERY, member.userId() + " to get the 10 group messages",
                    () -> member.receivedClientIds(group(groupId)).containsAll(sent));
        }
        for (int i = 10; i < 50; i++) {
            Device late = device(members.get(i), "phone", Platform.IOS);
            await(DELIVERY, late.userId() + " to pull 10 group messages",
                    () -> late.receivedClientIds(group(groupId)).containsAll(sent));
        }
        for (Device member : devices) {
            List<String> got = member.receivedClientIds(group(groupId));
            if (!got.isEmpty()) {
                assertEquals(new ArrayList<>(new java.util.LinkedHashSet<>(got)), got,
                        member.userId() + " got a duplicate: " + got);
                assertTrue(got.containsAll(sent), member.userId() + " misses messages: " + got);
            }
        }

        Device stranger = device(unique("stranger"), "phone", Platform.WEB);
        CompletionException rejected = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> stranger.sendText(group(groupId), "intrude", "let me in"));
        assertTrue(rejected.getCause() instanceof TidingsClientException, rejected.toString());
        assertEquals(ErrorCode.NOT_GROUP_MEMBER, ((TidingsClientException) rejected.getCause()).code());
    }

    @Test
    @Order(7)
    void missedPushIsRepairedAtNextPush() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        try (DroppableProxy network = new DroppableProxy(suite.service("connector-svc").port())) {
            Device alicePhone = device(alice, "phone", Platform.IOS);
            Device bobPhone = device(network.webSocketUrl(), bob, "phone", Platform.ANDROID);
            alicePhone.sendText(privateWith(bob), "one", "one");
            await(DELIVERY, "bob to get the first", () -> bobPhone.received().size() == 1);

            network.dropNextServerFrame(frame -> frame.getOpCase() == Frame.OpCase.DELIVER
                    && frame.getDeliver().getEntry().getMessage().getClientMessageId().equals("two"));
            alicePhone.sendText(privateWith(bob), "two", "two");
            await(DELIVERY, "the proxy to swallow the push of 'two'", network::dropped);
            alicePhone.sendText(privateWith(bob), "three", "three");

            await(DELIVERY, "bob to repair the gap", () -> bobPhone.received().size() == 3);
            assertEquals(List.of("one", "two", "three"), bobPhone.receivedClientIds(privateWith(alice)));
        }
    }

    @Test
    @Order(8)
    void crashedRoutingAndOfflineLoseNoAckedMessage() throws Exception {
        for (String victim : List.of("routing-svc", "offline-svc")) {
            String alice = unique("alice");
            String bob = unique("bob");
            Device alicePhone = device(alice, "phone", Platform.IOS);
            Device bobPhone = device(bob, "phone", Platform.ANDROID);
            List<String> acked = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                if (i == 500) {
                    suite.crashAndRestart(victim);
                }
                String id = "k" + i;
                try {
                    alicePhone.client().send(Device.textRequest(privateWith(bob), id, id)).get(30, TimeUnit.SECONDS);
                    acked.add(id);
                } catch (Exception notAcked) {
                    // A send without an ack may or may not be stored; the guarantee covers acked ones.
                }
            }
            assertTrue(acked.size() >= 900, victim + ": only " + acked.size() + " of 1000 sends were acked");

            await(Duration.ofSeconds(180), "bob to get every acked message after " + victim + " crashed",
                    () -> new HashSet<>(bobPhone.receivedClientIds(privateWith(alice))).containsAll(acked));
            List<String> got = bobPhone.receivedClientIds(privateWith(alice));
            Set<String> unique = new HashSet<>(got);
            assertEquals(unique.size(), got.size(), victim + ": duplicates delivered");
            List<String> ackedInOrder = got.stream().filter(acked::contains).collect(Collectors.toList());
            assertEquals(acked, ackedInOrder, victim + ": acked messages out of order");
        }
    }
}
