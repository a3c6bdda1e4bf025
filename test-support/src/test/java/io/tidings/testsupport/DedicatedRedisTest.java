package io.tidings.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs a dedicated Redis through scripts/infra.sh and talks to it over a plain socket. */
class DedicatedRedisTest {

    @Test
    void stopClosesPortAndRestartKeepsData() throws IOException {
        Path stateDir;
        int port;
        try (DedicatedServer redis = RealServers.dedicated(Server.REDIS)) {
            port = redis.port();
            stateDir = redis.ports().stateDir();
            assertNotEquals(RealServers.sharedPorts().redis(), port, "a dedicated Redis must not use the shared port");
            assertTrue(Files.isDirectory(stateDir), "state dir " + stateDir + " exists while running");

            assertEquals("+PONG", command(port, "PING"));
            assertEquals("+OK", command(port, "SET", "tidings:test", "kept"));

            redis.stop();
            assertFalse(portAccepts(port), "port " + port + " still accepts connections after stop()");

            redis.start();
            assertEquals("+PONG", command(port, "PING"));
            assertEquals("kept", command(port, "GET", "tidings:test"), "the value written before the restart");
        }
        assertFalse(portAccepts(port), "port " + port + " still accepts connections after close()");
        assertFalse(Files.exists(stateDir), "state dir " + stateDir + " still exists after close()");
    }

    @Test
    void closedHandleRejectsStart() {
        DedicatedServer redis = RealServers.dedicated(Server.REDIS);
        redis.close();
        redis.close();
        IllegalStateException error = assertThrows(IllegalStateException.class, redis::start);
        assertTrue(error.getMessage().contains("is closed"), error.getMessage());
    }

    /**
     * Sends one command in the RESP protocol and returns the reply: the status line ("+PONG"),
     * or the content of a bulk string reply.
     */
    private static String command(int port, String... arguments) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            StringBuilder request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (String argument : arguments) {
                request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(argument).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();

            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String reply = in.readLine();
            if (reply != null && reply.startsWith("$") && !reply.equals("$-1")) {
                return in.readLine();
            }
            return reply;
        }
    }

    private static boolean portAccepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
