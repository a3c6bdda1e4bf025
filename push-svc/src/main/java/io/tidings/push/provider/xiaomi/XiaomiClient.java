package io.tidings.push.provider.xiaomi;

import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import io.tidings.push.notification.Notification;
import io.tidings.push.notification.TextLimits;
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
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Xiaomi MiPush server API: POST /v3/message/regid, form-encoded, authenticated with the header
 * "Authorization: key=&lt;app secret&gt;".
 */
@ApplicationScoped
public class XiaomiClient implements ProviderClient {

    /** Xiaomi documents the title as shorter than 50 and the description as shorter than 128 characters. */
    static final int MAX_TITLE_CODE_POINTS = 49;
    static final int MAX_DESCRIPTION_CODE_POINTS = 127;
    /** notify_type -1: sound, vibration and light (DEFAULT_ALL). */
    static final String NOTIFY_TYPE_ALL = "-1";
    /**
     * Result codes taken as "this registration id is invalid".
     * NOTE: the code list of Xiaomi's error-code page could not be confirmed; 20301 (invalid
     * target) follows what client libraries report. The data.bad_regids field is also honoured.
     */
    static final Set<Long> INVALID_TARGET_CODES = Set.of(20301L);

    private final PushConfig.Xiaomi config;
    private final Clock clock;
    private final Optional<String> disabledReason;
    private final HttpClient http;

    @Inject
    public XiaomiClient(PushConfig pushConfig) {
        this(pushConfig.xiaomi(), Clock.systemUTC());
    }

    XiaomiClient(PushConfig.Xiaomi config, Clock clock) {
        this.config = config;
        this.clock = clock;
        if (config.appSecret().isEmpty()) {
            this.disabledReason = Optional.of("tidings.push.xiaomi.app-secret is not set");
            this.http = null;
            return;
        }
        this.http = ProviderHttp.newClient(config.baseUrl(), Optional.empty());
        this.disabledReason = Optional.empty();
    }

    @Override
    public PushProvider provider() {
        return PushProvider.XIAOMI;
    }

    @Override
    public Optional<String> disabledReason() {
        return disabledReason;
    }

    @Override
    public Uni<SendResult> send(DeviceTarget target, Notification notification) {
        Map<String, String> fields = fields(target, notification);
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(), "/v3/message/regid"))
                .timeout(config.requestTimeout())
                .header("authorization", "key=" + config.appSecret().get())
                .header("content-type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(ProviderHttp.form(fields), StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request)
                .map(response -> resultOf(response, target.token().getToken()))
                .onFailure().recoverWithItem(ProviderHttp::transportFailure);
    }

    Map<String, String> fields(DeviceTarget target, Notification n) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("registration_id", target.token().getToken());
        if (!target.token().getAppId().isEmpty()) {
            fields.put("restricted_package_name", target.token().getAppId());
        }
        fields.put("pass_through", "0");
        fields.put("notify_type", NOTIFY_TYPE_ALL);
        fields.put("title", TextLimits.fitCodePoints(n.title(), MAX_TITLE_CODE_POINTS));
        fields.put("description", TextLimits.fitCodePoints(n.body(), MAX_DESCRIPTION_CODE_POINTS));
        fields.put("payload", new JsonObject(new LinkedHashMap<>(n.data())).encode());
        // A notification with the same notify_id replaces the earlier one: one per message.
        fields.put("notify_id", Integer.toString(n.collapseId().hashCode() & Integer.MAX_VALUE));
        fields.put("time_to_live", Long.toString(config.timeToLive().toMillis()));
        fields.put("extra.notify_effect", "1");
        n.data().forEach((key, value) -> fields.put("extra." + key, value));
        return fields;
    }

    SendResult resultOf(HttpResponse<String> response, String token) {
        JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
        long code = body.getValue("code") instanceof Number number ? number.longValue() : -1L;
        if (response.statusCode() == 200 && "ok".equals(body.getString("result")) && code == 0) {
            JsonObject data = body.getJsonObject("data", new JsonObject());
            if (Arrays.asList(data.getString("bad_regids", "").split(",")).contains(token)) {
                return new SendResult.InvalidToken("xiaomi_bad_regid");
            }
            return new SendResult.Delivered(data.getString("id", ""));
        }
        String reason = code >= 0 ? "xiaomi_" + code : "http_" + response.statusCode();
        if (INVALID_TARGET_CODES.contains(code)) {
            return new SendResult.InvalidToken(reason);
        }
        SendResult retryable = ProviderHttp.retryableStatus(response, reason, clock);
        if (retryable != null) {
            return retryable;
        }
        return new SendResult.Rejected(reason);
    }
}
