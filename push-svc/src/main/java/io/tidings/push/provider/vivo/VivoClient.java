package io.tidings.push.provider.vivo;

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
import java.util.Optional;
import java.util.UUID;

/**
 * vivo push server API: an authToken from POST /message/auth (appId, appKey, millisecond
 * timestamp and sign = lower-case hex MD5 of appId + appKey + timestamp + appSecret), then
 * POST /message/send with the header "authToken".
 */
@ApplicationScoped
public class VivoClient implements ProviderClient {

    static final long SUCCESS = 0;
    /** regId is invalid; the response names it in invalidUser. */
    static final long INVALID_REG_ID = 10302;
    /** vivo tokens live 24 hours, and vivo's page recommends a refresh every 1 to 2 hours. */
    static final Duration AUTH_TOKEN_LIFETIME = Duration.ofHours(1);
    /**
     * vivo allows 20 Chinese or 40 Latin characters in the title and 50 or 100 in the content, because
     * one Chinese character counts as two. Counting every code point as Chinese stays within both.
     */
    static final int MAX_TITLE_CODE_POINTS = 20;
    static final int MAX_CONTENT_CODE_POINTS = 50;
    /** vivo's bounds of timeToLive, in seconds: 15 minutes to 7 days. */
    static final long MIN_TTL_SECONDS = 900;
    static final long MAX_TTL_SECONDS = 7 * 24 * 3600;

    private final PushConfig.Vivo config;
    private final Clock clock;
    private final Optional<String> disabledReason;
    private final HttpClient http;
    private final AccessTokenCache authTokens;

    @Inject
    public VivoClient(PushConfig pushConfig) {
        this(pushConfig.vivo(), Clock.systemUTC());
    }

    VivoClient(PushConfig.Vivo config, Clock clock) {
        this.config = config;
        this.clock = clock;
        if (config.appId().isEmpty() || config.appKey().isEmpty() || config.appSecret().isEmpty()) {
            this.disabledReason = Optional.of("tidings.push.vivo.app-id, app-key and app-secret are not all set");
            this.http = null;
            this.authTokens = null;
            return;
        }
        if (!config.appId().get().trim().matches("[0-9]{1,18}")) {
            throw new IllegalStateException("tidings.push.vivo.app-id '" + config.appId().get()
                    + "' is invalid: vivo app ids are numbers");
        }
        this.http = ProviderHttp.newClient(config.baseUrl(), Optional.empty());
        this.authTokens = new AccessTokenCache(this::fetchAuthToken, Duration.ofMinutes(5), clock);
        this.disabledReason = Optional.empty();
    }

    @Override
    public PushProvider provider() {
        return PushProvider.VIVO;
    }

    @Override
    public Optional<String> disabledReason() {
        return disabledReason;
    }

    @Override
    public Uni<SendResult> send(DeviceTarget target, Notification notification) {
        String body = body(target.token().getToken(), notification);
        return authTokens.get()
                .chain(authToken -> post(body, authToken))
                .map(this::resultOf)
                .onFailure().recoverWithItem(ProviderHttp::transportFailure);
    }

    private Uni<HttpResponse<String>> post(String body, String authToken) {
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(), "/message/send"))
                .timeout(config.requestTimeout())
                .header("authToken", authToken)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request);
    }

    SendResult resultOf(HttpResponse<String> response) {
        JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
        Object result = body.getValue("result");
        long code = result instanceof Number number ? number.longValue() : Long.MIN_VALUE;
        if (response.statusCode() == 200 && code == SUCCESS) {
            return new SendResult.Delivered(body.getString("taskId", ""));
        }
        String reason = code == Long.MIN_VALUE ? "http_" + response.statusCode() : "vivo_" + code;
        if (code == INVALID_REG_ID) {
            return new SendResult.InvalidToken(reason);
        }
        SendResult retryable = ProviderHttp.retryableStatus(response, reason, clock);
        if (retryable != null) {
            return retryable;
        }
        // NOTE: the result code of an expired authToken could not be confirmed, so it is not
        // handled separately. Tokens are replaced hourly, long before vivo's 24-hour expiry.
        return new SendResult.Rejected(reason);
    }

    String body(String regId, Notification n) {
        long ttl = Math.max(MIN_TTL_SECONDS, Math.min(MAX_TTL_SECONDS, config.timeToLive().toSeconds()));
        // vivo de-duplicates by requestId, so it names the message and the device.
        String requestId = UUID.nameUUIDFromBytes((n.messageId() + "/" + regId).getBytes(StandardCharsets.UTF_8))
                .toString();
        return new JsonObject()
                .put("appId", Long.parseLong(config.appId().get()))
                .put("regId", regId)
                // 4: ring and vibrate.
                .put("notifyType", 4)
                .put("title", TextLimits.fitCodePoints(n.title(), MAX_TITLE_CODE_POINTS))
                .put("content", TextLimits.fitCodePoints(n.body(), MAX_CONTENT_CODE_POINTS))
                .put("timeToLive", ttl)
                // 1: open the app's home page.
                .put("skipType", 1)
                .put("classification", config.classification())
                .put("clientCustomMap", new JsonObject(new LinkedHashMap<>(n.data())))
                .put("requestId", requestId)
                .encode();
    }

    private Uni<AccessToken> fetchAuthToken() {
        Instant now = clock.instant();
        long timestamp = now.toEpochMilli();
        String appId = config.appId().get();
        String appKey = config.appKey().get();
        String body = new JsonObject()
                .put("appId", Long.parseLong(appId))
                .put("appKey", appKey)
                .put("timestamp", timestamp)
                .put("sign", sign(appId, appKey, timestamp, config.appSecret().get()))
                .encode();
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(), "/message/auth"))
                .timeout(config.requestTimeout())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request).map(response -> {
            JsonObject answer = ProviderHttp.jsonOrEmpty(response.body());
            String token = answer.getString("authToken");
            Object result = answer.getValue("result");
            if (response.statusCode() != 200 || !(result instanceof Number number) || number.longValue() != SUCCESS
                    || token == null) {
                throw new IllegalStateException("vivo auth returned HTTP " + response.statusCode() + " result=" + result
                        + " " + answer.getString("desc", ""));
            }
            return new AccessToken(token, now.plus(AUTH_TOKEN_LIFETIME));
        });
    }

    static String sign(String appId, String appKey, long timestamp, String appSecret) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest((appId.trim() + appKey.trim() + timestamp + appSecret.trim()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
