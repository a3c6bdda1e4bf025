package io.tidings.client.cli;

import static io.tidings.client.cli.CliRun.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.tidings.client.TidingsClient;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.OkReply;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import io.tidings.protocol.v1.SyncReply;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** send, sync, history and listen against {@link FakeConnector}: requests sent, output printed, exit codes. */
class WebSocketCommandsTest {

    private FakeConnector connector;

    @BeforeEach
    void startConnector() throws InterruptedException {
        connector = new FakeConnector();
    }

    @AfterEach
    void stopConnector() {
        connector.close();
    }

    private String[] connection(String command) {
        return new String[] {command, "--url", connector.url(), "--token", "token-1", "--device", "cli-1"};
    }

    private static Message message(String messageId, String sender, String text, long serverTime) {
        return Message.newBuilder()
                .setMessageId(messageId)
                .setClientMessageId("c-" + messageId)
                .setConversation(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("alice"))
                .setSenderId(sender)
                .setContentType("text")
                .setContent(MessageContent.ofText(text))
                .setServerTime(serverTime)
                .build();
    }

    private static InboxEntry entry(String messageId, String text, long syncTime) {
        Message message = message(messageId, "bob", text, syncTime);
        return InboxEntry.newBuilder()
                .setMessage(message)
                .setConversation(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("bob"))
                .setSyncTime(syncTime)
                .build();
    }

    /** Replies to Sync like offline-svc: pages of {@code pageSize} entries after the cursor, and OK to SyncAck. */
    private void serveInbox(List<InboxEntry> inbox, int pageSize) {
        connector.onRequest(request -> {
            if (request.hasSyncAck()) {
                return Frame.newBuilder().setOk(OkReply.getDefaultInstance());
            }
            if (!request.hasSync()) {
                return null;
            }
            long cursor = request.getSync().getCursor();
            List<InboxEntry> after = inbox.stream().filter(e -> e.getSyncTime() > cursor).collect(Collectors.toList());
            List<InboxEntry> page = after.subList(0, Math.min(pageSize, after.size()));
            long next = page.isEmpty() ? cursor : page.get(page.size() - 1).getSyncTime();
            return Frame.newBuilder().setSyncReply(SyncReply.newBuilder()
                    .addAllEntries(page).setNextCursor(next).setHasMore(after.size() > page.size()));
        });
    }

    // ---------------------------------------------------------------------------------------
    // send

