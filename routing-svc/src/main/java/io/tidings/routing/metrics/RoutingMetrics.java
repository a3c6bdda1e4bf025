package io.tidings.routing.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The metrics of routing-svc, all named {@code tidings.routing.*}. */
@ApplicationScoped
public class RoutingMetrics {

    /** Outcome of a call to a connector for one device, or for a user with no live device. */
    public enum DeliveryOutcome {
        DELIVERED, NO_SESSION, FAILED, OFFLINE;

        String tag() {
            return name().toLowerCase();
        }
    }

    private final MeterRegistry registry;
    private final Counter duplicateSends;
    private final Counter pushEvents;
    private final Counter notifies;
    private final DistributionSummary fanOutRecipients;
    private final Timer inboxAppend;

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicateSends = Counter.builder("tidings.routing.messages.duplicate")
                .description("Sends answered with the ack of an earlier send of the same client message id")
                .register(registry);
        this.pushEvents = Counter.builder("tidings.routing.push.events")
                .description("Push events written to the push topic for recipients without a live device")
                .register(registry);
        this.notifies = Counter.builder("tidings.routing.notifies")
                .description("Notify frames sent in place of several Deliver frames to one device")
                .register(registry);
        this.fanOutRecipients = DistributionSummary.builder("tidings.routing.fanout.recipients")
                .description("Recipients of each fanned-out message")
                .register(registry);
        this.inboxAppend = Timer.builder("tidings.routing.inbox.append")
                .description("Latency of InboxService.Append calls to offline-svc")
                .register(registry);
    }

    public void messageAccepted(ConversationType type) {
        registry.counter("tidings.routing.messages.accepted", "conversation_type", type.name()).increment();
    }

    public void messageRejected(ErrorCode code) {
        registry.counter("tidings.routing.messages.rejected", "code", code.name()).increment();
    }

    public void duplicateSend() {
        duplicateSends.increment();
    }

    public void sendLatency(Duration duration, boolean success) {
        Timer.builder("tidings.routing.send")
                .description("Latency of Send and SendSystemMessage from request to ack or error")
                .tag("outcome", success ? "ok" : "error")
                .register(registry)
                .record(duration);
    }

    public void fanOutRecipients(int count) {
        fanOutRecipients.record(count);
    }

    public void delivery(DeliveryOutcome outcome, int count) {
        registry.counter("tidings.routing.deliveries", "outcome", outcome.tag()).increment(count);
    }

    public void pushEvent() {
        pushEvents.increment();
    }

    public void notifySent() {
        notifies.increment();
    }

    public Timer inboxAppendTimer() {
        return inboxAppend;
    }
}
