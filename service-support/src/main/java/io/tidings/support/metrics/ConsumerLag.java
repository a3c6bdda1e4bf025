package io.tidings.support.metrics;

import io.quarkus.logging.Log;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The lag of one consumer group member: the sum, over its assigned partitions, of end offset
 * minus position. The poll thread computes it with {@link #update} and the gauge reads the last
 * value, because a KafkaConsumer must not be called from another thread.
 */
public final class ConsumerLag {

    private final String group;
    private final AtomicLong records = new AtomicLong();
    private volatile boolean updateFailed;

    ConsumerLag(String group) {
        this.group = group;
    }

    /** Returns the lag computed by the last {@link #update}, 0 before the first. */
    public long records() {
        return records.get();
    }

    /**
     * Recomputes the lag from the consumer's local state without waiting for Kafka. Call it only
     * on the thread that polls {@code consumer}, after a poll.
     *
     * <p>NOTE: KafkaConsumer.currentLag uses the end offset of the last fetch of a partition. A
     * paused partition is not fetched, so its lag stays at the value of its last fetch while it
     * is paused, and a partition without a fetch since its assignment counts as 0.
     */
    public void update(Consumer<?, ?> consumer) {
        try {
            long total = 0;
            for (TopicPartition partition : consumer.assignment()) {
                OptionalLong lag = consumer.currentLag(partition);
                if (lag.isPresent()) {
                    total += lag.getAsLong();
                }
            }
            records.set(total);
            updateFailed = false;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException | IllegalStateException e) {
            // The poll loop goes on and the gauge keeps its last value. Logged once per failure streak.
            if (!updateFailed) {
                updateFailed = true;
                Log.warnf("Computing the lag of consumer group %s failed; the gauge keeps %d: %s", group,
                        records.get(), e.toString());
            }
        }
    }
}
