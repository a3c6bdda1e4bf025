package io.tidings.push.fake;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fake Huawei OAuth server and Push Kit API: POST /oauth2/v3/token with the client-credentials
 * grant returns an app-level access token; POST /v1/&lt;app id&gt;/messages:send takes
 * "Authorization: Bearer" and {"message": {"token": [...], "android": {"notification": ...}}} and
 * returns {"code": "80000000", "msg": "Success", "requestId": ...}.
 */
public class FakeHuawei extends FakeProviderServer {

    public static final String TOKEN_PATH = "/oauth2/v3/token";

    private final String appId;
    private final String clientSecret;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();

    public FakeHuawei(String appId, String clientSecret) {
        super("huawei");
        this.appId = appId;
        this.clientSecret = clientSecret;
    }

    @Override
    protected FakeResponse unavailable() {
        return FakeResponse.json(503, new JsonObject().put("code", "81000001").put("msg", "System inner error"));
    }

    @Override
    protected FakeResponse handle(HttpServerRequest request, String body) {
        if (request.path().equals(TOKEN_PATH)) {
            return grant(request, body);
        }
        if (request.path().equals("/v1/" + appId + "/messages:send") && request.method().name().equals("POST")) {
            return send(request, body);
        }
        violation(request.method() + " " + request.path());
        return FakeResponse.empty(404);
    }

    private FakeResponse grant(HttpServerRequest request, String body) {
        Map<String, String> form = RecordedRequest.parseForm(body);
        String contentType = request.getHeader("content-type");
        if (!request.method().name().equals("POST") || contentType == null
                || !contentType.startsWith("application/x-www-form-urlencoded")
                || !"client_credentials".equals(form.get("grant_type"))
                || !appId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            violation("token request " + request.method() + " " + contentType + " " + form.keySet());
            return FakeResponse.json(400, new JsonObject().put("error", 1101).put("sub_error", 20152)
                    .put("error_description", "invalid client"));
        }
        String token = "CF-fake-" + UUID.randomUUID();
        issuedTokens.add(token);
        return FakeResponse.json(200, new JsonObject().put("access_token", token).put("expires_in", 3600)
                .put("token_type", "Bearer"));
    }

    private FakeResponse send(HttpServerRequest request, String body) {
        String authorization = request.getHeader("authorization");
        if (authorization == null || !issuedTokens.contains(authorization.replaceFirst("^Bearer ", ""))) {
            violation("authorization " + authorization);
            return result(401, "80200001", "Oauth authentication error");
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > 4096) {
            violation("message of " + body.getBytes(StandardCharsets.UTF_8).length + " bytes");
            return result(400, "80300008", "The message body size exceeds the default value");
        }
        JsonObject message;
        try {
            message = new JsonObject(body).getJsonObject("message");
        } catch (DecodeException | ClassCastException e) {
            violation("body is not JSON");
            return result(400, "80100003", "Incorrect message structure");
        }
        JsonArray tokens = message == null ? null : message.getJsonArray("token");
        if (tokens == null || tokens.isEmpty() || tokens.size() > 1000) {
            violation("message.token must list 1 to 1000 tokens");
            return result(400, "80300010", "The number of tokens in the message body exceeds the default value");
        }
        JsonObject notification = message.getJsonObject("android", new JsonObject()).getJsonObject("notification");
        if (notification == null || notification.getString("title", "").isEmpty()
                || notification.getString("body", "").isEmpty()) {
            violation("android.notification needs title and body");
            return result(400, "80100003", "Incorrect message structure");
        }
        FakeResponse scripted = scripted(tokens.getString(0));
        if (scripted != null) {
            return scripted;
        }
        return result(200, "80000000", "Success");
    }

    public static FakeResponse result(int status, String code, String msg) {
        return FakeResponse.json(status, new JsonObject().put("code", code).put("msg", msg)
                .put("requestId", UUID.randomUUID().toString()));
    }
}
