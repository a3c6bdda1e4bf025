package io.tidings.client.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.tidings.client.ConnectionState;
import io.tidings.protocol.server.GroupMember;
import io.tidings.protocol.server.GroupReply;
import io.tidings.protocol.server.IssueTokenReply;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.ErrorReply;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendAck;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Everything tidings-cli prints. Results go to stdout, one line each, and errors and connection
 * state changes go to stderr. With --json every line is one JSON object: protocol objects in the proto3
 * JSON mapping (so 64-bit integers are strings, and fields at their default value are present),
 * wrapped where a command prints more than one kind of line.
 *
 * <p>Every method prints whole lines under one lock and flushes, because listen prints from the
 * SDK's threads and a script reading the output line by line must see each line at once.
 */
final class Output {

    private static final JsonFormat.Printer PROTO_JSON =
            JsonFormat.printer().omittingInsignificantWhitespace().alwaysPrintFieldsWithNoPresence();
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    boolean json() {
        return json;
    }

    /** Prints the token alone in text mode, so that {@code TOKEN=$(tidings-cli token ...)} works. */
    void token(IssueTokenReply reply) {
        printOut(json ? GSON.toJson(proto(reply)) : reply.getToken());
    }

    void sendAck(SendAck ack) {
        printOut(json ? GSON.toJson(proto(ack))
                : "message_id=" + ack.getMessageId()
                        + " client_message_id=" + ack.getClientMessageId()
                        + " server_time=" + ack.getServerTime() + " (" + Instant.ofEpochMilli(ack.getServerTime()) + ")");
    }

    /** Prints one inbox entry: {"entry": InboxEntry, "text": ...} in JSON, "text" only for text messages. */
    void inboxEntry(InboxEntry entry) {
        Message message = entry.getMessage();
        if (json) {
            JsonObject line = new JsonObject();
            line.add("entry", proto(entry));
            MessageContent.text(message).ifPresent(text -> line.addProperty("text", text));
            printOut(GSON.toJson(line));
            return;
        }
        printOut(Instant.ofEpochMilli(message.getServerTime())
                + " " + conversation(entry.getConversation())
                + " " + message.getSenderId() + (entry.getOwn() ? " (own)" : "")
                + ": " + MessageContent.display(message)
                + "  (message_id=" + message.getMessageId() + " sync_time=" + entry.getSyncTime() + ")");
    }

    /** Prints the last line of sync: the cursor to pass next time and the number of entries printed. */
    void syncEnd(long cursor, int entries) {
        if (json) {
            JsonObject line = new JsonObject();
            line.addProperty("cursor", Long.toString(cursor));
            line.addProperty("entries", entries);
            printOut(GSON.toJson(line));
        } else {
            printOut("cursor=" + cursor + " entries=" + entries);
        }
    }

    /** Prints one history message: {"message": Message, "text": ...} in JSON. */
    void historyMessage(Message message) {
        if (json) {
            JsonObject line = new JsonObject();
            line.add("message", proto(message));
            MessageContent.text(message).ifPresent(text -> line.addProperty("text", text));
            printOut(GSON.toJson(line));
            return;
        }
        printOut(Instant.ofEpochMilli(message.getServerTime())
                + " " + message.getSenderId()
                + ": " + MessageContent.display(message)
                + "  (message_id=" + message.getMessageId() + " server_time=" + message.getServerTime() + ")");
    }

    /**
     * Prints the last line of a history page: whether older messages exist and, when the page had
     * messages, the value to pass as --before for the next page (the oldest server time).
     */
    void historyEnd(boolean hasMore, long nextBefore) {
        if (json) {
            JsonObject line = new JsonObject();
            line.addProperty("hasMore", hasMore);
            if (nextBefore > 0) {
                line.addProperty("nextBefore", Long.toString(nextBefore));
            }
            printOut(GSON.toJson(line));
        } else {
            printOut("has_more=" + hasMore + (nextBefore > 0 ? " next_before=" + nextBefore : ""));
        }
    }

    void group(GroupReply group) {
        if (json) {
            printOut(GSON.toJson(proto(group)));
            return;
        }
        String members = group.getMembersList().stream().map(GroupMember::getUserId).collect(Collectors.joining(","));
        printOut("group=" + group.getGroupId()
                + " name=" + GSON.toJson(group.getName())
                + " owner=" + group.getOwnerId()
                + " version=" + group.getVersion()
                + (group.getDismissed() ? " dismissed=true" : "")
                + " members=" + members);
    }

    /** Prints a connection state change on stderr. */
    void state(ConnectionState state, ErrorCode code, String detail) {
        if (json) {
            JsonObject line = new JsonObject();
            line.addProperty("state", state.name());
            if (code != null) {
                line.addProperty("code", code.name());
            }
            line.addProperty("detail", detail);
            printErr(GSON.toJson(line));
        } else {
            printErr("* " + state + (code == null ? "" : " " + code) + ": " + detail);
        }
    }

    /** Prints a failure on stderr: {"error": {"code": ..., "message": ...}} in JSON. */
    void error(ErrorCode code, String message) {
        if (json) {
            JsonObject line = new JsonObject();
            line.add("error", proto(ErrorReply.newBuilder().setCode(code).setMessage(message).build()));
            printErr(GSON.toJson(line));
        } else {
            printErr("tidings-cli: " + code + ": " + message);
        }
    }

    /** Prints a warning that does not end the command, such as a failed pull during listen. */
    void warning(String message) {
        if (json) {
            JsonObject line = new JsonObject();
            line.addProperty("warning", message);
            printErr(GSON.toJson(line));
        } else {
            printErr("tidings-cli: " + message);
        }
    }

    /** Returns "private:PEER", "group:GROUP" or "system:SENDER". */
    static String conversation(Conversation conversation) {
        return conversation.getType().name().toLowerCase(Locale.ROOT) + ":" + conversation.getTargetId();
    }

    private static JsonElement proto(MessageOrBuilder message) {
        try {
            return JsonParser.parseString(PROTO_JSON.print(message));
        } catch (InvalidProtocolBufferException e) {
            // Only Any fields with unknown types fail to print, and the protocol has none.
            throw new IllegalStateException("cannot print " + message.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private synchronized void printOut(String line) {
        out.println(line);
        out.flush();
    }

    private synchronized void printErr(String line) {
        err.println(line);
        err.flush();
    }
}
