package io.tidings.push;

import static io.tidings.push.PushTestClient.apnsToken;
import static io.tidings.push.PushTestClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.protocol.server.DeleteTokensRequest;
import io.tidings.protocol.server.ListTokensReply;
import io.tidings.protocol.server.ListTokensRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.DoNotDisturb;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.protocol.v1.RegisterPushTokenRequest;
import io.tidings.protocol.v1.SetPushSettingsRequest;
import io.tidings.push.fake.FakeProviders;
import io.tidings.push.kafka.PushEventConsumer;
import io.tidings.support.GrpcErrors;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import jakarta.inject.Inject;
import java.net.URL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Token registration, settings and the token admin API over gRPC, with their input checks. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeProviders.class)
class PushSettingsApiTest {

    @TestHTTPResource("/")
    URL base;

    @Inject
    SessionRegistry sessions;

    @Inject
    PushEventConsumer consumer;

    PushTestClient client;

    @BeforeEach
    void connect() {
        client = new PushTestClient(base.getPort(), sessions, consumer);
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close();
    }

    private StatusRuntimeException registerFails(RegisterPushTokenRequest.Builder request) {
        RegisterTokenCommand command = RegisterTokenCommand.newBuilder()
                .setDevice(DeviceRef.newBuilder().setUserId(unique("bob")).setDeviceId("phone"))
                .setRequest(request)
                .build();
        return catchThrowableOfType(StatusRuntimeException.class, () -> client.settings().registerToken(command));
    }

    private StatusRuntimeException settingsFail(SetPushSettingsRequest.Builder request) {
        SetPushSettingsCommand command = SetPushSettingsCommand.newBuilder()
                .setUserId(unique("bob")).setRequest(request).build();
        return catchThrowableOfType(StatusRuntimeException.class, () -> client.settings().setSettings(command));
    }

    private static void assertInvalid(StatusRuntimeException failure, String namedValue) {
        assertThat(failure).isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(failure.getTrailers().get(GrpcErrors.ERROR_CODE_KEY)).isEqualTo("INVALID_ARGUMENT");
        assertThat(failure.getStatus().getDescription()).contains(namedValue);
    }

