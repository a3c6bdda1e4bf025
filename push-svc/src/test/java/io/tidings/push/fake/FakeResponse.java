package io.tidings.push.fake;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response a fake provider sends: status, headers and body. */
public record FakeResponse(int status, Map<String, String> headers, String body) {

    public static FakeResponse json(int status, JsonObject body) {
        return new FakeResponse(status, Map.of("content-type", "application/json"), body.encode());
    }

    public static FakeResponse empty(int status) {
        return new FakeResponse(status, Map.of(), "");
    }

    public FakeResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new FakeResponse(status, copy, body);
    }
}
