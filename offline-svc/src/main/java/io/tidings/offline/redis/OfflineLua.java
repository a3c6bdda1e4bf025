package io.tidings.offline.redis;

import io.tidings.support.redis.LuaScript;

/** Loads offline-svc's Lua scripts from {@code src/main/resources/io/tidings/offline/lua/}. */
public final class OfflineLua {

    private static final String DIRECTORY = "/io/tidings/offline/lua/";

    private OfflineLua() {
    }

    /** Loads a script made of {@code files} in order: shared functions first, then the body. */
    public static LuaScript load(String name, String... files) {
        return LuaScript.load(name, DIRECTORY, files);
    }
}
