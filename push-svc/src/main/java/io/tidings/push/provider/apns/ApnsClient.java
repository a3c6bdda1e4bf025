package io.tidings.push.provider.apns;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import io.tidings.push.notification.Notification;
import io.tidings.push.notification.TextLimits;
import io.tidings.push.provider.DeviceTarget;
import io.tidings.push.provider.KeyMaterial;
import io.tidings.push.provider.ProviderClient;
import io.tidings.push.provider.ProviderHttp;
import io.tidings.push.provider.SendResult;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * APNs over HTTP/2 with token-based authentication: POST /3/device/&lt;token&gt; on the production or
 * sandbox host, as Apple's "Sending notification requests to APNs" documents.
 */
@ApplicationScoped
public class ApnsClient implements ProviderClient {

    /** Apple's payload limit for regular remote notifications. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    /** Apple's limit of the apns-collapse-id header. */
    static final int MAX_COLLAPSE_ID_BYTES = 64;
    static final int MAX_TITLE_CODE_POINTS = 120;

    /** Reasons after which the token will never work again. */
    private static final Set<String> INVALID_TOKEN_REASONS = Set.of("BadDeviceToken", "Unregistered", "ExpiredToken");

    private final PushConfig.Apns config;
    private final Clock clock;
    private final Optional<String> disabledReason;
    private final ApnsProviderToken providerToken;
    private final HttpClient http;

    @Inject
    public ApnsClient(PushConfig pushConfig) {
        this(pushConfig.apns(), Clock.systemUTC());
    }

    ApnsClient(PushConfig.Apns config, Clock clock) {
        this.config = config;
        this.clock = clock;
        String pem;
        try {
            pem = KeyMaterial.inlineOrFile(config.key(), config.keyFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tidings.push.apns.key-file " + config.keyFile().orElse("")
                    + ": " + e.getMessage(), e);
        }
        if (pem == null || config.keyId().isEmpty() || config.teamId().isEmpty()) {
            this.disabledReason = Optional.of("tidings.push.apns.key-file (or key), key-id and team-id are not all set");
            this.providerToken = null;
            this.http = null;
            return;
        }
        try {
            ECPrivateKey key = (ECPrivateKey) KeyMaterial.privateKeyFromPem(pem, "EC");
            this.providerToken = new ApnsProviderToken(key, config.keyId().get(), config.teamId().get(),
                    config.tokenRefreshInterval(), clock);
            Optional<SSLContext> ssl = config.trustStoreFile().isPresent()
                    ? Optional.of(KeyMaterial.trustingOnly(config.trustStoreFile().get(),
                            config.trustStorePassword().orElse("")))
                    : Optional.empty();
            // APNs requires HTTP/2; one client keeps one multiplexed connection per host.
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_2)
                    .connectTimeout(config.requestTimeout());
            ssl.ifPresent(builder::sslContext);
            this.http = builder.build();
        } catch (GeneralSecurityException | IOException | com.nimbusds.jose.JOSEException | ClassCastException e) {
            throw new IllegalStateException("invalid APNs credentials (tidings.push.apns.*): " + e.getMessage(), e);
        }
        this.disabledReason = Optional.empty();
    }

    @Override
    public PushProvider provider() {
        return PushProvider.APNS;
    }

    @Override
    public Optional<String> disabledReason() {
        return disabledReason;
    }

    @Override
    public Uni<SendResult> send(DeviceTarget target, Notification notification) {
        String topic = target.token().getAppId().isEmpty()
                ? config.defaultTopic().orElse("")
                : target.token().getAppId();
        if (topic.isEmpty()) {
            return Uni.createFrom().item(new SendResult.Rejected("MissingTopic"));
        }
        String payload = TextLimits.fitRendered(
                notification.withTexts(TextLimits.fitCodePoints(notification.title(), MAX_TITLE_CODE_POINTS),
                        notification.body()),
                MAX_PAYLOAD_BYTES, ApnsClient::render);
        return attempt(target, notification, topic, payload, providerToken.current(), true);
    }

    private Uni<SendResult> attempt(DeviceTarget target, Notification notification, String topic, String payload,
            String jwt, boolean mayRefreshToken) {
        String baseUrl = target.token().getApnsSandbox() ? config.sandboxUrl() : config.productionUrl();
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        ProviderHttp.uri(baseUrl, "/3/device/" + target.token().getToken()))
                .timeout(config.requestTimeout())
                .header("authorization", "bearer " + jwt)
                .header("apns-topic", topic)
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("apns-expiration", Long.toString(clock.instant().plus(config.timeToLive()).getEpochSecond()))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        String collapseId = notification.collapseId();
        if (TextLimits.utf8Length(collapseId) <= MAX_COLLAPSE_ID_BYTES) {
            request.header("apns-collapse-id", collapseId);
        } else {
            Log.debugf("Message id is longer than the apns-collapse-id limit; sent without it messageId=%s",
                    notification.messageId());
        }
        return ProviderHttp.send(http, request.build())
                .chain(response -> {
                    SendResult result = resultOf(response);
                    if (mayRefreshToken && result instanceof SendResult.Rejected rejected
                            && "ExpiredProviderToken".equals(rejected.reason())) {
                        String fresh = providerToken.refreshAfterExpired(jwt);
                        if (!fresh.equals(jwt)) {
                            return attempt(target, notification, topic, payload, fresh, false);
                        }
                    }
                    return Uni.createFrom().item(result);
                })
                .onFailure().recoverWithItem(ProviderHttp::transportFailure);
    }

    SendResult resultOf(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 200) {
            return new SendResult.Delivered(response.headers().firstValue("apns-id").orElse(""));
        }
        String reason = reasonOf(response.body(), status);
        if (status == 410 || (status == 400 && INVALID_TOKEN_REASONS.contains(reason))) {
            return new SendResult.InvalidToken(reason);
        }
        SendResult retryable = ProviderHttp.retryableStatus(response, reason, clock);
        if (retryable != null) {
            return retryable;
        }
        return new SendResult.Rejected(reason);
    }

    private static String reasonOf(String body, int status) {
        Object reason = ProviderHttp.jsonOrEmpty(body).getValue("reason");
        return reason instanceof String text && !text.isBlank() ? text : "http_" + status;
    }

    static String render(Notification n) {
        JsonObject alert = new JsonObject().put("title", n.title()).put("body", n.body());
        JsonObject aps = new JsonObject()
                .put("alert", alert)
                .put("badge", n.badge())
                .put("sound", "default")
                .put("thread-id", n.threadId());
        JsonObject payload = new JsonObject().put("aps", aps);
        n.data().forEach(payload::put);
        return payload.encode();
    }
}
