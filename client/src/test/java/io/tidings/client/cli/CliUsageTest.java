package io.tidings.client.cli;

import static io.tidings.client.cli.CliRun.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Argument parsing, --help and usage errors: nothing here reaches a server. */
class CliUsageTest {

    /** Port 9 (discard) on loopback: nothing listens there, and no test gets that far anyway. */
    private static final String[] CONNECTION = {"--url", "ws://127.0.0.1:9/ws", "--token", "t", "--device", "d1"};
    private static final String[] SERVER_API = {"--server", "127.0.0.1:9", "--app-secret", "s"};

    @ParameterizedTest
    @ValueSource(strings = {"", "token", "send", "listen", "sync", "history", "group", "group create", "group add"})
    void helpOfEveryCommand(String command) {
        String[] words = command.isEmpty() ? new String[0] : command.split(" ");
        CliRun run = CliRun.run(args(words, "--help"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        assertTrue(run.out.startsWith("Usage: tidings-cli" + (command.isEmpty() ? "" : " " + command)), run.out);
        assertTrue(run.out.contains("Exit codes:"), run.out);
        assertTrue(run.out.contains("3:   Authentication error"), run.out);
        assertTrue(run.out.contains("5:   Server unreachable or timed out"), run.out);
        assertEquals("", run.err);
    }

    @Test
    void helpListsTheCommands() {
        CliRun run = CliRun.run("--help");

        for (String command : new String[] {"token", "send", "listen", "sync", "history", "group"}) {
            assertTrue(run.out.contains("\n  " + command + " "), "--help does not list " + command + ":\n" + run.out);
        }
    }

    @Test
    void helpSubcommandPrintsCommandHelp() {
        CliRun run = CliRun.run("help", "send");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        assertTrue(run.out.startsWith("Usage: tidings-cli send"), run.out);
    }

    @Test
    void versionPrintsCliAndProtocolVersion() {
        CliRun run = CliRun.run("--version");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        assertTrue(run.out.startsWith("tidings-cli " + TidingsCli.VERSION), run.out);
        assertTrue(run.out.contains("client protocol version 1"), run.out);
    }

    @Test
    void noCommandIsUsageError() {
        CliRun run = CliRun.run();

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Missing required subcommand"), run.err);
        assertTrue(run.err.contains("Run 'tidings-cli --help'"), run.err);
        assertEquals("", run.out);
    }

    @Test
    void unknownCommandIsNamed() {
        CliRun run = CliRun.run("sned");

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Unmatched argument at index 0: 'sned'"), run.err);
    }

    @Test
    void unknownOptionIsNamedWithSuggestion() {
        CliRun run = CliRun.run(args(args(new String[] {"send"}, CONNECTION), "--to", "bob", "--text", "hi", "--grup", "g"));

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Unknown options: '--grup', 'g'"), run.err);
        assertTrue(run.err.contains("--group"), "no suggestion for --grup: " + run.err);
    }

    static Stream<Arguments> missingOptions() {
        return Stream.of(
                Arguments.of(new String[] {"send", "--token", "t", "--device", "d", "--to", "bob", "--text", "x"}, "'--url=URL'"),
                Arguments.of(new String[] {"send", "--url", "ws://h:1/ws", "--token", "t", "--to", "bob", "--text", "x"},
                        "'--device=DEVICE'"),
                Arguments.of(args(args(new String[] {"send"}, CONNECTION), "--to", "bob"), "--text=TEXT | --text-file=PATH"),
                Arguments.of(args(args(new String[] {"send"}, CONNECTION), "--text", "x"), "--to=USER | --group=GROUP"),
                Arguments.of(args(new String[] {"history"}, CONNECTION), "--with=USER | --group=GROUP"),
                Arguments.of(new String[] {"token", "--app-secret", "s", "--user", "alice"}, "'--server=HOST:PORT'"),
                Arguments.of(args(new String[] {"token"}, SERVER_API), "'--user=USER'"),
                Arguments.of(args(new String[] {"group", "create"}, SERVER_API), "--id=GROUP"),
                Arguments.of(args(new String[] {"group", "add", "--id", "g"}, SERVER_API), "'--members=USER"),
                Arguments.of(new String[] {"group"}, "Missing required subcommand"));
    }

    @ParameterizedTest
    @MethodSource("missingOptions")
    void missingOptionIsNamed(String[] args, String expected) {
        CliRun run = CliRun.run(args);

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains(expected), "stderr does not name " + expected + ":\n" + run.err);
        assertTrue(run.err.contains("--help"), run.err);
    }

    static Stream<Arguments> invalidValues() {
        String[] send = args(new String[] {"send"}, CONNECTION);
        String[] history = args(new String[] {"history"}, CONNECTION);
        String tooLongId = "x".repeat(65);
        return Stream.of(
                Arguments.of(new String[] {"send", "--url", "http://127.0.0.1:7100/ws", "--token", "t", "--device", "d",
                        "--to", "bob", "--text", "x"}, "'--url'", "'http://127.0.0.1:7100/ws' is not a ws:// or wss:// URL"),
                Arguments.of(new String[] {"send", "--url", "ws://bad host/ws", "--token", "t", "--device", "d",
                        "--to", "bob", "--text", "x"}, "'--url'", "'ws://bad host/ws' is not a URL"),
                Arguments.of(new String[] {"send", "--url", "ws:///ws", "--token", "t", "--device", "d",
                        "--to", "bob", "--text", "x"}, "'--url'", "'ws:///ws' has no host"),
                Arguments.of(new String[] {"send", "--url", "ws://h:1/ws", "--token", "t", "--device", "d e",
                        "--to", "bob", "--text", "x"}, "'--device'", "'d e' must be 1..128 characters"),
                Arguments.of(args(send, "--platform", "windows", "--to", "bob", "--text", "x"), "'--platform'",
                        "'windows' is not a platform: use ios, android, web or desktop"),
                Arguments.of(args(send, "--to", "bob:x", "--text", "x"), "'--to'", "'bob:x' must be 1..64 characters"),
                Arguments.of(args(send, "--group", tooLongId, "--text", "x"), "'--group'", "'" + tooLongId + "' must be"),
                Arguments.of(args(send, "--to", "bob", "--text", "x", "--client-id", tooLongId), "'--client-id'",
                        "has 65 characters: use 1..64"),
                Arguments.of(args(send, "--to", "bob", "--text", "x", "--client-id", "c\n1"), "'--client-id'",
                        "'c\\n1' contains a control character"),
                Arguments.of(args(send, "--to", "bob", "--text", "x", "--timeout", "0"), "'--timeout'", "'0' is too small"),
                Arguments.of(args(history, "--with", "bob", "--count", "0"), "'--count'", "'0' is out of range: use 1..100"),
                Arguments.of(args(history, "--with", "bob", "--count", "101"), "'--count'", "'101' is out of range"),
                Arguments.of(args(history, "--with", "bob", "--before", "-5"), "'--before'", "'-5' is negative"),
                Arguments.of(args(history, "--with", "bob", "--before", "yesterday"), "'--before'",
                        "'yesterday' is not a whole number"),
                Arguments.of(args(new String[] {"sync"}, args(CONNECTION, "--cursor", "-1")), "'--cursor'", "'-1' is negative"),
                Arguments.of(new String[] {"token", "--server", "localhost", "--app-secret", "s", "--user", "u"},
                        "'--server'", "'localhost' is not HOST:PORT"),
                Arguments.of(new String[] {"token", "--server", "127.0.0.1:70000", "--app-secret", "s", "--user", "u"},
                        "'--server'", "'127.0.0.1:70000' is not HOST:PORT with a port of 1..65535"),
                Arguments.of(args(new String[] {"token"}, args(SERVER_API, "--user", "u", "--ttl", "-1")), "'--ttl'",
                        "'-1' is negative"),
                Arguments.of(args(new String[] {"group", "create"}, args(SERVER_API, "--id", "g", "--name", "n",
                        "--owner", "o", "--members", "bob,bad id")), "'--members'", "'bad id' must be 1..64 characters"));
    }

    @ParameterizedTest
    @MethodSource("invalidValues")
    void invalidValueIsNamed(String[] args, String option, String expected) {
        CliRun run = CliRun.run(args);

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Invalid value for option " + option), "stderr does not name " + option + ":\n" + run.err);
        assertTrue(run.err.contains(expected), "stderr does not say " + expected + ":\n" + run.err);
        assertEquals("", run.out);
    }

    @Test
    void toAndGroupTogetherIsUsageError() {
        CliRun run = CliRun.run(args(args(new String[] {"send"}, CONNECTION), "--to", "bob", "--group", "g", "--text", "x"));

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("--to=USER, --group=GROUP are mutually exclusive"), run.err);
    }

