package io.tidings.routing.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendRequest;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builders of send requests and filters of message records for tests. */
public final class Sends {

    private Sends() {
    }

    public static SendCommand command(String sender, String device, SendRequest request) {
        return SendCommand.newBuilder().setSenderId(sender).setSenderDeviceId(device).setRequest(request).build();
    }

    public static SendRequest text(String clientMessageId, SendRequest conversationHolder) {
        return conversationHolder.toBuilder()
                .setClientMessageId(clientMessageId)
                .setContentType("text")
                .setContent(ByteString.copyFrom("{\"text\":\"hello\"}", StandardCharsets.UTF_8))
                .build();
    }

    public static SendRequest privateWith(String peer) {
        return conversation(ConversationType.PRIVATE, peer);
    }

    public static SendRequest groupOf(String group) {
        return conversation(ConversationType.GROUP, group);
    }

    public static SendRequest conversation(ConversationType type, String target) {
        return SendRequest.newBuilder()
                .setConversation(Conversation.newBuilder().setType(type).setTargetId(target))
                .build();
    }

    public static Predicate<ConsumerRecord<String, byte[]>> withMessageId(String messageId) {
        return record -> parse(record).getMessage().getMessageId().equals(messageId);
    }

    public static Predicate<ConsumerRecord<String, byte[]>> fromSender(String sender, String clientMessageId) {
        return record -> {
            Message message = parse(record).getMessage();
            return message.getSenderId().equals(sender) && message.getClientMessageId().equals(clientMessageId);
        };
    }

    public static MessageRecord parse(ConsumerRecord<String, byte[]> record) {
        try {
            return MessageRecord.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            return MessageRecord.getDefaultInstance();
        }
    }
}
