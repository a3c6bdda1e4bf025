package io.tidings.push;

import static io.tidings.push.PushTestClient.apnsToken;
import static io.tidings.push.PushTestClient.groupText;
import static io.tidings.push.PushTestClient.privateText;
import static io.tidings.push.PushTestClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.protocol.server.ListTokensRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.DoNotDisturb;
import io.tidings.protocol.v1.MessageFlags;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.protocol.v1.SetPushSettingsRequest;
import io.tidings.push.fake.FakeApns;
import io.tidings.push.fake.FakeProviders;
import io.tidings.push.fake.RecordedRequest;
import io.tidings.push.kafka.PushEventConsumer;
import io.tidings.push.metrics.PushMetrics;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Decision rules and payloads, end to end: PushEvent on Kafka to requests at the fake providers. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeProviders.class)
class PushDeliveryTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String BUNDLE = "io.tidings.demo";

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRegistry sessions;

    @Inject
    PushEventConsumer consumer;

    @Inject
    PushMetrics metrics;

    PushTestClient client;

    @BeforeEach
    void connect() {
        client = new PushTestClient(base.getPort(), sessions, consumer);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
        FakeProviders.all().forEach(fake -> assertThat(fake.violations()).as("violations at " + fake).isEmpty());
    }

    @Test
    void offlineUserGetsApnsAndFcm() {
        String alice = unique("alice");
        String bob = unique("bob");
        String iosToken = apnsToken();
        String fcmToken = unique("fcm-token");
        client.registerToken(bob, "iphone", PushProvider.APNS, iosToken, BUNDLE, false);
        client.registerToken(bob, "pixel", PushProvider.FCM, fcmToken, "io.tidings.demo.android", false);
        PushEvent event = privateText(alice, bob, "hello bob", 3).toBuilder().setSenderDisplayName("Alice").build();
        String messageId = event.getEntry().getMessage().getMessageId();
        String conversationKey = "p:" + (alice.compareTo(bob) < 0 ? alice + ":" + bob : bob + ":" + alice);

        client.produce(event);

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(iosToken).size() == 1
                && FakeProviders.fcm().deliveredTo(fcmToken).size() == 1);
        RecordedRequest apns = FakeProviders.apns().deliveredTo(iosToken).get(0);
        assertThat(apns.httpVersion()).isEqualTo("HTTP_2");
        assertThat(apns.header("apns-topic")).isEqualTo(BUNDLE);
        assertThat(apns.header("apns-push-type")).isEqualTo("alert");
        assertThat(apns.header("apns-collapse-id")).isEqualTo(messageId);
        JsonObject aps = apns.json().getJsonObject("aps");
        assertThat(aps.getJsonObject("alert").getString("title")).isEqualTo("Alice");
        assertThat(aps.getJsonObject("alert").getString("body")).isEqualTo("hello bob");
        assertThat(aps.getInteger("badge")).isEqualTo(3);
        assertThat(aps.getString("thread-id")).isEqualTo(conversationKey);
        assertThat(apns.json().getString("message_id")).isEqualTo(messageId);
        assertThat(apns.json().getString("conversation")).isEqualTo(conversationKey);

        JsonObject fcm = FakeProviders.fcm().deliveredTo(fcmToken).get(0).json().getJsonObject("message");
        assertThat(fcm.getString("token")).isEqualTo(fcmToken);
        assertThat(fcm.getJsonObject("notification").getString("title")).isEqualTo("Alice");
        assertThat(fcm.getJsonObject("notification").getString("body")).isEqualTo("hello bob");
        assertThat(fcm.getJsonObject("data").getString("message_id")).isEqualTo(messageId);
        assertThat(fcm.getJsonObject("data").getString("conversation")).isEqualTo(conversationKey);
        assertThat(fcm.getJsonObject("android").getString("collapse_key")).isEqualTo(messageId);
        JsonObject fcmAps = fcm.getJsonObject("apns").getJsonObject("payload").getJsonObject("aps");
        assertThat(fcmAps.getInteger("badge")).isEqualTo(3);
        assertThat(fcmAps.getString("thread-id")).isEqualTo(conversationKey);

        // A later event of the same recipient is processed after this one: still one request each.
        String sentinelToken = apnsToken();
        client.registerToken(bob, "ipad", PushProvider.APNS, sentinelToken, BUNDLE, false);
        client.produce(privateText(alice, bob, "second", 4));
        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(sentinelToken).size() == 1);
        assertThat(FakeProviders.apns().requestsFor(iosToken)).hasSize(2);
        assertThat(FakeProviders.fcm().requestsFor(fcmToken)).hasSize(2);
    }

    @Test
    void groupTitleNamesGroupAndSender() {
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, true);
        PushEvent event = groupText(unique("carol"), unique("g"), "Hiking club", bob, "see you", 1)
                .toBuilder().setSenderDisplayName("Carol").build();

        client.produce(event);

        await().atMost(DELIVERY).until(() -> FakeProviders.apnsSandbox().deliveredTo(token).size() == 1);
        JsonObject alert = FakeProviders.apnsSandbox().deliveredTo(token).get(0).json()
                .getJsonObject("aps").getJsonObject("alert");
        assertThat(alert.getString("title")).isEqualTo("Carol (Hiking club)");
        assertThat(FakeProviders.apns().requestsFor(token)).isEmpty();
    }

    @Test
    void onlineDeviceGetsNoPush() {
        String alice = unique("alice");
        String bob = unique("bob");
        String onlineToken = apnsToken();
        String offlineToken = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, onlineToken, BUNDLE, false);
        client.registerToken(bob, "ipad", PushProvider.APNS, offlineToken, BUNDLE, false);
        client.goOnline(bob, "iphone");

        client.produce(privateText(alice, bob, "are you there", 1));

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(offlineToken).size() == 1);
        assertThat(FakeProviders.apns().requestsFor(onlineToken)).isEmpty();
    }

    @Test
    void mutedConversationGetsNoPush() {
        String alice = unique("alice");
        String dave = unique("dave");
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        client.setSettings(bob, SetPushSettingsRequest.newBuilder()
                .addMute(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId(alice))
                .build());

        PushEvent muted = privateText(alice, bob, "muted text", 1);
        client.produce(muted);
        client.produce(privateText(dave, bob, "not muted", 2));

        // Events of one recipient are processed in order, so once Dave's arrived Alice's was decided.
        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
        assertThat(FakeProviders.apns().deliveredTo(token).get(0).body()).contains("not muted");
        assertThat(FakeProviders.apns().requests(r -> r.body().contains("muted text"))).isEmpty();
    }

    @Test
    void pushDisabledAndStatusOnlyGetNoPush() {
        String alice = unique("alice");
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        PushEvent disabled = privateText(alice, bob, "silent one", 1);
        disabled = disabled.toBuilder().setEntry(disabled.getEntry().toBuilder().setMessage(
                disabled.getEntry().getMessage().toBuilder().setFlags(MessageFlags.newBuilder().setPushDisabled(true))))
                .build();
        PushEvent typing = privateText(alice, bob, "typing", 1);
        typing = typing.toBuilder().setEntry(typing.getEntry().toBuilder().setMessage(
                typing.getEntry().getMessage().toBuilder().setFlags(MessageFlags.newBuilder().setStatusOnly(true))))
                .build();

        client.produce(disabled);
        client.produce(typing);
        client.produce(privateText(alice, bob, "loud one", 2));

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
        assertThat(FakeProviders.apns().deliveredTo(token).get(0).body()).contains("loud one");
        assertThat(FakeProviders.apns().requestsFor(token)).hasSize(1);
    }

    @Test
    void doNotDisturbWindowGetsNoPush() {
        String alice = unique("alice");
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        int minute = now.getHour() * 60 + now.getMinute();
        // A two-hour window around now; it crosses midnight when now is near it.
        int start = Math.floorMod(minute - 60, 1440);
        int end = Math.floorMod(minute + 60, 1440);
        client.setSettings(bob, SetPushSettingsRequest.newBuilder()
                .setDoNotDisturb(DoNotDisturb.newBuilder().setStartMinute(start).setEndMinute(end).setTimeZone("UTC"))
                .build());
        double skippedBefore = metrics.count("tidings.push.skipped", "reason", "do_not_disturb");

        client.produce(privateText(alice, bob, "at night", 1));

        await().atMost(DELIVERY).until(
                () -> metrics.count("tidings.push.skipped", "reason", "do_not_disturb") > skippedBefore);
        assertThat(FakeProviders.apns().requestsFor(token)).isEmpty();

        // Turning the window off (start = end) lets the next message through.
        client.setSettings(bob, SetPushSettingsRequest.newBuilder()
                .setDoNotDisturb(DoNotDisturb.newBuilder().setStartMinute(0).setEndMinute(0)).build());
        client.produce(privateText(alice, bob, "at noon", 2));
        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
    }

    @Test
    void previewOffReplacesBody() {
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        client.setSettings(bob, SetPushSettingsRequest.newBuilder().setShowPreview(false).build());

        client.produce(privateText(unique("alice"), bob, "secret plans", 1));

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
        String body = FakeProviders.apns().deliveredTo(token).get(0).json().getJsonObject("aps")
                .getJsonObject("alert").getString("body");
        assertThat(body).isEqualTo("New message");
    }

    @Test
    void badgeEqualsUnreadTotalAcrossConversations() {
        String alice = unique("alice");
        String carol = unique("carol");
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);

        client.produce(privateText(alice, bob, "one", 1));
        client.produce(privateText(carol, bob, "two", 2));
        client.produce(privateText(alice, bob, "three", 3));

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 3);
        List<Integer> badges = FakeProviders.apns().deliveredTo(token).stream()
                .map(r -> r.json().getJsonObject("aps").getInteger("badge")).toList();
        assertThat(badges).containsExactly(1, 2, 3);
        List<String> threads = FakeProviders.apns().deliveredTo(token).stream()
                .map(r -> r.json().getJsonObject("aps").getString("thread-id")).distinct().toList();
        assertThat(threads).hasSize(2);
    }

    @Test
    void longBodyIsCutOnCodePointBoundary() {
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        String emoji = "\uD83D\uDE00";
        String text = emoji.repeat(3000);

        client.produce(privateText(unique("alice"), bob, text, 1));

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
        RecordedRequest request = FakeProviders.apns().deliveredTo(token).get(0);
        assertThat(request.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        String body = request.json().getJsonObject("aps").getJsonObject("alert").getString("body");
        assertThat(body).endsWith("…");
        String withoutEllipsis = body.substring(0, body.length() - 1);
        assertThat(withoutEllipsis.length() % 2).isZero();
        assertThat(withoutEllipsis.replace(emoji, "")).isEmpty();
    }

    @Test
    void unregisteredApnsTokenIsDeletedWithoutRetry() {
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        FakeProviders.apns().script(token, FakeApns.reason(410, "Unregistered"));
        double removedBefore = metrics.count("tidings.push.tokens.removed", "provider", "apns");

        client.produce(privateText(unique("alice"), bob, "gone?", 1));

        await().atMost(DELIVERY).until(() -> client.admin()
                .listTokens(ListTokensRequest.newBuilder().setUserId(bob).build()).getTokensCount() == 0);
        assertThat(metrics.count("tidings.push.tokens.removed", "provider", "apns")).isGreaterThan(removedBefore);
        // A later event of the same user has no token left, and the 410 was not retried.
        client.produce(privateText(unique("alice"), bob, "again", 2));
        double noTokenBefore = metrics.count("tidings.push.skipped", "reason", "no_token");
        await().atMost(DELIVERY).until(() -> metrics.count("tidings.push.skipped", "reason", "no_token") > noTokenBefore);
        assertThat(FakeProviders.apns().requestsFor(token)).hasSize(1);
    }

    @Test
    void badDeviceTokenIsDeleted() {
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        FakeProviders.apns().script(token, FakeApns.reason(400, "BadDeviceToken"));

        client.produce(privateText(unique("alice"), bob, "bad token", 1));

        await().atMost(DELIVERY).until(() -> client.admin()
                .listTokens(ListTokensRequest.newBuilder().setUserId(bob).build()).getTokensCount() == 0);
        assertThat(FakeProviders.apns().requestsFor(token)).hasSize(1);
    }

    @Test
    void throttledRequestIsRetriedAfterRetryAfter() {
        String bob = unique("bob");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, BUNDLE, false);
        FakeProviders.apns().script(token, FakeApns.reason(429, "TooManyRequests").withHeader("retry-after", "2"));

        client.produce(privateText(unique("alice"), bob, "slow down", 1));

        await().atMost(DELIVERY).until(() -> FakeProviders.apns().deliveredTo(token).size() == 1);
        List<RecordedRequest> requests = FakeProviders.apns().requestsFor(token);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).responseStatus()).isEqualTo(429);
        Duration gap = Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt());
        assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1950));
    }

    @Test
    void unregisteredFcmTokenIsDeleted() {
        String bob = unique("bob");
        String token = unique("fcm-token");
        client.registerToken(bob, "pixel", PushProvider.FCM, token, "io.tidings.demo.android", false);
        FakeProviders.fcm().script(token,
                io.tidings.push.fake.FakeFcm.error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."));

        client.produce(privateText(unique("alice"), bob, "old phone", 1));

        await().atMost(DELIVERY).until(() -> client.admin()
                .listTokens(ListTokensRequest.newBuilder().setUserId(bob).build()).getTokensCount() == 0);
        assertThat(FakeProviders.fcm().requestsFor(token)).hasSize(1);
    }
}
