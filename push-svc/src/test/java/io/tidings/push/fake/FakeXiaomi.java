package io.tidings.push.fake;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;

/**
 * Fake Xiaomi push API: POST /v3/message/regid, form-encoded, "Authorization: key=&lt;app secret&gt;";
 * registration_id, title (under 50 characters), description (under 128), payload and
 * pass_through are required for a notification message. Success is {"result": "ok", "code": 0, ...}.
 */
public class FakeXiaomi extends FakeProviderServer {

    private final String appSecret;

    public FakeXiaomi(String appSecret) {
        super("xiaomi");
        this.appSecret = appSecret;
    }

    @Override
    protected FakeResponse unavailable() {
        return FakeResponse.empty(503);
    }

    @Override
    protected FakeResponse handle(HttpServerRequest request, String body) {
        if (!request.method().name().equals("POST") || !request.path().equals("/v3/message/regid")) {
            violation(request.method() + " " + request.path());
            return FakeResponse.empty(404);
        }
        if (!("key=" + appSecret).equals(request.getHeader("authorization"))) {
            violation("authorization " + request.getHeader("authorization"));
            return FakeResponse.empty(401);
        }
        String contentType = request.getHeader("content-type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            violation("content-type " + contentType);
        }
        Map<String, String> form = RecordedRequest.parseForm(body);
        String problem = formProblem(form);
        if (problem != null) {
            violation(problem);
            return error(10017, problem);
        }
        FakeResponse scripted = scripted(form.get("registration_id"));
        if (scripted != null) {
            return scripted;
        }
        return FakeResponse.json(200, new JsonObject().put("result", "ok").put("code", 0)
                .put("description", "成功").put("info", "Received push messages for 1 REGID")
                .put("data", new JsonObject().put("id", "slm" + UUID.randomUUID())));
    }

    private static String formProblem(Map<String, String> form) {
        if (form.getOrDefault("registration_id", "").isEmpty()) {
            return "registration_id is empty";
        }
        if (!"0".equals(form.get("pass_through"))) {
            return "pass_through is not 0 (notification message)";
        }
        String title = form.getOrDefault("title", "");
        if (title.isBlank() || title.codePointCount(0, title.length()) >= 50) {
            return "title is blank or not under 50 characters";
        }
        String description = form.getOrDefault("description", "");
        if (description.isBlank() || description.codePointCount(0, description.length()) >= 128) {
            return "description is blank or not under 128 characters";
        }
        if (!form.containsKey("payload")) {
            return "payload is missing";
        }
        return null;
    }

    public static FakeResponse error(int code, String reason) {
        return FakeResponse.json(200, new JsonObject().put("result", "error").put("code", code)
                .put("reason", reason).put("description", "发送消息失败"));
    }
}
