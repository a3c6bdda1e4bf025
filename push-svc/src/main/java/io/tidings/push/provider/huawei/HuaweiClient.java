package io.tidings.push.provider.huawei;

import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import io.tidings.push.notification.Notification;
import io.tidings.push.notification.TextLimits;
import io.tidings.push.provider.AccessTokenCache;
import io.tidings.push.provider.AccessTokenCache.AccessToken;
import io.tidings.push.provider.DeviceTarget;
import io.tidings.push.provider.ProviderClient;
import io.tidings.push.provider.ProviderHttp;
import io.tidings.push.provider.SendResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Huawei Push Kit: an app-level access token from the OAuth 2.0 client-credentials grant
 * (POST oauth2/v3/token), then POST /v1/&lt;app id&gt;/messages:send with a notification message.
 */
@ApplicationScoped
public class HuaweiClient implements ProviderClient {

    static final String SUCCESS = "80000000";
    /** Some tokens failed; the msg field lists them as illegal_tokens. */
    static final String PARTIAL_SUCCESS = "80100000";
    static final String ALL_TOKENS_INVALID = "80300007";
    /** OAuth authentication error and OAuth token expired. */
    static final Set<String> AUTH_ERRORS = Set.of("80200001", "80200003");
    /** Internal error: documented as worth a retry. */
    static final Set<String> RETRYABLE_CODES = Set.of("81000001");
    /** Push Kit's message size limit (4 KB); applied here to the whole request body. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    static final int MAX_TITLE_CODE_POINTS = 100;

    private final PushConfig.Huawei config;
    private final Clock clock;
    private final Optional<String> disabledReason;
    private final HttpClient http;
    private final AccessTokenCache accessTokens;

    @Inject
    public HuaweiClient(PushConfig pushConfig) {
        this(pushConfig.huawei(), Clock.systemUTC());
    }

    HuaweiClient(PushConfig.Huawei config, Clock clock) {
        this.config = config;
        this.clock = clock;
        if (config.appId().isEmpty() || config.clientSecret().isEmpty()) {
            this.disabledReason = Optional.of("tidings.push.huawei.app-id and client-secret are not set");
            this.http = null;
            this.accessTokens = null;
            return;
        }
        this.http = ProviderHttp.newClient(config.baseUrl(), Optional.empty());
        this.accessTokens = new AccessTokenCache(this::fetchAccessToken, Duration.ofMinutes(5), clock);
        this.disabledReason = Optional.empty();
    }

    @Override
    public PushProvider provider() {
        return PushProvider.HUAWEI;
    }

    @Override
    public Optional<String> disabledReason() {
        return disabledReason;
    }

    @Override
    public Uni<SendResult> send(DeviceTarget target, Notification notification) {
        Notification titled = notification.withTexts(
                TextLimits.fitCodePoints(notification.title(), MAX_TITLE_CODE_POINTS), notification.body());
        String body = TextLimits.fitRendered(titled, MAX_PAYLOAD_BYTES,
                n -> render(target.token().getToken(), n, config.timeToLive()));
        return accessTokens.call(accessToken -> post(body, accessToken), response -> AUTH_ERRORS.contains(codeOf(response)))
                .map(response -> resultOf(response, target.token().getToken()))
                .onFailure().recoverWithItem(ProviderHttp::transportFailure);
    }

    private Uni<HttpResponse<String>> post(String body, String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(),
                        "/v1/" + config.appId().get() + "/messages:send"))
                .timeout(config.requestTimeout())
                .header("authorization", "Bearer " + accessToken)
                .header("content-type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request);
    }

    private static String codeOf(HttpResponse<String> response) {
        Object code = ProviderHttp.jsonOrEmpty(response.body()).getValue("code");
        return code == null ? "" : code.toString();
    }

    SendResult resultOf(HttpResponse<String> response, String token) {
        JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
        String code = codeOf(response);
        if (response.statusCode() == 200 && SUCCESS.equals(code)) {
            return new SendResult.Delivered(body.getString("requestId", ""));
        }
        if (ALL_TOKENS_INVALID.equals(code) || (PARTIAL_SUCCESS.equals(code) && listsIllegal(body, token))) {
            return new SendResult.InvalidToken("huawei_" + code);
        }
        String reason = code.isEmpty() ? "http_" + response.statusCode() : "huawei_" + code;
        SendResult retryable = ProviderHttp.retryableStatus(response, reason, clock);
        if (retryable != null) {
            return retryable;
        }
        if (RETRYABLE_CODES.contains(code)) {
            return SendResult.Retryable.of(reason);
        }
        return new SendResult.Rejected(reason);
    }

    /** Reads msg = {"success":0,"failure":1,"illegal_tokens":["..."]} of a partial success. */
    private static boolean listsIllegal(JsonObject body, String token) {
        JsonObject msg = ProviderHttp.jsonOrEmpty(body.getString("msg", ""));
        JsonArray illegal = msg.getJsonArray("illegal_tokens", new JsonArray());
        return illegal.contains(token);
    }

    private Uni<AccessToken> fetchAccessToken() {
        Instant now = clock.instant();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "client_credentials");
        fields.put("client_id", config.clientId().orElse(config.appId().get()));
        fields.put("client_secret", config.clientSecret().get());
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl()))
                .timeout(config.requestTimeout())
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(ProviderHttp.form(fields), StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request).map(response -> {
            JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
            String token = body.getString("access_token");
            if (response.statusCode() != 200 || token == null) {
                throw new IllegalStateException("Huawei token endpoint returned HTTP " + response.statusCode()
                        + " error=" + body.getValue("error") + " sub_error=" + body.getValue("sub_error")
                        + " " + body.getString("error_description", ""));
            }
            return new AccessToken(token, now.plusSeconds(body.getLong("expires_in", 3600L)));
        });
    }

    static String render(String token, Notification n, Duration timeToLive) {
        JsonObject androidNotification = new JsonObject()
                .put("title", n.title())
                .put("body", n.body())
                .put("tag", n.collapseId())
                // type 3: open the app's launcher activity.
                .put("click_action", new JsonObject().put("type", 3));
        JsonObject android = new JsonObject()
                .put("urgency", "HIGH")
                .put("category", "IM")
                .put("ttl", timeToLive.toSeconds() + "s")
                .put("bi_tag", n.messageId())
                .put("notification", androidNotification);
        // NOTE: Push Kit documents message.data for data messages. Whether a notification message
        // hands it to the app on tap could not be confirmed; the message id is also the tag.
        JsonObject message = new JsonObject()
                .put("data", new JsonObject(new LinkedHashMap<>(n.data())).encode())
                .put("android", android)
                .put("token", new JsonArray().add(token));
        return new JsonObject().put("validate_only", false).put("message", message).encode();
    }
}
