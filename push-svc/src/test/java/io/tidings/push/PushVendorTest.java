package io.tidings.push;

import static io.tidings.push.PushTestClient.privateText;
import static io.tidings.push.PushTestClient.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.protocol.server.ListTokensRequest;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.fake.FakeHuawei;
import io.tidings.push.fake.FakeOppo;
import io.tidings.push.fake.FakeProviderServer;
import io.tidings.push.fake.FakeProviders;
import io.tidings.push.fake.FakeResponse;
import io.tidings.push.fake.FakeVivo;
import io.tidings.push.fake.FakeXiaomi;
import io.tidings.push.fake.RecordedRequest;
import io.tidings.push.kafka.PushEventConsumer;
import io.tidings.support.SessionRegistry;
import io.tidings.testsupport.KafkaResource;
import io.tidings.testsupport.RedisResource;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Huawei, Xiaomi, OPPO and vivo: one notification each with valid auth, and invalid tokens deleted. */
@QuarkusTest
@WithTestResource(RedisResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeProviders.class)
class PushVendorTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final String PACKAGE = "io.tidings.demo.android";

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
        FakeProviders.all().forEach(fake -> assertThat(fake.violations()).as("violations at " + fake).isEmpty());
    }

    private RecordedRequest deliverOne(PushProvider provider, FakeProviderServer fake) {
        String bob = unique("bob");
        String token = unique(provider.name().toLowerCase() + "-token");
        client.registerToken(bob, "phone", provider, token, PACKAGE, false);
        PushEvent event = privateText(unique("alice"), bob, "你好 from " + provider, 7).toBuilder()
                .setSenderDisplayName("Alice").build();

        client.produce(event);

        await().atMost(DELIVERY).until(() -> fake.deliveredTo(token).size() == 1);
        assertThat(fake.requestsFor(token)).hasSize(1);
        return fake.deliveredTo(token).get(0);
    }

    @Test
    void huaweiDeliversWithOAuthToken() {
        RecordedRequest request = deliverOne(PushProvider.HUAWEI, FakeProviders.huawei());
        JsonObject notification = request.json().getJsonObject("message").getJsonObject("android")
                .getJsonObject("notification");
        assertThat(notification.getString("title")).isEqualTo("Alice");
        assertThat(notification.getString("body")).isEqualTo("你好 from HUAWEI");
        assertThat(request.header("authorization")).startsWith("Bearer CF-fake-");
        assertThat(FakeProviders.huawei().requests(r -> r.path().equals(FakeHuawei.TOKEN_PATH))).isNotEmpty();
    }

    @Test
    void xiaomiDeliversWithAppSecret() {
        RecordedRequest request = deliverOne(PushProvider.XIAOMI, FakeProviders.xiaomi());
        assertThat(request.header("authorization")).isEqualTo("key=" + FakeProviders.XIAOMI_SECRET);
        assertThat(request.form()).containsEntry("title", "Alice")
                .containsEntry("description", "你好 from XIAOMI")
                .containsEntry("restricted_package_name", PACKAGE)
                .containsEntry("pass_through", "0");
    }

    @Test
    void oppoDeliversWithSignedAuthToken() {
        RecordedRequest request = deliverOne(PushProvider.OPPO, FakeProviders.oppo());
        JsonObject notification = new JsonObject(request.form().get("message")).getJsonObject("notification");
        assertThat(notification.getString("title")).isEqualTo("Alice");
        assertThat(notification.getString("content")).isEqualTo("你好 from OPPO");
        assertThat(FakeProviders.oppo().requests(r -> r.path().equals("/server/v1/auth"))).isNotEmpty();
    }

    @Test
    void vivoDeliversWithSignedAuthToken() {
        RecordedRequest request = deliverOne(PushProvider.VIVO, FakeProviders.vivo());
        assertThat(request.json().getString("title")).isEqualTo("Alice");
        assertThat(request.json().getString("content")).isEqualTo("你好 from VIVO");
        assertThat(request.json().getJsonObject("clientCustomMap").getString("message_id")).isNotEmpty();
        assertThat(request.header("authToken")).isNotBlank();
    }

    private void invalidTokenIsDeleted(PushProvider provider, FakeProviderServer fake, Supplier<FakeResponse> answer) {
        String bob = unique("bob");
        String token = unique(provider.name().toLowerCase() + "-token");
        client.registerToken(bob, "phone", provider, token, PACKAGE, false);
        fake.script(token, answer.get());

        client.produce(privateText(unique("alice"), bob, "to a dead token", 1));

        await().atMost(DELIVERY).until(() -> client.admin()
                .listTokens(ListTokensRequest.newBuilder().setUserId(bob).build()).getTokensCount() == 0);
        assertThat(fake.requestsFor(token)).hasSize(1);
    }

    @Test
    void huaweiInvalidTokenIsDeleted() {
        invalidTokenIsDeleted(PushProvider.HUAWEI, FakeProviders.huawei(),
                () -> FakeHuawei.result(200, "80300007", "All the tokens are invalid"));
    }

    @Test
    void xiaomiInvalidTokenIsDeleted() {
        invalidTokenIsDeleted(PushProvider.XIAOMI, FakeProviders.xiaomi(),
                () -> FakeXiaomi.error(20301, "Invalid target"));
    }

    @Test
    void oppoInvalidTokenIsDeleted() {
        invalidTokenIsDeleted(PushProvider.OPPO, FakeProviders.oppo(),
                () -> FakeOppo.code(10000, "Invalid Registration_id"));
    }

    @Test
    void vivoInvalidTokenIsDeleted() {
        invalidTokenIsDeleted(PushProvider.VIVO, FakeProviders.vivo(),
                () -> FakeVivo.result(10302, "regId不合法"));
    }

    @Test
    void vendorTextsAreCutToTheirLimits() {
        String bob = unique("bob");
        String token = unique("vivo-token");
        client.registerToken(bob, "phone", PushProvider.VIVO, token, PACKAGE, false);
        String longText = "消息".repeat(100) + "\uD83D\uDE00";

        client.produce(privateText(unique("alice"), bob, longText, 1).toBuilder()
                .setSenderDisplayName("一个非常非常非常非常非常非常非常长的发送者名字").build());

        await().atMost(DELIVERY).until(() -> FakeProviders.vivo().deliveredTo(token).size() == 1);
        JsonObject body = FakeProviders.vivo().deliveredTo(token).get(0).json();
        assertThat(body.getString("title").codePointCount(0, body.getString("title").length())).isLessThanOrEqualTo(20);
        assertThat(body.getString("content").codePointCount(0, body.getString("content").length())).isEqualTo(50);
        assertThat(body.getString("content")).endsWith("…");
    }
}
