package io.tidings.routing.system;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.server.SystemMessageRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.group.GroupMembership;
import io.tidings.routing.metrics.RoutingMetrics;
import io.tidings.routing.send.Flags;
import io.tidings.routing.send.MessageAcceptor;
import io.tidings.routing.send.SendValidator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * System messages from app backends (MessageService.SendSystemMessage), either to a list of
 * users or to a group, de-duplicated on ({@code from}, client message id).
 *
 * <p>To users, the message is in the SYSTEM conversation {@code from} of each user (target_id =
 * from), and its one MessageRecord lists the users in recipient_ids. The record key is
 * {@code s:<from>}: keying by the sender puts every {@code s:<from>:<user>} conversation in one
 * partition, so each keeps its order although one record serves many users. To a group, it is a
 * GROUP message from {@code from} keyed {@code g:<group>} like any group message.
 */
@ApplicationScoped
public class SystemMessageService {

    private final SendValidator validator;
    private final MessageAcceptor acceptor;
    private final GroupMembership membership;
    private final RoutingMetrics metrics;
    private final int maxRecipients;

    public SystemMessageService(SendValidator validator, MessageAcceptor acceptor, GroupMembership membership,
            RoutingMetrics metrics, RoutingConfig config) {
        this.validator = validator;
        this.acceptor = acceptor;
        this.membership = membership;
        this.metrics = metrics;
        this.maxRecipients = config.send().maxSystemRecipients();
    }

    /** Returns the record key of SYSTEM messages from {@code from}. */
    public static String systemKey(String from) {
        return "s:" + from;
    }

    public Uni<SendAck> send(SystemMessageRequest request) {
        long started = System.nanoTime();
        return Uni.createFrom().item(() -> submission(request))
                .chain(acceptor::accept)
                .onItemOrFailure().invoke((ack, failure) -> {
                    metrics.sendLatency(Duration.ofNanos(System.nanoTime() - started), failure == null);
                    if (failure != null) {
                        ErrorCode code = failure instanceof TidingsException tidings ? tidings.code() : ErrorCode.INTERNAL;
                        metrics.messageRejected(code);
                        Log.debugf("System message from %s clientMessageId=%s failed: %s %s", request.getFrom(),
                                request.getClientMessageId(), code, failure.getMessage());
                    }
                });
    }

    private MessageAcceptor.Submission submission(SystemMessageRequest request) {
        String from = Ids.requireId("from", request.getFrom());
        validator.requireClientMessageId(request.getClientMessageId());
        validator.requireContentType(request.getContentType());
        validator.requireContentSize(request.getContent().size());
        boolean toGroup = !request.getGroupId().isEmpty();
        if (toGroup == !request.getUserIdsList().isEmpty()) {
            throw TidingsException.invalidArgument("set exactly one of user_ids (" + request.getUserIdsCount()
                    + " given) and group_id ('" + request.getGroupId() + "')");
        }
        Message.Builder message = Message.newBuilder()
                .setClientMessageId(request.getClientMessageId())
                .setSenderId(from)
                .setContentType(request.getContentType())
                .setContent(request.getContent())
                .setFlags(Flags.defaults())
                .setPushText(request.getPushText());
        if (toGroup) {
            String groupId = Ids.requireId("group_id", request.getGroupId());
            Conversation conversation = Conversation.newBuilder().setType(ConversationType.GROUP).setTargetId(groupId).build();
            return new MessageAcceptor.Submission("s:" + from, message.setConversation(conversation).build(), List.of(),
                    ConversationKeys.of(from, conversation), () -> membership.requireGroupActive(groupId));
        }
        List<String> recipients = requireRecipients(request.getUserIdsList());
        Conversation conversation = Conversation.newBuilder().setType(ConversationType.SYSTEM).setTargetId(from).build();
        return new MessageAcceptor.Submission("s:" + from, message.setConversation(conversation).build(), recipients,
                systemKey(from), null);
    }

    private List<String> requireRecipients(List<String> userIds) {
        if (userIds.size() > maxRecipients) {
            throw TidingsException.invalidArgument("user_ids has " + userIds.size() + " users; the maximum per call is "
                    + maxRecipients + ": split the list into several calls");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < userIds.size(); i++) {
            distinct.add(Ids.requireId("user_ids[" + i + "]", userIds.get(i)));
        }
        return new ArrayList<>(distinct);
    }
}
