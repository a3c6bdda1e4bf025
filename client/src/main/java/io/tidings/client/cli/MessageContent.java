package io.tidings.client.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.tidings.protocol.v1.Message;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Message content as the built-in types define it: content type "text" carries the JSON object
 * {"text": "..."}, and "system" a JSON object describing the event (for example members added).
 */
final class MessageContent {

    static final String TEXT = "text";
    static final String SYSTEM = "system";

    private MessageContent() {
    }

    /** Returns the content of a text message: {"text": text} in UTF-8. */
    static ByteString ofText(String text) {
        JsonObject json = new JsonObject();
        json.addProperty("text", text);
        return ByteString.copyFromUtf8(json.toString());
    }

    /** Returns the text of a text message, or empty for other types and malformed content. */
    static Optional<String> text(Message message) {
        if (!TEXT.equals(message.getContentType())) {
            return Optional.empty();
        }
        Optional<JsonElement> json = json(message.getContent());
        if (json.isEmpty() || !json.get().isJsonObject()) {
            return Optional.empty();
        }
        JsonElement text = json.get().getAsJsonObject().get("text");
        if (text == null || !text.isJsonPrimitive() || !text.getAsJsonPrimitive().isString()) {
            return Optional.empty();
        }
        return Optional.of(text.getAsString());
    }

    /**
     * Returns the content as one line for a terminal: the text of a text message, the JSON of a
     * system message, or the content type and size of anything else. Line breaks and other
     * control characters are escaped, so each message stays on one output line.
     */
    static String display(Message message) {
        Optional<String> text = text(message);
        if (text.isPresent()) {
            return escapeControlCharacters(text.get());
        }
        if (SYSTEM.equals(message.getContentType())) {
            Optional<JsonElement> json = json(message.getContent());
            if (json.isPresent()) {
                return "<system> " + json.get();
            }
        }
        return "<" + message.getContentType() + ", " + message.getContent().size() + " bytes>";
    }

    static String escapeControlCharacters(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\r') {
                escaped.append("\\r");
            } else if (c == '\t') {
                escaped.append("\\t");
            } else if (c == '\\') {
                escaped.append("\\\\");
            } else if (Character.isISOControl(c)) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static Optional<JsonElement> json(ByteString content) {
        try {
            String utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content.toByteArray()))
                    .toString();
            return Optional.of(JsonParser.parseString(utf8));
        } catch (CharacterCodingException | JsonParseException e) {
            return Optional.empty();
        }
    }
}