    @Test
    void sendPrintsAck() {
        connector.onRequest(request -> request.hasSend()
                ? Frame.newBuilder().setSendAck(SendAck.newBuilder()
                        .setClientMessageId(request.getSend().getClientMessageId())
                        .setMessageId("0MSG1").setServerTime(1_764_928_800_123L))
                : null);

        CliRun run = CliRun.run(args(connection("send"), "--to", "bob", "--text", "hello bob", "--client-id", "c-42"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        assertEquals("message_id=0MSG1 client_message_id=c-42 server_time=1764928800123 (2025-12-05T10:00:00.123Z)\n",
                run.out);
        SendRequest sent = connector.received(Frame.OpCase.SEND).get(0).getSend();
        assertEquals("c-42", sent.getClientMessageId());
        assertEquals(Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("bob").build(),
                sent.getConversation());
        assertEquals("text", sent.getContentType());
        assertEquals("{\"text\":\"hello bob\"}", sent.getContent().toStringUtf8());
    }

    @Test
    void sendConnectsAsTheGivenDevice() {
        connector.onRequest(request -> request.hasSend()
                ? Frame.newBuilder().setSendAck(SendAck.newBuilder().setMessageId("m"))
                : null);

        CliRun run = CliRun.run(Map.of("TIDINGS_TOKEN", "token-from-env"), "send", "--url", connector.url(),
                "--device", "cli-7", "--platform", "desktop", "--group", "team", "--text", "hi");

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        Frame connect = connector.received(Frame.OpCase.CONNECT).get(0);
        assertEquals("token-from-env", connect.getConnect().getToken());
        assertEquals("cli-7", connect.getConnect().getDeviceId());
        assertEquals(Platform.DESKTOP, connect.getConnect().getPlatform());
        assertEquals(ConnectionOptions.SDK_VERSION, connect.getConnect().getSdkVersion());
        SendRequest sent = connector.received(Frame.OpCase.SEND).get(0).getSend();
        assertEquals(ConversationType.GROUP, sent.getConversation().getType());
        assertEquals("team", sent.getConversation().getTargetId());
        assertFalse(sent.getClientMessageId().isEmpty(), "no default client message id");
    }

    @Test
    void sendJsonPrintsSendAck() {
        connector.onRequest(request -> request.hasSend()
                ? Frame.newBuilder().setSendAck(SendAck.newBuilder().setClientMessageId("c-1").setMessageId("0MSG1")
                        .setServerTime(77))
                : null);

        CliRun run = CliRun.run(args(connection("send"), "--json", "--to", "bob", "--text", "x"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        JsonObject ack = JsonParser.parseString(run.out).getAsJsonObject();
        assertEquals("0MSG1", ack.get("messageId").getAsString());
        assertEquals("77", ack.get("serverTime").getAsString());
        assertEquals("c-1", ack.get("clientMessageId").getAsString());
    }

    @Test
    void rejectedSendExitsFourNamingCode() {
        connector.onRequest(request -> request.hasSend()
                ? FakeConnector.error(ErrorCode.NOT_GROUP_MEMBER, "user 'alice' is not a member of group 'team'")
                : null);

        CliRun run = CliRun.run(args(connection("send"), "--group", "team", "--text", "x"));

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        assertEquals("tidings-cli: NOT_GROUP_MEMBER: user 'alice' is not a member of group 'team'\n", run.err);
        assertEquals("", run.out);
    }

    @Test
    void rejectedSendJsonError() {
        connector.onRequest(request -> request.hasSend()
                ? FakeConnector.error(ErrorCode.CONTENT_TOO_LARGE, "content of 70000 bytes exceeds 65536")
                : null);

        CliRun run = CliRun.run(args(new String[] {"--json"}, args(connection("send"), "--to", "bob", "--text", "x")));

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        JsonObject error = JsonParser.parseString(run.err).getAsJsonObject().getAsJsonObject("error");
        assertEquals("CONTENT_TOO_LARGE", error.get("code").getAsString());
        assertEquals("content of 70000 bytes exceeds 65536", error.get("message").getAsString());
    }

    @Test
    void sendReadsTextFromFile() throws Exception {
        Path file = Files.createTempFile("tidings-cli-text", ".txt");
        Files.writeString(file, "line one\nzwei 二", StandardCharsets.UTF_8);
        connector.onRequest(request -> request.hasSend()
                ? Frame.newBuilder().setSendAck(SendAck.newBuilder().setMessageId("m-file"))
                : null);

        CliRun run = CliRun.run(args(connection("send"), "--to", "bob", "--text-file", file.toString()));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        SendRequest sent = connector.received(Frame.OpCase.SEND).get(0).getSend();
        assertEquals("{\"text\":\"line one\\nzwei 二\"}", sent.getContent().toStringUtf8());
    }

    @Test
    void unreadableTextFileIsUsageError() {
        CliRun run = CliRun.run(args(connection("send"), "--to", "bob", "--text-file", "/nonexistent/tidings.txt"));

        assertEquals(ExitCodes.USAGE, run.exitCode, run.toString());
        assertTrue(run.err.contains("Invalid value for option '--text-file': cannot read /nonexistent/tidings.txt"), run.err);
        assertEquals(List.of(), connector.received(Frame.OpCase.SEND));
    }

    @Test
    void oversizedSendFailsBeforeReachingTheServer() {
        String text = "x".repeat(TidingsClient.DEFAULT_MAX_FRAME_BYTES + 1);

        CliRun run = CliRun.run(args(connection("send"), "--to", "bob", "--text", text));

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.err);
        assertTrue(run.err.startsWith("tidings-cli: FRAME_TOO_LARGE: SEND frame of "), run.err);
        assertTrue(run.err.contains("exceeds the limit of " + TidingsClient.DEFAULT_MAX_FRAME_BYTES + " bytes"), run.err);
        assertEquals(List.of(), connector.received(Frame.OpCase.SEND));
    }

    @Test
    void expiredTokenExitsThree() {
        connector.rejectConnect(ErrorCode.TOKEN_EXPIRED);

        CliRun run = CliRun.run(args(connection("send"), "--to", "bob", "--text", "x"));

        assertEquals(ExitCodes.AUTHENTICATION, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("tidings-cli: TOKEN_EXPIRED: "), run.err);
        assertTrue(connector.received(Frame.OpCase.SEND).isEmpty(), "sent although Connect failed");
    }

    @Test
    void unreachableServerExitsFive() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.run("send", "--url", "ws://127.0.0.1:" + closedPort + "/ws", "--token", "t",
                "--device", "d", "--to", "bob", "--text", "x");

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("tidings-cli: UNAVAILABLE: "), run.err);
        assertTrue(run.err.contains("127.0.0.1:" + closedPort), run.err);
    }

    @Test
    void missingReplyTimesOutWithFive() {
        CliRun run = CliRun.run(args(new String[] {"--timeout", "1"}, args(connection("send"), "--to", "bob", "--text", "x")));

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run.toString());
        assertTrue(run.err.startsWith("tidings-cli: TIMEOUT: "), run.err);
        assertTrue(run.err.contains("1000 ms") || run.err.contains("1 s"), "the timeout of --timeout 1 was not used: " + run.err);
    }

