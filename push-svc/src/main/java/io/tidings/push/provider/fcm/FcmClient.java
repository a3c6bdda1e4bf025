package io.tidings.push.provider.fcm;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import io.tidings.push.notification.Notification;
import io.tidings.push.notification.TextLimits;
import io.tidings.push.provider.AccessTokenCache;
import io.tidings.push.provider.AccessTokenCache.AccessToken;
import io.tidings.push.provider.DeviceTarget;
import io.tidings.push.provider.KeyMaterial;
import io.tidings.push.provider.ProviderClient;
import io.tidings.push.provider.ProviderHttp;
import io.tidings.push.provider.SendResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Firebase Cloud Messaging HTTP v1: an OAuth 2.0 access token from the service account's JWT
 * grant (RS256 assertion posted to the key's token_uri), then
 * POST /v1/projects/&lt;project&gt;/messages:send.
 */
@ApplicationScoped
public class FcmClient implements ProviderClient {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** FCM's limit for a message to a token; applied here to the whole request body. */
    static final int MAX_PAYLOAD_BYTES = 4096;
    static final int MAX_TITLE_CODE_POINTS = 120;
    static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
    static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

    private final PushConfig.Fcm config;
    private final Clock clock;
    private final Optional<String> disabledReason;
    private final GoogleServiceAccount account;
    private final HttpClient http;
    private final AccessTokenCache accessTokens;

    @Inject
    public FcmClient(PushConfig pushConfig) {
        this(pushConfig.fcm(), Clock.systemUTC());
    }

    FcmClient(PushConfig.Fcm config, Clock clock) {
        this.config = config;
        this.clock = clock;
        String json;
        try {
            json = KeyMaterial.inlineOrFile(config.serviceAccountJson(), config.serviceAccountFile());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read tidings.push.fcm.service-account-file "
                    + config.serviceAccountFile().orElse("") + ": " + e.getMessage(), e);
        }
        if (json == null) {
            this.disabledReason = Optional.of("tidings.push.fcm.service-account-file (or service-account-json) is not set");
            this.account = null;
            this.http = null;
            this.accessTokens = null;
            return;
        }
        try {
            this.account = GoogleServiceAccount.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid FCM service account (tidings.push.fcm.*): " + e.getMessage(), e);
        }
        this.http = ProviderHttp.newClient(config.baseUrl(), Optional.empty());
        this.accessTokens = new AccessTokenCache(this::fetchAccessToken, Duration.ofMinutes(1), clock);
        this.disabledReason = Optional.empty();
    }

    @Override
    public PushProvider provider() {
        return PushProvider.FCM;
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
        // 401: the access token was revoked or expired early, so a new one is fetched once.
        return accessTokens.call(accessToken -> post(body, accessToken), response -> response.statusCode() == 401)
                .map(this::resultOf)
                .onFailure().recoverWithItem(ProviderHttp::transportFailure);
    }

    private Uni<HttpResponse<String>> post(String body, String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(ProviderHttp.uri(config.baseUrl(),
                        "/v1/projects/" + account.projectId() + "/messages:send"))
                .timeout(config.requestTimeout())
                .header("authorization", "Bearer " + accessToken)
                .header("content-type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request);
    }

    SendResult resultOf(HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 200) {
            return new SendResult.Delivered(ProviderHttp.jsonOrEmpty(response.body()).getString("name", ""));
        }
        JsonObject error = ProviderHttp.jsonOrEmpty(response.body()).getJsonObject("error", new JsonObject());
        String errorCode = fcmErrorCode(error);
        String grpcStatus = error.getString("status", "");
        String reason = !errorCode.isEmpty() ? errorCode : !grpcStatus.isEmpty() ? grpcStatus : "http_" + status;
        if ("UNREGISTERED".equals(errorCode) || "SENDER_ID_MISMATCH".equals(errorCode) || status == 404) {
            return new SendResult.InvalidToken(reason);
        }
        // FCM returns INVALID_ARGUMENT for a malformed token and for a malformed message alike; only
        // the FcmError detail with a message about the registration token points at the token.
        // NOTE: this matches the message text of FCM's documented example, which FCM may reword.
        if ("INVALID_ARGUMENT".equals(errorCode)
                && error.getString("message", "").toLowerCase().contains("registration token")) {
            return new SendResult.InvalidToken("INVALID_ARGUMENT_TOKEN");
        }
        SendResult retryable = ProviderHttp.retryableStatus(response, reason, clock);
        if (retryable != null) {
            return retryable;
        }
        return new SendResult.Rejected(reason);
    }

    private static String fcmErrorCode(JsonObject error) {
        JsonArray details = error.getJsonArray("details", new JsonArray());
        for (int i = 0; i < details.size(); i++) {
            Object detail = details.getValue(i);
            if (detail instanceof JsonObject object && FCM_ERROR_TYPE.equals(object.getString("@type"))) {
                return object.getString("errorCode", "");
            }
        }
        return "";
    }

    private Uni<AccessToken> fetchAccessToken() {
        Instant now = clock.instant();
        String form = ProviderHttp.form(Map.of("grant_type", GRANT_TYPE, "assertion", assertion(now)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(account.tokenUri()))
                .timeout(config.requestTimeout())
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
                .build();
        return ProviderHttp.send(http, request).map(response -> {
            JsonObject body = ProviderHttp.jsonOrEmpty(response.body());
            String token = body.getString("access_token");
            if (response.statusCode() != 200 || token == null) {
                throw new IllegalStateException("FCM token endpoint " + account.tokenUri() + " returned HTTP "
                        + response.statusCode() + " " + body.getString("error", "") + " "
                        + body.getString("error_description", ""));
            }
            long expiresIn = body.getLong("expires_in", 3600L);
            return new AccessToken(token, now.plusSeconds(expiresIn));
        });
    }

    /** Signs the JWT grant assertion (RFC 7523) as Google's service-account OAuth flow documents. */
    String assertion(Instant now) {
        long issuedAt = now.getEpochSecond();
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
        if (!account.privateKeyId().isEmpty()) {
            header.keyID(account.privateKeyId());
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(account.clientEmail())
                .audience(account.tokenUri())
                .claim("scope", SCOPE)
                .issueTime(new Date(issuedAt * 1000))
                .expirationTime(new Date((issuedAt + ASSERTION_LIFETIME.toSeconds()) * 1000))
                .build();
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(account.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the FCM token request failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    static String render(String token, Notification n, Duration timeToLive) {
        Map<String, String> data = new LinkedHashMap<>(n.data());
        JsonObject android = new JsonObject()
                .put("collapse_key", n.collapseId())
                .put("priority", "high")
                .put("ttl", timeToLive.toSeconds() + "s")
                .put("notification", new JsonObject()
                        .put("tag", n.collapseId())
                        .put("notification_count", n.badge()));
        JsonObject apns = new JsonObject()
                .put("headers", new JsonObject()
                        .put("apns-collapse-id", n.collapseId())
                        .put("apns-priority", "10"))
                .put("payload", new JsonObject().put("aps", new JsonObject()
                        .put("badge", n.badge())
                        .put("thread-id", n.threadId())
                        .put("sound", "default")));
        JsonObject message = new JsonObject()
                .put("token", token)
                .put("notification", new JsonObject().put("title", n.title()).put("body", n.body()))
                .put("data", new JsonObject(new LinkedHashMap<>(data)))
                .put("android", android)
                .put("apns", apns);
        return new JsonObject().put("message", message).encode();
    }
}
