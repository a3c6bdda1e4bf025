package io.tidings.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.tidings.protocol.v1.Message;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MessageContentTest {

    private static Message message(String contentType, ByteString content) {
        return Message.newBuilder().setContentType(contentType).setContent(content).build();
    }

    @Test
    void textContentIsJsonObject() {
        String text = "a \"b\" \\ c\n\u0001 你好";

        ByteString content = MessageContent.ofText(text);

        assertEquals(text, JsonParser.parseString(content.toStringUtf8()).getAsJsonObject().get("text").getAsString());
        assertEquals(Optional.of(text), MessageContent.text(message("text", content)));
    }

    @Test
    void textOfMalformedContentIsEmpty() {
        assertEquals(Optional.empty(), MessageContent.text(message("text", ByteString.copyFromUtf8("{\"text\":"))));
        assertEquals(Optional.empty(), MessageContent.text(message("text", ByteString.copyFromUtf8("{\"text\":5}"))));
        assertEquals(Optional.empty(), MessageContent.text(message("text", ByteString.copyFrom(new byte[] {(byte) 0xff}))));
        assertEquals(Optional.empty(), MessageContent.text(message("image", MessageContent.ofText("x"))));
    }

    @Test
    void displayKeepsOneLine() {
        assertEquals("line 1\\nline 2\\ttab \\\\ \\u0007",
                MessageContent.display(message("text", MessageContent.ofText("line 1\nline 2\ttab \\ \u0007"))));
    }

    @Test
    void displayOfSystemShowsJson() {
        ByteString content = ByteString.copyFromUtf8("{\"event\":\"members_added\",\"users\":[\"bob\"]}");

        assertEquals("<system> {\"event\":\"members_added\",\"users\":[\"bob\"]}", MessageContent.display(message("system", content)));
    }

    @Test
    void displayOfOtherContentShowsTypeAndSize() {
        assertEquals("<image, 3 bytes>", MessageContent.display(message("image", ByteString.copyFrom(new byte[] {1, 2, 3}))));
        assertEquals("<text, 1 bytes>", MessageContent.display(message("text", ByteString.copyFrom(new byte[] {(byte) 0xff}))));
    }
}