    // ---------------------------------------------------------------------------------------
    // sync

    @Test
    void syncPullsEveryPageAndAcksFinalCursor() {
        List<InboxEntry> inbox = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            inbox.add(entry("m" + i, "text " + i, 1000 + i));
        }
        serveInbox(inbox, 2);

        CliRun run = CliRun.run(args(connection("sync"), "--cursor", "1001"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        List<String> lines = run.outLines();
        assertEquals(5, lines.size(), run.out);
        for (int i = 2; i <= 5; i++) {
            assertTrue(lines.get(i - 2).contains("private:bob bob: text " + i + "  (message_id=m" + i + " sync_time=100" + i + ")"),
                    lines.get(i - 2));
        }
        assertEquals("cursor=1005 entries=4", lines.get(4));
        List<Long> cursors = connector.received(Frame.OpCase.SYNC).stream()
                .map(frame -> frame.getSync().getCursor()).collect(Collectors.toList());
        assertEquals(List.of(1001L, 1003L), cursors);
        List<Long> acks = connector.received(Frame.OpCase.SYNC_ACK).stream()
                .map(frame -> frame.getSyncAck().getCursor()).collect(Collectors.toList());
        assertTrue(acks.contains(1005L), "final cursor not acknowledged: " + acks);
    }

    @Test
    void syncJsonLines() {
        serveInbox(List.of(entry("m1", "hello", 2001)), 200);

        CliRun run = CliRun.run(args(connection("sync"), "--json"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        List<String> lines = run.outLines();
        assertEquals(2, lines.size(), run.out);
        JsonObject entry = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("m1", entry.getAsJsonObject("entry").getAsJsonObject("message").get("messageId").getAsString());
        assertEquals("2001", entry.getAsJsonObject("entry").get("syncTime").getAsString());
        assertEquals("hello", entry.get("text").getAsString());
        JsonObject end = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("2001", end.get("cursor").getAsString());
        assertEquals(1, end.get("entries").getAsInt());
    }

    @Test
    void emptyInboxKeepsCursor() {
        serveInbox(List.of(), 200);

        CliRun run = CliRun.run(args(connection("sync"), "--cursor", "500"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        assertEquals("cursor=500 entries=0\n", run.out);
    }

    @Test
    void cursorFileContinuesNextRun(@TempDir Path directory) throws IOException {
        Path cursorFile = directory.resolve("bob.cursor");
        List<InboxEntry> inbox = new ArrayList<>(List.of(entry("m1", "one", 3001), entry("m2", "two", 3002)));
        serveInbox(inbox, 200);

        CliRun first = CliRun.run(args(connection("sync"), "--cursor-file", cursorFile.toString()));
        inbox.add(entry("m3", "three", 3003));
        CliRun second = CliRun.run(args(connection("sync"), "--cursor-file", cursorFile.toString()));

        assertEquals(ExitCodes.OK, first.exitCode, first.toString());
        assertEquals(3, first.outLines().size(), first.out);
        assertEquals(ExitCodes.OK, second.exitCode, second.toString());
        assertEquals(2, second.outLines().size(), second.out);
        assertTrue(second.outLines().get(0).contains("message_id=m3"), second.out);
        assertEquals("3003", Files.readString(cursorFile, StandardCharsets.UTF_8).trim());
    }

    @Test
    void corruptCursorFileIsRejected(@TempDir Path directory) throws IOException {
        Path cursorFile = directory.resolve("bob.cursor");
        Files.writeString(cursorFile, "yesterday\n");

        CliRun run = CliRun.run(args(connection("sync"), "--cursor-file", cursorFile.toString()));

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        assertTrue(run.err.contains("INVALID_ARGUMENT: cursor file " + cursorFile + " contains 'yesterday'"), run.err);
    }

    @Test
    void failedPullExitsWithItsCode() {
        connector.onRequest(request -> request.hasSync()
                ? FakeConnector.error(ErrorCode.UNAVAILABLE, "inbox store unavailable: retry later")
                : null);

        CliRun run = CliRun.run(connection("sync"));

        assertEquals(ExitCodes.UNREACHABLE, run.exitCode, run.toString());
        assertTrue(run.err.contains("UNAVAILABLE: inbox store unavailable: retry later"), run.err);
    }

    // ---------------------------------------------------------------------------------------
    // history

    @Test
    void historyPrintsPageAndNextBefore() {
        connector.onRequest(request -> request.hasHistory()
                ? Frame.newBuilder().setHistoryReply(HistoryReply.newBuilder()
                        .addMessages(message("m2", "bob", "second", 5002))
                        .addMessages(message("m1", "alice", "first", 5001))
                        .setHasMore(true))
                : null);

        CliRun run = CliRun.run(args(connection("history"), "--with", "bob", "--before", "6000", "--count", "2"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        List<String> lines = run.outLines();
        assertEquals(3, lines.size(), run.out);
        assertTrue(lines.get(0).endsWith("bob: second  (message_id=m2 server_time=5002)"), lines.get(0));
        assertTrue(lines.get(1).endsWith("alice: first  (message_id=m1 server_time=5001)"), lines.get(1));
        assertEquals("has_more=true next_before=5001", lines.get(2));
        HistoryRequest sent = connector.received(Frame.OpCase.HISTORY).get(0).getHistory();
        assertEquals(ConversationType.PRIVATE, sent.getConversation().getType());
        assertEquals("bob", sent.getConversation().getTargetId());
        assertEquals(6000, sent.getBeforeTime());
        assertEquals(2, sent.getCount());
    }

    @Test
    void historyDefaultsAndGroupJson() {
        connector.onRequest(request -> request.hasHistory()
                ? Frame.newBuilder().setHistoryReply(HistoryReply.newBuilder()
                        .addMessages(message("m1", "alice", "first", 5001)))
                : null);

        CliRun run = CliRun.run(args(connection("history"), "--group", "team", "--json"));

        assertEquals(ExitCodes.OK, run.exitCode, run.toString());
        HistoryRequest sent = connector.received(Frame.OpCase.HISTORY).get(0).getHistory();
        assertEquals(ConversationType.GROUP, sent.getConversation().getType());
        assertEquals(0, sent.getBeforeTime());
        assertEquals(20, sent.getCount());
        List<String> lines = run.outLines();
        assertEquals("first", JsonParser.parseString(lines.get(0)).getAsJsonObject().get("text").getAsString());
        assertEquals("{\"hasMore\":false,\"nextBefore\":\"5001\"}", lines.get(1));
    }

    @Test
    void rejectedHistoryExitsFour() {
        connector.onRequest(request -> request.hasHistory()
                ? FakeConnector.error(ErrorCode.NOT_GROUP_MEMBER, "user 'alice' is not a member of group 'team'")
                : null);

        CliRun run = CliRun.run(args(connection("history"), "--group", "team"));

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        assertTrue(run.err.contains("NOT_GROUP_MEMBER"), run.err);
    }

    // ---------------------------------------------------------------------------------------
    // listen

    /** Runs listen on its own thread, as a terminal would until Ctrl-C. */
    private CompletableFuture<CliRun> listen(String... extra) {
        String[] args = args(connection("listen"), extra);
        return CompletableFuture.supplyAsync(() -> CliRun.run(args));
    }

    private static void await(String event, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + event);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void listenPrintsBacklogThenPushesUntilKicked() throws Exception {
        List<InboxEntry> inbox = new ArrayList<>(List.of(entry("m1", "missed", 4001)));
        serveInbox(inbox, 200);

        CompletableFuture<CliRun> listening = listen();
        await("the backlog pull and its ack", () -> !connector.received(Frame.OpCase.SYNC_ACK).isEmpty());
        InboxEntry pushed = entry("m2", "live", 4002);
        inbox.add(pushed);
        connector.push(Frame.newBuilder().setDeliver(Deliver.newBuilder().setEntry(pushed).setPrevSyncTime(4001)).build());
        connector.push(Frame.newBuilder().setKicked(Kicked.newBuilder()
                .setReason(Kicked.Reason.NEW_LOGIN).setByDeviceId("other").setByPlatform(Platform.WEB)).build());
        CliRun run = listening.get(30, TimeUnit.SECONDS);

        assertEquals(ExitCodes.REJECTED, run.exitCode, run.toString());
        List<String> lines = run.outLines();
        assertEquals(2, lines.size(), run.out);
        assertTrue(lines.get(0).contains("bob: missed  (message_id=m1 sync_time=4001)"), lines.get(0));
        assertTrue(lines.get(1).contains("bob: live  (message_id=m2 sync_time=4002)"), lines.get(1));
        assertTrue(run.err.contains("* CONNECTED: connected as user alice"), run.err);
        assertTrue(run.err.contains("* KICKED: kicked: NEW_LOGIN by device other (WEB)"), run.err);
    }

    @Test
    void listenEndsWithThreeOnRevokedToken() throws Exception {
        serveInbox(List.of(), 200);

        CompletableFuture<CliRun> listening = listen("--json");
        await("the connection", () -> !connector.received(Frame.OpCase.SYNC).isEmpty());
        connector.push(Frame.newBuilder().setKicked(Kicked.newBuilder().setReason(Kicked.Reason.TOKEN_REVOKED)).build());
        CliRun run = listening.get(30, TimeUnit.SECONDS);

        assertEquals(ExitCodes.AUTHENTICATION, run.exitCode, run.toString());
        assertEquals("", run.out);
        List<JsonObject> errLines = new ArrayList<>();
        for (String line : run.err.split("\n")) {
            errLines.add(JsonParser.parseString(line).getAsJsonObject());
        }
        assertTrue(errLines.stream().anyMatch(line -> line.has("state") && line.get("state").getAsString().equals("KICKED")),
                run.err);
        JsonObject last = errLines.get(errLines.size() - 1);
        assertEquals("TOKEN_REVOKED", last.getAsJsonObject("error").get("code").getAsString(), run.err);
    }

    @Test
    void listenFailsFirstConnectWithThree() throws Exception {
        connector.rejectConnect(ErrorCode.TOKEN_INVALID);

        CliRun run = listen().get(30, TimeUnit.SECONDS);

        assertEquals(ExitCodes.AUTHENTICATION, run.exitCode, run.toString());
        assertTrue(run.err.contains("tidings-cli: TOKEN_INVALID: "), run.err);
    }
}
