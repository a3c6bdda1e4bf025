package io.tidings.support.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.util.List;

/**
 * One run of a Lua script with its keys and arguments. Arguments are {@link String}, {@link Long}
 * or {@code byte[]} (sent as binary bulk strings).
 */
public record ScriptCall(LuaScript script, List<String> keys, List<Object> args) {

    Request evalsha() {
        return withKeysAndArgs(Request.cmd(Command.EVALSHA).arg(script.sha1()));
    }

    Request eval() {
        return withKeysAndArgs(Request.cmd(Command.EVAL).arg(script.source()));
    }

    private Request withKeysAndArgs(Request request) {
        request.arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(bytes);
            } else if (arg instanceof Long number) {
                request.arg(number.longValue());
            } else if (arg instanceof String text) {
                request.arg(text);
            } else {
                throw new IllegalArgumentException("Unsupported argument type " + arg.getClass().getName()
                        + " for script " + script.name() + ": use String, Long or byte[]");
            }
        }
        return request;
    }
}
