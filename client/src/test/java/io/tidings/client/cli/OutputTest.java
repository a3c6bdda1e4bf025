package io.tidings.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.tidings.client.ConnectionState;
import io.tidings.protocol.server.GroupMember;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.server.IssueTokenReply;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendAck;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The text and JSON lines of every kind of output. */
class OutputTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Output output(boolean json) {
        return new Output(new PrintWriter(out), new PrintWriter(err), json);
    }

    private static Message textMessage(String text) {
        return Message.newBuilder()
                .setMessageId("0MSG1")
                .setClientMessageId("c1")
                .setConversation(Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId("team"))
                .setSenderId("alice")
                .setSenderDeviceId("alice-phone")
                .setContentType("text")
                .setContent(MessageContent.ofText(text))
                .setServerTime(1_764_928_800_123L)
                .build();
    }

    private static InboxEntry entry(Message message) {
        return InboxEntry.newBuilder()
                .setMessage(message)
                .setConversation(message.getConversation())
                .setSyncTime(1_764_928_800_124L)
                .build();
    }

    private JsonObject onlyLine(StringWriter writer) {
        String[] lines = writer.toString().split("\n");
        assertEquals(1, lines.length, "expected one line: " + writer);
        return JsonParser.parseString(lines[0]).getAsJsonObject();
    }

    @Test
    void entryJsonWrapsInboxEntryAndText() {
        output(true).inboxEntry(entry(textMessage("hello \"bob\"")));

        JsonObject line = onlyLine(out);
        JsonObject entry = line.getAsJsonObject("entry");
        assertEquals("1764928800124", entry.get("syncTime").getAsString());
        assertTrue(entry.get("syncTime").getAsJsonPrimitive().isString(), "int64 is not a string in proto3 JSON");
        assertFalse(entry.get("own").getAsBoolean(), "fields at their default value are missing");
        assertEquals("0MSG1", entry.getAsJsonObject("message").get("messageId").getAsString());
        assertEquals("alice", entry.getAsJsonObject("message").get("senderId").getAsString());
        assertEquals("GROUP", entry.getAsJsonObject("conversation").get("type").getAsString());
        assertEquals("hello \"bob\"", line.get("text").getAsString());
        assertEquals("", err.toString());
    }

    @Test
    void entryJsonOmitsTextForOtherContent() {
        Message image = textMessage("x").toBuilder()
                .setContentType("image")
                .setContent(ByteString.copyFrom(new byte[] {1, 2, 3}))
                .build();

        output(true).inboxEntry(entry(image));

        JsonObject line = onlyLine(out);
        assertFalse(line.has("text"), line.toString());
        assertEquals("AQID", line.getAsJsonObject("entry").getAsJsonObject("message").get("content").getAsString());
    }

    @Test
    void entryTextLineNamesConversationSenderAndIds() {
        output(false).inboxEntry(entry(textMessage("hi\nthere")));

        assertEquals("2025-12-05T10:00:00.123Z group:team alice: hi\\nthere  (message_id=0MSG1 sync_time=1764928800124)\n",
                out.toString());
    }

    @Test
    void ownEntryIsMarked() {
        output(false).inboxEntry(entry(textMessage("x")).toBuilder().setOwn(true).build());

        assertTrue(out.toString().contains(" alice (own): x"), out.toString());
    }

    @Test
    void syncEndJsonHasCursorAsString() {
        output(true).syncEnd(1_764_928_800_124L, 3);

        JsonObject line = onlyLine(out);
        assertEquals("1764928800124", line.get("cursor").getAsString());
        assertTrue(line.get("cursor").getAsJsonPrimitive().isString());
        assertEquals(3, line.get("entries").getAsInt());
    }

    @Test
    void syncEndText() {
        output(false).syncEnd(42, 0);

        assertEquals("cursor=42 entries=0\n", out.toString());
    }

    @Test
    void historyJsonLines() {
        Output output = output(true);
        output.historyMessage(textMessage("older"));
        output.historyEnd(true, 1_764_928_800_123L);

        String[] lines = out.toString().split("\n");
        assertEquals(2, lines.length, out.toString());
        JsonObject message = JsonParser.parseString(lines[0]).getAsJsonObject();
        assertEquals("0MSG1", message.getAsJsonObject("message").get("messageId").getAsString());
        assertEquals("1764928800123", message.getAsJsonObject("message").get("serverTime").getAsString());
        assertEquals("older", message.get("text").getAsString());
        JsonObject end = JsonParser.parseString(lines[1]).getAsJsonObject();
        assertTrue(end.get("hasMore").getAsBoolean());
        assertEquals("1764928800123", end.get("nextBefore").getAsString());
    }

    @Test
    void emptyHistoryHasNoNextBefore() {
        output(true).historyEnd(false, 0);
        output(false).historyEnd(false, 0);

        String[] lines = out.toString().split("\n");
        assertEquals("{\"hasMore\":false}", lines[0]);
        assertEquals("has_more=false", lines[1]);
    }

    @Test
    void historyTextLine() {
        output(false).historyMessage(textMessage("older"));

        assertEquals("2025-12-05T10:00:00.123Z alice: older  (message_id=0MSG1 server_time=1764928800123)\n", out.toString());
    }

    @Test
    void sendAckJsonIsTheSendAck() {
        output(true).sendAck(SendAck.newBuilder().setClientMessageId("c1").setMessageId("0MSG1")
                .setServerTime(1_764_928_800_123L).build());

        assertEquals("{\"clientMessageId\":\"c1\",\"messageId\":\"0MSG1\",\"serverTime\":\"1764928800123\"}\n", out.toString());
    }

    @Test
    void sendAckText() {
        output(false).sendAck(SendAck.newBuilder().setClientMessageId("c1").setMessageId("0MSG1")
                .setServerTime(1_764_928_800_123L).build());

        assertEquals("message_id=0MSG1 client_message_id=c1 server_time=1764928800123 (2025-12-05T10:00:00.123Z)\n",
                out.toString());
    }

    @Test
    void tokenTextIsTokenAlone() {
        IssueTokenReply reply = IssueTokenReply.newBuilder().setToken("abc.def").setExpiresAt(5).build();

        output(false).token(reply);
        output(true).token(reply);

        assertEquals("abc.def\n{\"token\":\"abc.def\",\"expiresAt\":\"5\"}\n", out.toString());
    }

    @Test
    void groupTextAndJson() {
        GroupReply group = GroupReply.newBuilder().setGroupId("team").setName("The \"A\" team").setOwnerId("alice")
                .setVersion(3)
                .addMembers(GroupMember.newBuilder().setUserId("alice").setJoinedAt(1))
                .addMembers(GroupMember.newBuilder().setUserId("bob").setJoinedAt(2))
                .build();

        output(false).group(group);
        output(true).group(group);

        String[] lines = out.toString().split("\n");
        assertEquals("group=team name=\"The \\\"A\\\" team\" owner=alice version=3 members=alice,bob", lines[0]);
        JsonObject json = JsonParser.parseString(lines[1]).getAsJsonObject();
        assertEquals("team", json.get("groupId").getAsString());
        assertEquals(2, json.getAsJsonArray("members").size());
        assertEquals("bob", json.getAsJsonArray("members").get(1).getAsJsonObject().get("userId").getAsString());
        assertFalse(json.get("dismissed").getAsBoolean());
    }

    @Test
    void errorGoesToStderr() {
        output(false).error(ErrorCode.NOT_GROUP_MEMBER, "user 'carol' is not a member of group 'team'");
        output(true).error(ErrorCode.NOT_GROUP_MEMBER, "user 'carol' is not a member of group 'team'");

        assertEquals("", out.toString());
        String[] lines = err.toString().split("\n");
        assertEquals("tidings-cli: NOT_GROUP_MEMBER: user 'carol' is not a member of group 'team'", lines[0]);
        JsonObject error = JsonParser.parseString(lines[1]).getAsJsonObject().getAsJsonObject("error");
        assertEquals("NOT_GROUP_MEMBER", error.get("code").getAsString());
        assertEquals("user 'carol' is not a member of group 'team'", error.get("message").getAsString());
    }

    @Test
    void stateGoesToStderr() {
        output(false).state(ConnectionState.RECONNECTING, ErrorCode.UNAVAILABLE, "closed by the server");
        output(true).state(ConnectionState.CONNECTED, null, "connected as user bob");

        assertEquals("", out.toString());
        String[] lines = err.toString().split("\n");
        assertEquals("* RECONNECTING UNAVAILABLE: closed by the server", lines[0]);
        assertEquals("{\"state\":\"CONNECTED\",\"detail\":\"connected as user bob\"}", lines[1]);
    }

    @Test
    void conversationNames() {
        assertEquals("private:bob", Output.conversation(
                Conversation.newBuilder().setType(ConversationType.PRIVATE).setTargetId("bob").build()));
        assertEquals("system:admin", Output.conversation(
                Conversation.newBuilder().setType(ConversationType.SYSTEM).setTargetId("admin").build()));
    }
}
