package io.tidings.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidings.e2e.suite.Suite;
import io.tidings.testsupport.RealServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * tidings-cli end to end: client/bin/tidings-cli run as a process against the five services, as
 * a script would run it. Needs the client module packaged (target/ with its jar and lib/), which
 * the reactor does before e2e.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliTest {

    private static final Path CLI = RealServers.repoRoot().resolve("client/bin/tidings-cli");
    private static final Path OUTPUT_DIR = Path.of("target", "cli-test").toAbsolutePath();
    private static final Duration DELIVERY = Duration.ofSeconds(90);
    /** --timeout of every call: generous, because the machine that runs the suite may be busy. */
    private static final String CALL_TIMEOUT = "60";
    private static final AtomicInteger RUNS = new AtomicInteger();

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String ALICE = "alice-" + SUFFIX;
    private static final String BOB = "bob-" + SUFFIX;
    private static final String CAROL = "carol-" + SUFFIX;
    private static final String GROUP = "cli-group-" + SUFFIX;

    private static Suite suite;
    private static String aliceToken;
    private static String bobToken;
    private static String carolToken;
    private static String groupMessageId;

    @BeforeAll
    static void startSuite() throws IOException {
        Files.createDirectories(OUTPUT_DIR);
        suite = Suite.start("cli");
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    /** The outcome of one tidings-cli process. */
    record Run(List<String> args, int exitCode, String out, String err) {

        List<String> outLines() {
            List<String> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        }

        @Override
        public String toString() {
            return "tidings-cli " + String.join(" ", args) + "\nexit " + exitCode + "\n--- stdout\n" + out
                    + "--- stderr\n" + err;
        }
    }

    /** Starts tidings-cli with the app secret in the environment, as a script that sourced it would. */
    private static Process start(Path out, Path err, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(CLI.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("TIDINGS_APP_SECRET", Suite.APP_SECRET);
        return builder.start();
    }

    private static Run cli(String... args) throws IOException, InterruptedException {
        int run = RUNS.incrementAndGet();
        Path out = OUTPUT_DIR.resolve(run + ".out");
        Path err = OUTPUT_DIR.resolve(run + ".err");
        Process process = start(out, err, List.of(args));
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("tidings-cli " + String.join(" ", args) + " did not exit within 3 minutes");
        }
        return new Run(List.of(args), process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String connector() {
        return suite.grpcAddress("connector-svc");
    }

    private static String routing() {
        return suite.grpcAddress("routing-svc");
    }

    private static String[] device(String command, String token, String deviceId, String... rest) {
        List<String> args = new ArrayList<>(List.of(command, "--url", suite.webSocketUrl(), "--token", token,
                "--device", deviceId, "--timeout", CALL_TIMEOUT));
        args.addAll(List.of(rest));
        return args.toArray(new String[0]);
    }

    /**
     * Returns the string value of the first {@code "key":"..."} in a JSON line. A regular
     * expression is enough for these flat checks, and the e2e module has no JSON library.
     */
    private static Optional<String> jsonString(String line, String key) {
        Matcher matcher = Pattern.compile("\"" + Pattern.quote(key) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Runs a command again until a line of its output matches, because fan-out and history ingest are asynchronous. */
    private static Run rerunUntil(String expectation, Pattern line, String[] args) throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (true) {
            Run run = cli(args);
            assertEquals(0, run.exitCode(), run.toString());
            if (run.outLines().stream().anyMatch(l -> line.matcher(l).find())) {
                return run;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DELIVERY.toSeconds() + " s waiting for " + expectation
                        + "; last run:\n" + run);
            }
            Thread.sleep(1000);
        }
    }

    @Test
    @Order(1)
    void tokenPrintsTokenAlone() throws Exception {
        Run alice = cli("token", "--server", connector(), "--user", ALICE, "--ttl", "3600");
        Run bob = cli("token", "--server", connector(), "--user", BOB);
        Run carol = cli("token", "--server", connector(), "--user", CAROL);

        assertEquals(0, alice.exitCode(), alice.toString());
        assertEquals(0, bob.exitCode(), bob.toString());
        assertEquals(0, carol.exitCode(), carol.toString());
        assertEquals(1, alice.outLines().size(), alice.toString());
        aliceToken = alice.outLines().get(0);
        bobToken = bob.outLines().get(0);
        carolToken = carol.outLines().get(0);
        assertFalse(aliceToken.isBlank(), alice.toString());
    }

    @Test
    @Order(2)
    void wrongAppSecretExitsThree() throws Exception {
        Run run = cli("token", "--server", connector(), "--app-secret", "not-the-secret", "--user", ALICE);

        assertEquals(3, run.exitCode(), run.toString());
        assertTrue(run.err().contains("UNAUTHENTICATED"), run.toString());
        assertEquals("", run.out(), run.toString());
    }

    @Test
    @Order(3)
    void groupCreatePrintsMembers() throws Exception {
        Run run = cli("group", "create", "--server", routing(), "--id", GROUP, "--name", "CLI group",
                "--owner", ALICE, "--members", BOB);

        assertEquals(0, run.exitCode(), run.toString());
        String line = run.outLines().get(0);
        assertTrue(line.startsWith("group=" + GROUP + " name=\"CLI group\" owner=" + ALICE), line);
        assertTrue(line.contains(ALICE), line);
        assertTrue(line.contains(BOB), line);
        assertFalse(line.contains(CAROL), line);
    }

    @Test
    @Order(4)
    void sendToGroupPrintsAck() throws Exception {
        Run run = cli(device("send", aliceToken, "alice-cli", "--json", "--group", GROUP, "--text", "hello group",
                "--client-id", "cli-" + SUFFIX));

        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(1, run.outLines().size(), run.toString());
        String ack = run.outLines().get(0);
        assertEquals(Optional.of("cli-" + SUFFIX), jsonString(ack, "clientMessageId"), ack);
        groupMessageId = jsonString(ack, "messageId").orElseThrow(() -> new AssertionError("no messageId in " + ack));
        assertTrue(jsonString(ack, "serverTime").orElse("").matches("[1-9][0-9]*"), ack);
    }

    @Test
    @Order(5)
    void syncJsonShowsGroupMessage() throws Exception {
        Pattern messageLine = Pattern.compile("\"messageId\":\"" + Pattern.quote(groupMessageId) + "\"");

        Run run = rerunUntil("bob's inbox to contain " + groupMessageId, messageLine,
                device("sync", bobToken, "bob-cli", "--json"));

        String line = run.outLines().stream().filter(l -> messageLine.matcher(l).find()).findFirst().orElseThrow();
        assertTrue(line.startsWith("{\"entry\":{"), line);
        assertEquals(Optional.of(ALICE), jsonString(line, "senderId"), line);
        assertEquals(Optional.of(GROUP), jsonString(line, "targetId"), line);
        assertEquals(Optional.of("hello group"), jsonString(line, "text"), line);
        String last = run.outLines().get(run.outLines().size() - 1);
        assertTrue(last.matches("\\{\"cursor\":\"[1-9][0-9]*\",\"entries\":[1-9][0-9]*}"), last);
    }

    @Test
    @Order(6)
    void historyShowsGroupMessage() throws Exception {
        Pattern messageLine = Pattern.compile(Pattern.quote(ALICE + ": hello group  (message_id=" + groupMessageId + " "));

        Run run = rerunUntil("the group's history to contain " + groupMessageId, messageLine,
                device("history", bobToken, "bob-cli", "--group", GROUP));

        String last = run.outLines().get(run.outLines().size() - 1);
        assertTrue(last.startsWith("has_more=false next_before="), last);
    }

    @Test
    @Order(7)
    void nonMemberSendExitsFour() throws Exception {
        Run run = cli(device("send", carolToken, "carol-cli", "--group", GROUP, "--text", "let me in"));

        assertEquals(4, run.exitCode(), run.toString());
        assertTrue(run.err().contains("NOT_GROUP_MEMBER"), run.toString());
        assertEquals("", run.out(), run.toString());
    }

    @Test
    @Order(8)
    void listenPrintsPrivateMessage() throws Exception {
        Path out = OUTPUT_DIR.resolve("listen.out");
        Path err = OUTPUT_DIR.resolve("listen.err");
        // Desktop, so the web logins of the other commands do not end this session.
        Process listen = start(out, err, List.of(device("listen", bobToken, "bob-desktop", "--platform", "desktop")));
        try {
            awaitFileContains(err, "* CONNECTED", listen);

            Run send = cli(device("send", aliceToken, "alice-cli", "--to", BOB, "--text", "are you there?"));
            assertEquals(0, send.exitCode(), send.toString());
            String messageId = send.outLines().get(0).replaceAll("^message_id=(\\S+) .*$", "$1");

            awaitFileContains(out, ALICE + ": are you there?  (message_id=" + messageId + " ", listen);
            assertTrue(Files.readString(out).contains("group:" + GROUP + " " + ALICE + ": hello group"),
                    "listen did not first print the inbox backlog:\n" + Files.readString(out));
        } finally {
            listen.destroy();
            listen.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitFileContains(Path file, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + DELIVERY.toNanos();
        while (!Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
            if (!process.isAlive()) {
                throw new AssertionError("listen exited with " + process.exitValue() + " before printing '" + text
                        + "'; stderr:\n" + Files.readString(file.resolveSibling("listen.err")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DELIVERY.toSeconds() + " s waiting for '" + text + "' in "
                        + file + ":\n" + Files.readString(file));
            }
            Thread.sleep(200);
        }
    }
}
