package io.tidings.push.fake;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fake vivo push API: POST /message/auth (JSON appId, appKey, timestamp in ms within ten minutes,
 * sign = lower-case hex MD5 of appId + appKey + timestamp + appSecret) returns authToken; POST
 * /message/send with header authToken and JSON regId, notifyType 1-4, title (at most 40
 * characters), content (at most 100), skipType and requestId returns {"result": 0, "taskId"}.
 */
public class FakeVivo extends FakeProviderServer {

    private final String appId;
    private final String appKey;
    private final String appSecret;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();

    public FakeVivo(String appId, String appKey, String appSecret) {
        super("vivo");
        this.appId = appId;
        this.appKey = appKey;
        this.appSecret = appSecret;
    }

    @Override
    protected FakeResponse unavailable() {
        return FakeResponse.empty(500);
    }

    @Override
    protected FakeResponse handle(HttpServerRequest request, String body) {
        String contentType = request.getHeader("content-type");
        if (!request.method().name().equals("POST") || contentType == null
                || !contentType.startsWith("application/json")) {
            violation(request.method() + " " + request.path() + " content-type " + contentType);
            return FakeResponse.empty(405);
        }
        JsonObject json;
        try {
            json = new JsonObject(body);
        } catch (DecodeException e) {
            violation("body is not JSON");
            return result(10000, "body is not JSON");
        }
        if (request.path().equals("/message/auth")) {
            return auth(json);
        }
        if (request.path().equals("/message/send")) {
            return send(request.getHeader("authToken"), json);
        }
        violation("path " + request.path());
        return FakeResponse.empty(404);
    }

    private FakeResponse auth(JsonObject json) {
        Object timestamp = json.getValue("timestamp");
        if (!appId.equals(String.valueOf(json.getValue("appId"))) || !appKey.equals(json.getString("appKey"))
                || !(timestamp instanceof Number)) {
            violation("auth appId, appKey or timestamp " + json.encode());
            return result(10200, "appId 不合法");
        }
        long millis = ((Number) timestamp).longValue();
        if (Math.abs(System.currentTimeMillis() - millis) > 600_000) {
            violation("auth timestamp off by more than 10 minutes");
            return result(10203, "timestamp 不合法");
        }
        if (!md5(appId + appKey + millis + appSecret).equals(json.getString("sign"))) {
            violation("auth sign does not match");
            return result(10204, "sign 不合法");
        }
        String token = UUID.randomUUID().toString();
        issuedTokens.add(token);
        return FakeResponse.json(200, new JsonObject().put("result", 0).put("desc", "请求成功").put("authToken", token));
    }

    private FakeResponse send(String authToken, JsonObject json) {
        if (authToken == null || !issuedTokens.contains(authToken)) {
            violation("authToken header " + authToken);
            return result(10000, "authToken 不合法");
        }
        String title = json.getString("title", "");
        String content = json.getString("content", "");
        Integer notifyType = json.getInteger("notifyType");
        if (json.getString("regId", "").isEmpty() || notifyType == null || notifyType < 1 || notifyType > 4
                || title.isEmpty() || title.codePointCount(0, title.length()) > 40
                || content.isEmpty() || content.codePointCount(0, content.length()) > 100
                || json.getInteger("skipType") == null || json.getString("requestId", "").isEmpty()
                || json.getString("requestId").length() > 64) {
            violation("send body " + json.encode());
            return result(10300, "参数不合法");
        }
        FakeResponse scripted = scripted(json.getString("regId"));
        if (scripted != null) {
            return scripted;
        }
        return FakeResponse.json(200, new JsonObject().put("result", 0).put("desc", "请求成功")
                .put("taskId", Long.toString(System.nanoTime())));
    }

    public static FakeResponse result(int result, String desc) {
        return FakeResponse.json(200, new JsonObject().put("result", result).put("desc", desc));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
