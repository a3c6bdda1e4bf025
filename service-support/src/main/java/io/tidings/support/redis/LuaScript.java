package io.tidings.support.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A Lua script for Redis EVAL, with the SHA-1 digest that EVALSHA takes. */
public final class LuaScript {

    private final String name;
    private final String source;
    private final String sha1;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    /**
     * Loads a script from the class path, joining the files in order: shared functions first,
     * then the script body.
     *
     * @param name the name used in logs and errors
     * @param directory the resource directory of the files, for example {@code /io/tidings/offline/lua/}
     * @param files file names under {@code directory}
     */
    public static LuaScript load(String name, String directory, String... files) {
        StringBuilder source = new StringBuilder();
        for (String file : files) {
            source.append(readResource(directory + file)).append('\n');
        }
        return new LuaScript(name, source.toString());
    }

    /** Returns a script given as source text, for short scripts that live next to their caller. */
    public static LuaScript of(String name, String source) {
        return new LuaScript(name, source);
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    public String sha1() {
        return sha1;
    }

    private static String readResource(String path) {
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Lua script resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read the Lua script resource " + path, e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-1 MessageDigest", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
