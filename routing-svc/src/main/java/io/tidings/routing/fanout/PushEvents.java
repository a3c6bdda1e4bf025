package io.tidings.routing.fanout;

import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.routing.Await;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.kafka.KafkaWriter;
import io.tidings.routing.metrics.RoutingMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a PushEvent to the push topic (key: recipient id) for each copy that no live device
 * received, unless the copy is status-only or the recipient's own message. push-svc applies
 * push_disabled, mute and do-not-disturb itself.
 *
 * <p>NOTE: a batch that is fanned out again after a failure or restart writes its push events
 * again. push-svc has to collapse them by (recipient, message id), for example by using the
 * message id as the notification's collapse id, or the device shows the notification twice.
 */
@ApplicationScoped
public class PushEvents {

    private final KafkaWriter kafka;
    private final InboxAppender inbox;
    private final RoutingMetrics metrics;
    private final String topic;
    private final Duration timeout;

    public PushEvents(KafkaWriter kafka, InboxAppender inbox, RoutingMetrics metrics, RoutingConfig config) {
        this.kafka = kafka;
        this.inbox = inbox;
        this.metrics = metrics;
        this.topic = config.kafka().pushTopic();
        this.timeout = config.kafka().sendTimeout().plus(config.kafka().maxBlock()).plusSeconds(1);
    }

    /** Writes the push events and waits for Kafka's acks. Blocks; throws when a write fails. */
    public void produce(List<Copy> unreached) {
        List<Uni<Void>> writes = new ArrayList<>();
        for (Copy copy : unreached) {
            if (!copy.pushable()) {
                continue;
            }
            PushEvent event = PushEvent.newBuilder()
                    .setRecipientId(copy.userId())
                    .setEntry(copy.entry())
                    .setUnreadTotal(unreadTotal(copy))
                    .setGroupName(copy.groupName())
                    .build();
            writes.add(kafka.write(topic, copy.userId(), event.toByteArray())
                    .invoke(metrics::pushEvent)
                    .replaceWithVoid());
        }
        if (writes.isEmpty()) {
            return;
        }
        Await.await(Uni.join().all(writes).andFailFast(), timeout, "writing " + writes.size() + " push events");
    }

    /** Returns the unread count from the append, or from offline-svc for copies that were not appended. */
    private long unreadTotal(Copy copy) {
        return copy.unreadTotal() != Copy.UNREAD_UNKNOWN ? copy.unreadTotal() : inbox.unreadTotal(copy.userId());
    }
}