    @Test
    void unknownProviderIsRejected() {
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setProviderValue(99).setToken("abc")), "99");
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setToken("abc")),
                "PUSH_PROVIDER_UNSPECIFIED");
    }

    @Test
    void emptyOrMalformedTokenIsRejected() {
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.FCM)), "token is empty");
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.APNS)
                .setToken("not-hex-at-all").setAppId("io.tidings.demo")), "not-hex-at-all");
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.FCM)
                .setToken("has space")), "has space");
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.APNS)
                .setToken(apnsToken())), "app_id is empty");
        assertInvalid(registerFails(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.FCM)
                .setToken("fcm").setApnsSandbox(true)), "apns_sandbox");
    }

    @Test
    void badDeviceOrUserIdIsRejected() {
        RegisterTokenCommand command = RegisterTokenCommand.newBuilder()
                .setDevice(DeviceRef.newBuilder().setUserId("bad:user").setDeviceId("phone"))
                .setRequest(RegisterPushTokenRequest.newBuilder().setProvider(PushProvider.FCM).setToken("t"))
                .build();
        assertInvalid(catchThrowableOfType(StatusRuntimeException.class, () -> client.settings().registerToken(command)),
                "bad:user");
    }

    @Test
    void badDoNotDisturbIsRejected() {
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder().setDoNotDisturb(
                DoNotDisturb.newBuilder().setStartMinute(1440).setEndMinute(60).setTimeZone("UTC"))), "1440");
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder().setDoNotDisturb(
                DoNotDisturb.newBuilder().setStartMinute(60).setEndMinute(2000).setTimeZone("UTC"))), "2000");
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder().setDoNotDisturb(
                DoNotDisturb.newBuilder().setStartMinute(1320).setEndMinute(480).setTimeZone("Mars/Olympus"))),
                "Mars/Olympus");
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder().setDoNotDisturb(
                DoNotDisturb.newBuilder().setStartMinute(1320).setEndMinute(480))), "time_zone is empty");
    }

    @Test
    void badMuteConversationIsRejected() {
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder()
                .addMute(Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId("bad id"))), "bad id");
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder()
                .addMute(Conversation.newBuilder().setTargetId("g1"))), "CONVERSATION_TYPE_UNSPECIFIED");
        Conversation both = Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId("g1").build();
        assertInvalid(settingsFail(SetPushSettingsRequest.newBuilder().addMute(both).addUnmute(both)), "g:g1");
    }

    @Test
    void adminListsAndDeletesTokens() {
        String bob = unique("bob");
        client.registerToken(bob, "iphone", PushProvider.APNS, apnsToken(), "io.tidings.demo", true);
        client.registerToken(bob, "pixel", PushProvider.FCM, unique("fcm"), "io.tidings.demo.android", false);
        client.registerToken(bob, "mi", PushProvider.XIAOMI, unique("mi"), "io.tidings.demo.android", false);

        ListTokensReply listed = client.admin().listTokens(ListTokensRequest.newBuilder().setUserId(bob).build());
        assertThat(listed.getTokensList()).extracting(t -> t.getDeviceId()).containsExactlyInAnyOrder("iphone", "pixel", "mi");
        assertThat(listed.getTokensList()).filteredOn(t -> t.getDeviceId().equals("iphone"))
                .allMatch(t -> t.getApnsSandbox() && t.getRegisteredAt() > 0);

        int deleted = client.admin().deleteTokens(DeleteTokensRequest.newBuilder().setUserId(bob)
                .addDeviceIds("pixel").build()).getDeleted();
        assertThat(deleted).isEqualTo(1);
        client.settings().unregisterToken(DeviceRef.newBuilder().setUserId(bob).setDeviceId("mi").build());
        assertThat(client.admin().listTokens(ListTokensRequest.newBuilder().setUserId(bob).build()).getTokensList())
                .extracting(t -> t.getDeviceId()).containsExactly("iphone");
        assertThat(client.admin().deleteTokens(DeleteTokensRequest.newBuilder().setUserId(bob).build()).getDeleted())
                .isEqualTo(1);
    }

    @Test
    void tokenMovedToAnotherAccountLeavesTheFirst() {
        String bob = unique("bob");
        String carol = unique("carol");
        String token = apnsToken();
        client.registerToken(bob, "iphone", PushProvider.APNS, token, "io.tidings.demo", false);
        client.registerToken(carol, "iphone", PushProvider.APNS, token, "io.tidings.demo", false);

        assertThat(client.admin().listTokens(ListTokensRequest.newBuilder().setUserId(bob).build()).getTokensCount())
                .isZero();
        assertThat(client.admin().listTokens(ListTokensRequest.newBuilder().setUserId(carol).build()).getTokensCount())
                .isEqualTo(1);
    }

    @Test
    void readinessChecksRedisAndKafka() throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(base.toURI().resolve("/q/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        io.vertx.core.json.JsonArray checks = new io.vertx.core.json.JsonObject(response.body()).getJsonArray("checks");
        io.vertx.core.json.JsonObject data = checks.stream()
                .map(check -> (io.vertx.core.json.JsonObject) check)
                .filter(check -> "push dependencies".equals(check.getString("name")))
                .findFirst().orElseThrow().getJsonObject("data");
        assertThat(data.getString("redis")).isEqualTo("UP");
        assertThat(data.getString("kafka")).isEqualTo("UP");
    }

    @Test
    void adminApiNeedsAppSecret() {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
                () -> client.adminWithoutSecret().listTokens(ListTokensRequest.newBuilder().setUserId("bob").build()));
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertInvalid(catchThrowableOfType(StatusRuntimeException.class,
                () -> client.admin().listTokens(ListTokensRequest.newBuilder().setUserId("").build())), "user_id");
    }
}
