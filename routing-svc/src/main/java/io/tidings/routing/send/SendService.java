package io.tidings.routing.send;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.group.GroupMembership;
import io.tidings.routing.metrics.RoutingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends from client devices (RoutingService.Send): validates the request, checks group
 * membership and hands the message to the {@link MessageAcceptor}. The membership check runs
 * only for a new message, so a retry of an acked send returns its original ack even when the
 * sender has left the group since.
 *
 * <p>At most {@code tidings.routing.send.max-in-flight} sends are worked on at once; one more
 * fails at once with UNAVAILABLE, before it touches Redis or Kafka.
 */
@ApplicationScoped
public class SendService {

    private final SendValidator validator;
    private final MessageAcceptor acceptor;
    private final GroupMembership membership;
    private final RoutingMetrics metrics;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final SendFailureLog capacityFailures = new SendFailureLog();

    public SendService(SendValidator validator, MessageAcceptor acceptor, GroupMembership membership, RoutingMetrics metrics,
            RoutingConfig config) {
        this.validator = validator;
        this.acceptor = acceptor;
        this.membership = membership;
        this.metrics = metrics;
        this.maxInFlight = config.send().maxInFlight();
    }

    public Uni<SendAck> send(SendCommand command) {
        long started = System.nanoTime();
        return Uni.createFrom().item(() -> validator.validate(command))
                .chain(message -> admitted(message))
                .onItemOrFailure().invoke((ack, failure) -> {
                    metrics.sendLatency(Duration.ofNanos(System.nanoTime() - started), failure == null);
                    if (failure != null) {
                        rejected(command, failure);
                    }
                });
    }

    /** Accepts the message when fewer than max-in-flight sends are in progress, else fails with UNAVAILABLE. */
    private Uni<SendAck> admitted(Message message) {
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            return Uni.createFrom().failure(new TidingsException(ErrorCode.UNAVAILABLE, "routing-svc is working on "
                    + maxInFlight + " sends already (tidings.routing.send.max-in-flight); retry client_message_id '"
                    + message.getClientMessageId() + "' later"));
        }
        return acceptor.accept(submission(message)).onTermination().invoke(inFlight::decrementAndGet);
    }

    private MessageAcceptor.Submission submission(Message message) {
        String senderId = message.getSenderId();
        Supplier<Uni<Void>> admission = null;
        if (message.getConversation().getType() == ConversationType.GROUP) {
            String groupId = message.getConversation().getTargetId();
            admission = () -> membership.requireSender(groupId, senderId);
        }
        return new MessageAcceptor.Submission(
                "u:" + senderId,
                message,
                List.of(),
                ConversationKeys.of(senderId, message.getConversation()),
                admission);
    }

    private void rejected(SendCommand command, Throwable failure) {
        ErrorCode code = failure instanceof TidingsException tidings ? tidings.code() : ErrorCode.INTERNAL;
        metrics.messageRejected(code);
        String clientMessageId = command.getRequest().getClientMessageId();
        if (code == ErrorCode.INTERNAL) {
            Log.errorf(failure, "Send failed userId=%s deviceId=%s clientMessageId=%s", command.getSenderId(),
                    command.getSenderDeviceId(), clientMessageId);
        } else if (code == ErrorCode.UNAVAILABLE || code == ErrorCode.TIMEOUT) {
            if (!capacityFailures.warn(command.getSenderId(), command.getSenderDeviceId(), clientMessageId, code, failure.getMessage())) {
                Log.debugf("Send failed userId=%s deviceId=%s clientMessageId=%s: %s %s", command.getSenderId(),
                        command.getSenderDeviceId(), clientMessageId, code, failure.getMessage());
            }
        } else {
            Log.debugf("Send rejected userId=%s deviceId=%s clientMessageId=%s: %s %s", command.getSenderId(),
                    command.getSenderDeviceId(), clientMessageId, code, failure.getMessage());
        }
    }
}
