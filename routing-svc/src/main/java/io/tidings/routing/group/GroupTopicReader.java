package io.tidings.routing.group;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.tidings.protocol.internal.GroupRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the whole groups topic from the beginning on its own thread and keeps reading it, handing
 * each record to a callback. It assigns itself every partition without a consumer group, so every
 * routing-svc instance receives every change. The callback retries its own failures: a record is
 * passed on only once, in partition order.
 */
final class GroupTopicReader {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final Supplier<KafkaConsumer<String, byte[]>> consumerFactory;
    private final String topic;
    private final Consumer<GroupRecord> onRecord;
    private final Consumer<String> onDeletion;
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final AtomicBoolean replayRequested = new AtomicBoolean();
    private volatile Map<TopicPartition, Long> startEndOffsets;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;

    /**
     * @param onRecord applies one group state; it returns only when applied, or when the reader's
     *     thread is interrupted by {@link #stop()}
     * @param onDeletion applies a record without value (a deletion marker) for the given group id
     */
    GroupTopicReader(Supplier<KafkaConsumer<String, byte[]>> consumerFactory, String topic,
            Consumer<GroupRecord> onRecord, Consumer<String> onDeletion) {
        this.consumerFactory = consumerFactory;
        this.topic = topic;
        this.onRecord = onRecord;
        this.onDeletion = onDeletion;
        this.thread = new Thread(this::run, "tidings-groups-reader");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops reading and waits for the thread to end. */
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        // Interrupts a callback that is still retrying a failed write.
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean running() {
        return running;
    }

    /** Returns whether the reader has applied every record that was on the topic when it started. */
    boolean caughtUp() {
        return caughtUp;
    }

    /** Next offset to read per partition; empty until the partitions are assigned. */
    Map<TopicPartition, Long> positions() {
        return positions;
    }

    /** Reads the topic again from the beginning, to restore state that Redis lost. */
    void requestReplay() {
        if (replayRequested.compareAndSet(false, true)) {
            Log.warnf("Replaying topic %s from the beginning to restore groups missing from Redis", topic);
        }
    }

    private void run() {
        while (running) {
            try {
                if (consumer == null) {
                    consumer = consumerFactory.get();
                }
                if (startEndOffsets == null && !assign()) {
                    pause();
                    continue;
                }
                if (replayRequested.getAndSet(false)) {
                    consumer.seekToBeginning(consumer.assignment());
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                boolean failed = false;
                for (TopicPartition partition : records.partitions()) {
                    failed |= !applyInOrder(partition, records.records(partition));
                }
                if (failed) {
                    pause();
                }
                for (TopicPartition partition : consumer.assignment()) {
                    positions.put(partition, consumer.position(partition));
                }
                checkCaughtUp();
            } catch (WakeupException e) {
                if (running) {
                    Log.debug("Groups reader woken up while running");
                }
            } catch (KafkaException e) {
                Log.warnf("Reading topic %s failed, retrying in %d ms: %s", topic, RETRY_PAUSE.toMillis(), e.toString());
                pause();
            }
        }
        closeConsumer();
    }

    private void closeConsumer() {
        if (consumer == null) {
            return;
        }
        // stop() interrupts this thread, and an interrupted consumer cannot close cleanly.
        Thread.interrupted();
        try {
            consumer.close(Duration.ofSeconds(2));
        } catch (KafkaException e) {
            Log.debugf("Closing the groups reader's consumer failed: %s", e.toString());
        }
    }

    /** Assigns every partition of the topic and records where each ends now; false if the topic is not there yet. */
    private boolean assign() {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            Log.warnf("Topic %s has no partitions yet; create it (scripts/infra.sh does) ", topic);
            return false;
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        startEndOffsets = consumer.endOffsets(partitions);
        Log.infof("Reading topic %s from the beginning: %d partitions, end offsets %s", topic, partitions.size(), startEndOffsets);
        return true;
    }

    /**
     * Applies one partition's records in order. On an unexpected failure it seeks back to the
     * failed record, so that the next poll reads it again rather than skipping it, and returns false.
     */
    private boolean applyInOrder(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                apply(record);
            } catch (RuntimeException e) {
                Log.errorf(e, "Applying %s partition %d offset %d failed; reading it again", topic, record.partition(),
                        record.offset());
                consumer.seek(partition, record.offset());
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            onDeletion.accept(record.key());
            return;
        }
        GroupRecord group;
        try {
            group = GroupRecord.parseFrom(record.value());
        } catch (InvalidProtocolBufferException e) {
            Log.errorf(e, "Skipping an unreadable record on %s partition %d offset %d key %s", topic, record.partition(),
                    record.offset(), record.key());
            return;
        }
        onRecord.accept(group);
    }

    private void checkCaughtUp() {
        if (caughtUp || startEndOffsets == null) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> end : startEndOffsets.entrySet()) {
            Long position = positions.get(end.getKey());
            if (position == null || position < end.getValue()) {
                return;
            }
        }
        caughtUp = true;
        Log.infof("Caught up with topic %s at %s", topic, positions);
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
