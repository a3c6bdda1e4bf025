package io.tidings.push.provider.oppo;

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
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OPPO PUSH server API: an auth_token from POST /server/v1/auth (app_key, millisecond timestamp
 * and sign = hex SHA-256 of app key + timestamp + master secret), then
 * POST /server/v1/message/notification/unicast with the token and a JSON "message" form field.
 */
@ApplicationScoped
public class OppoClient implements ProviderClient {

    static final long SUCCESS = 0;
    static final long INVALID_AUTH_TOKEN = 11;
    /** registration_id is malformed. */
    static final long INVALID_REGISTRATION_ID = 10000;
    /** Flow control (-2), service unavailable (-1), call limits (13) and frequency limits (55). */
    static final Set<Long> RETRYABLE_CODES = Set.of(-2L, -1L, 13L, 55L);
    /** OPPO tokens live 24 hours; a fresh one is fetched well before. */
    static final Duration AUTH_TOKEN_LIFETIME = Duration.ofHours(12);
    /**
     * Title and content limits. OPPO's pages name 32 or 50 characters for the title and 50
     * (standard style, as phones show it) or 200 for the content. The smaller values are used.
     */
    static final int MAX_TITLE_CODE_POINTS = 32;
    static final int MAX_CONTENT_CODE_POINTS = 50;

    private final PushConfig.Oppo config;
    private final Clock clock;
    private final Optional<String> disabledReason;
    private final HttpClient http;
    private final AccessTokenCache authTokens;

    @Inject
    public OppoClient(PushConfig pushConfig) {
        this(pushConfig.oppo(), Clock.systemUTC());
    }

    OppoClient(PushConfig.Oppo config, Clock clock) {
        this.config = config;
        this.clock = clock;
        if (config.appKey().isEmpty() || config.masterSecret().isEmpty()) {
            this.disabledReason = Optional.of("tidings.push.oppo.app-key and master-secret are not set");
            this.http = null;
            this.authTokens = null;
            return;
        }
        this.http = ProviderHttp.newClient(config.baseUrl(), Optional.empty());
        this.authTokens = new AccessTokenCache(this::fetchAuthToken, Duration.ofMinutes(5), clock);
        this.disabledReason = Optional.empty();
    }

    @Override
    public PushProvider provider() {
        return PushProvider.OPPO;
    }

    @Override
    public Optional<String> disabledReason() {
        return disabledReason;
    }

    @Override
    public Uni<SendResult> send(DeviceTarget target, Notification notification) {
        String message = message(target.token().getToken(), notification);
        return authTokens.call(authToken -> post(message, authToken), response -> codeOf(response) == INVALID_AUTH_TOKEN)
                .map(this::resultOf)
                .onFailure().recoverWithItem(ProviderHttp::transportFailure);
    }

    private Uni<HttpResponse<String>> post(String message, String authToken) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("auth_token", authToken);
        fields.put("message", message);
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(),
                        "/server/v1/message/notification/unicast"))
                .timeout(config.requestTimeout())
                .header("content-type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(ProviderHttp.form(fields), StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request);
    }

    private static long codeOf(HttpResponse<String> response) {
        Object code = ProviderHttp.jsonOrEmpty(response.body()).getValue("code");
        return code instanceof Number number ? number.longValue() : Long.MIN_VALUE;
    }

    SendResult resultOf(HttpResponse<String> response) {
        long code = codeOf(response);
        JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
        if (response.statusCode() == 200 && code == SUCCESS) {
            return new SendResult.Delivered(body.getJsonObject("data", new JsonObject()).getString("messageId", ""));
        }
        String reason = code == Long.MIN_VALUE ? "http_" + response.statusCode() : "oppo_" + code;
        if (code == INVALID_REGISTRATION_ID) {
            return new SendResult.InvalidToken(reason);
        }
        SendResult retryable = ProviderHttp.retryableStatus(response, reason, clock);
        if (retryable != null) {
            return retryable;
        }
        if (RETRYABLE_CODES.contains(code)) {
            return SendResult.Retryable.of(reason);
        }
        return new SendResult.Rejected(reason);
    }

    /**
     * Builds the "message" field. NOTE: OPPO's unicast page shows camelCase notification fields in
     * one example and OPPO's server SDK sends snake_case; snake_case is used here, as the SDK does.
     */
    String message(String registrationId, Notification n) {
        JsonObject notification = new JsonObject()
                .put("app_message_id", n.messageId())
                .put("style", 1)
                .put("title", TextLimits.fitCodePoints(n.title(), MAX_TITLE_CODE_POINTS))
                .put("content", TextLimits.fitCodePoints(n.body(), MAX_CONTENT_CODE_POINTS))
                // 0: open the app.
                .put("click_action_type", 0)
                .put("action_parameters", new JsonObject(new LinkedHashMap<>(n.data())).encode())
                .put("off_line", true)
                .put("off_line_ttl", config.timeToLive().toSeconds());
        config.channelId().ifPresent(channel -> notification.put("channel_id", channel));
        return new JsonObject()
                .put("target_type", 2)
                .put("target_value", registrationId)
                .put("notification", notification)
                .encode();
    }

    private Uni<AccessToken> fetchAuthToken() {
        Instant now = clock.instant();
        String timestamp = Long.toString(now.toEpochMilli());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("app_key", config.appKey().get());
        fields.put("sign", sign(config.appKey().get(), timestamp, config.masterSecret().get()));
        fields.put("timestamp", timestamp);
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(), "/server/v1/auth"))
                .timeout(config.requestTimeout())
                .header("content-type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(ProviderHttp.form(fields), StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request).map(response -> {
            JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
            String token = body.getJsonObject("data", new JsonObject()).getString("auth_token");
            if (response.statusCode() != 200 || codeOf(response) != SUCCESS || token == null) {
                throw new IllegalStateException("OPPO auth returned HTTP " + response.statusCode() + " code="
                        + body.getValue("code") + " " + body.getString("message", ""));
            }
            return new AccessToken(token, now.plus(AUTH_TOKEN_LIFETIME));
        });
    }

    static String sign(String appKey, String timestamp, String masterSecret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((appKey + timestamp + masterSecret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
