package io.tidings.push.fake;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fake OPPO PUSH API: POST /server/v1/auth (form app_key, timestamp in ms, sign = hex SHA-256 of
 * app key + timestamp + master secret) returns data.auth_token; POST
 * /server/v1/message/notification/unicast (form auth_token, message JSON with target_type 2,
 * target_value and notification title and content) returns {"code": 0, "data": {"messageId"}}.
 */
public class FakeOppo extends FakeProviderServer {

    private final String appKey;
    private final String masterSecret;
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();

    public FakeOppo(String appKey, String masterSecret) {
        super("oppo");
        this.appKey = appKey;
        this.masterSecret = masterSecret;
    }

    @Override
    protected FakeResponse unavailable() {
        return code(-1, "Service Currently Unavailable");
    }

    @Override
    protected FakeResponse handle(HttpServerRequest request, String body) {
        String contentType = request.getHeader("content-type");
        if (!request.method().name().equals("POST") || contentType == null
                || !contentType.startsWith("application/x-www-form-urlencoded")) {
            violation(request.method() + " " + request.path() + " content-type " + contentType);
            return code(12, "Http Action Not Allowed");
        }
        Map<String, String> form = RecordedRequest.parseForm(body);
        if (request.path().equals("/server/v1/auth")) {
            return auth(form);
        }
        if (request.path().equals("/server/v1/message/notification/unicast")) {
            return unicast(form);
        }
        violation("path " + request.path());
        return code(20, "Invalid Method");
    }

    private FakeResponse auth(Map<String, String> form) {
        String timestamp = form.getOrDefault("timestamp", "");
        if (!appKey.equals(form.get("app_key")) || !timestamp.matches("[0-9]{13}")) {
            violation("auth app_key or timestamp " + form);
            return code(14, "Invalid App Key");
        }
        if (Math.abs(System.currentTimeMillis() - Long.parseLong(timestamp)) > 600_000) {
            violation("auth timestamp off by more than 10 minutes");
            return code(19, "Invalid Timestamp");
        }
        if (!sha256(appKey + timestamp + masterSecret).equals(form.get("sign"))) {
            violation("auth sign does not match");
            return code(16, "Invalid Signature");
        }
        String token = UUID.randomUUID().toString();
        issuedTokens.add(token);
        return FakeResponse.json(200, new JsonObject().put("code", 0).put("message", "Success")
                .put("data", new JsonObject().put("auth_token", token).put("create_time", System.currentTimeMillis())));
    }

    private FakeResponse unicast(Map<String, String> form) {
        if (!issuedTokens.contains(form.getOrDefault("auth_token", ""))) {
            violation("auth_token " + form.get("auth_token"));
            return code(11, "Invalid AuthToken");
        }
        JsonObject message;
        try {
            message = new JsonObject(form.getOrDefault("message", ""));
        } catch (DecodeException e) {
            violation("message is not JSON");
            return code(41, "Invalid Arguments");
        }
        JsonObject notification = message.getJsonObject("notification", new JsonObject());
        String title = notification.getString("title", "");
        String content = notification.getString("content", "");
        if (message.getInteger("target_type", 0) != 2 || message.getString("target_value", "").isEmpty()
                || title.isEmpty() || title.codePointCount(0, title.length()) > 50
                || content.isEmpty() || content.codePointCount(0, content.length()) > 200) {
            violation("unicast message " + message.encode());
            return code(40, "Missing Required Arguments");
        }
        FakeResponse scripted = scripted(message.getString("target_value"));
        if (scripted != null) {
            return scripted;
        }
        return FakeResponse.json(200, new JsonObject().put("code", 0).put("message", "")
                .put("data", new JsonObject().put("messageId", "fake-1-1-" + UUID.randomUUID())));
    }

    public static FakeResponse code(int code, String message) {
        return FakeResponse.json(200, new JsonObject().put("code", code).put("message", message));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