    @Test
    void cursorAndCursorFileTogetherIsUsageError() {
        CliRun run = CliRun.run(args(args(new String[] {"sync"}, CONNECTION), "--cursor", "5", "--cursor-file", "c.txt"));

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("--cursor=N, --cursor-file=FILE are mutually exclusive"), run.err);
    }

    @Test
    void missingTokenNamesOptionAndVariable() {
        CliRun run = CliRun.run("send", "--url", "ws://127.0.0.1:9/ws", "--device", "d", "--to", "bob", "--text", "x");

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Missing token: pass --token=TOKEN or set TIDINGS_TOKEN"), run.err);
    }

    @Test
    void missingAppSecretNamesOptionAndVariable() {
        CliRun run = CliRun.run(Map.of(), "token", "--server", "127.0.0.1:9", "--user", "alice");

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Missing app secret: pass --app-secret=SECRET or set TIDINGS_APP_SECRET"), run.err);
        assertTrue(run.err.contains("Run 'tidings-cli token --help'"), run.err);
    }

    @Test
    void usageErrorIsJsonLineWithJson() {
        CliRun run = CliRun.run("send", "--json", "--token", "t", "--device", "d", "--to", "bob", "--text", "hi");

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        JsonObject error = JsonParser.parseString(run.err.trim()).getAsJsonObject().getAsJsonObject("error");
        assertEquals("INVALID_ARGUMENT", error.get("code").getAsString());
        assertTrue(error.get("message").getAsString().contains("Missing required option: '--url=URL'"), run.err);
        assertTrue(error.get("message").getAsString().contains("run 'tidings-cli send --help'"), run.err);
    }
}
