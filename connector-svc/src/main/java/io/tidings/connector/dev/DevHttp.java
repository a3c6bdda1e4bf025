package io.tidings.connector.dev;

import io.quarkus.logging.Log;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.support.GrpcErrors;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON request parsing and responses of the dev endpoints. Errors are {@code {"code", "message"}}
 * with an ErrorCode name, the same codes the client protocol uses.
 */
final class DevHttp {

    private DevHttp() {
    }

    /** Returns the request body as a JSON object, or fails with INVALID_ARGUMENT. */
    static JsonObject body(RoutingContext context) {
        JsonObject body;
        try {
            body = context.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            throw TidingsException.invalidArgument("the request body is not a JSON object: " + e.getMessage());
        }
        if (body == null) {
            throw TidingsException.invalidArgument("the request body is empty: send a JSON object");
        }
        return body;
    }

    /** Returns a string field, failing with INVALID_ARGUMENT when it is missing, empty or not a string. */
    static String requiredString(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (!(value instanceof String) || ((String) value).isEmpty()) {
            throw TidingsException.invalidArgument(field + " is " + describe(value) + ": send a non-empty string");
        }
        return (String) value;
    }

    /** Returns a string array field, or an empty list when absent. */
    static List<String> stringList(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray)) {
            throw TidingsException.invalidArgument(field + " is " + describe(value) + ": send an array of user ids");
        }
        List<String> result = new ArrayList<>();
        JsonArray array = (JsonArray) value;
        for (int i = 0; i < array.size(); i++) {
            Object item = array.getValue(i);
            if (!(item instanceof String)) {
                throw TidingsException.invalidArgument(field + "[" + i + "] is " + describe(item) + ": send a string");
            }
            result.add((String) item);
        }
        return result;
    }

    static void ok(RoutingContext context, JsonObject json) {
        context.response()
                .setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json.encode());
    }

    /** Writes a failure as its ErrorCode and message, with a matching HTTP status. */
    static void fail(RoutingContext context, Throwable failure) {
        TidingsException error = GrpcErrors.fromStatus(failure);
        int status = httpStatus(error.code());
        if (status >= 500) {
            Log.warnf(failure, "Dev endpoint %s failed with %s", context.normalizedPath(), error);
        } else {
            Log.debugf("Dev endpoint %s rejected the request: %s", context.normalizedPath(), error);
        }
        JsonObject json = new JsonObject().put("code", error.code().name()).put("message", error.getMessage());
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(json.encode());
    }

    static int httpStatus(ErrorCode code) {
        switch (code) {
            case INVALID_ARGUMENT:
            case GROUP_TOO_LARGE:
            case CONTENT_TOO_LARGE:
                return 400;
            case PERMISSION_DENIED:
            case NOT_GROUP_MEMBER:
                return 403;
            case NOT_FOUND:
            case GROUP_NOT_FOUND:
                return 404;
            case ALREADY_EXISTS:
            case GROUP_DISMISSED:
                return 409;
            case RATE_LIMITED:
                return 429;
            case UNAVAILABLE:
                return 503;
            case TIMEOUT:
                return 504;
            default:
                return 500;
        }
    }

    private static String describe(Object value) {
        if (value == null) {
            return "missing";
        }
        if (value instanceof String) {
            return "empty";
        }
        return "a JSON " + jsonType(value) + " (" + value + ")";
    }

    private static String jsonType(Object value) {
        if (value instanceof JsonArray) {
            return "array";
        }
        if (value instanceof JsonObject) {
            return "object";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        return value.getClass().getSimpleName();
    }
}
