package io.tidings.routing.send;

import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendRequest;
import io.tidings.routing.RoutingConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the fields of sends and turns a client's SendCommand into a Message without id and time.
 * Each failure is a TidingsException whose message names the field and the bad value.
 */
@ApplicationScoped
public class SendValidator {

    /** Content type of server-generated messages, which clients may not send. */
    public static final String SYSTEM_CONTENT_TYPE = "system";

    static final int MAX_CLIENT_MESSAGE_ID_LENGTH = 64;
    static final int MAX_CONTENT_TYPE_LENGTH = 64;

    private final int maxContentBytes;

    public SendValidator(RoutingConfig config) {
        this.maxContentBytes = config.send().maxContentBytes();
    }

    /**
     * Validates a client's send and returns the message to accept. Self-chat (a PRIVATE
     * conversation with oneself) is allowed: it works as a note to self that syncs to the
     * sender's other devices.
     */
    public Message validate(SendCommand command) {
        String senderId = Ids.requireId("sender_id", command.getSenderId());
        String deviceId = Ids.requireDeviceId(command.getSenderDeviceId());
        SendRequest request = command.getRequest();
        requireClientMessageId(request.getClientMessageId());
        Conversation conversation = requireConversation(request);
        requireContentType(request.getContentType());
        if (SYSTEM_CONTENT_TYPE.equals(request.getContentType())) {
            throw TidingsException.invalidArgument("content_type '" + SYSTEM_CONTENT_TYPE
                    + "' is reserved for messages the server generates; use another content type");
        }
        requireContentSize(request.getContent().size());
        return Message.newBuilder()
                .setClientMessageId(request.getClientMessageId())
                .setConversation(conversation)
                .setSenderId(senderId)
                .setSenderDeviceId(deviceId)
                .setContentType(request.getContentType())
                .setContent(request.getContent())
                .setFlags(Flags.effective(request.hasFlags(), request.getFlags()))
                .setPushText(request.getPushText())
                .build();
    }

    /** Checks a client message id: 1..64 characters without control characters. */
    public void requireClientMessageId(String clientMessageId) {
        if (clientMessageId.isEmpty()) {
            throw TidingsException.invalidArgument("client_message_id is missing: set a unique id of 1.."
                    + MAX_CLIENT_MESSAGE_ID_LENGTH + " characters and reuse it when retrying");
        }
        if (clientMessageId.length() > MAX_CLIENT_MESSAGE_ID_LENGTH) {
            throw TidingsException.invalidArgument("client_message_id '" + clientMessageId + "' is "
                    + clientMessageId.length() + " characters long; the maximum is " + MAX_CLIENT_MESSAGE_ID_LENGTH);
        }
        if (clientMessageId.chars().anyMatch(Character::isISOControl)) {
            throw TidingsException.invalidArgument("client_message_id '" + clientMessageId.replaceAll("\\p{Cntrl}", "?")
                    + "' contains a control character");
        }
    }

    /** Checks a content type: present and at most 64 characters. */
    public void requireContentType(String contentType) {
        if (contentType.isEmpty()) {
            throw TidingsException.invalidArgument("content_type is missing: set it, for example \"text\" or \"image\"");
        }
        if (contentType.length() > MAX_CONTENT_TYPE_LENGTH) {
            throw TidingsException.invalidArgument("content_type '" + contentType + "' is " + contentType.length()
                    + " characters long; the maximum is " + MAX_CONTENT_TYPE_LENGTH);
        }
    }

    /** Checks the content size against tidings.routing.send.max-content-bytes. */
    public void requireContentSize(int bytes) {
        if (bytes > maxContentBytes) {
            throw new TidingsException(ErrorCode.CONTENT_TOO_LARGE, "content is " + bytes
                    + " bytes, above the limit of " + maxContentBytes + " bytes; send large files by reference");
        }
    }

    private static Conversation requireConversation(SendRequest request) {
        if (!request.hasConversation() || request.getConversation().getType() == ConversationType.CONVERSATION_TYPE_UNSPECIFIED) {
            throw TidingsException.invalidArgument("conversation.type is missing: use PRIVATE or GROUP");
        }
        Conversation conversation = request.getConversation();
        switch (conversation.getType()) {
            case PRIVATE:
                Ids.requireId("conversation.target_id", conversation.getTargetId());
                return conversation;
            case GROUP:
                Ids.requireId("conversation.target_id", conversation.getTargetId());
                return conversation;
            case SYSTEM:
                throw TidingsException.invalidArgument(
                        "conversation.type SYSTEM is reserved for app backends (MessageService.SendSystemMessage); use PRIVATE or GROUP");
            default:
                throw TidingsException.invalidArgument("conversation.type " + conversation.getTypeValue()
                        + " is unknown; use PRIVATE or GROUP");
        }
    }
}
