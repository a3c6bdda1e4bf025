package io.tidings.push.fake;

import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One request as a fake provider received it, and the status of the fake's response. */
public record RecordedRequest(
        String server,
        String method,
        String path,
        String httpVersion,
        Map<String, String> headers,
        String body,
        Instant receivedAt,
        int responseStatus) {

    public String header(String name) {
        return headers.get(name.toLowerCase());
    }

    public JsonObject json() {
        return new JsonObject(body);
    }

    /** Parses an application/x-www-form-urlencoded body. */
    public Map<String, String> form() {
        return parseForm(body);
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return fields;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(key, value);
        }
        return fields;
    }

    public boolean succeeded() {
        return responseStatus >= 200 && responseStatus < 300;
    }
}
