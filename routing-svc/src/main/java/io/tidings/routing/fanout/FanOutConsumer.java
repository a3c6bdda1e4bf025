package io.tidings.routing.fanout;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.kafka.KafkaClients;
import io.tidings.support.metrics.ConsumerLag;
import io.tidings.support.metrics.ConsumerLagMeters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The fan-out consumer: consumer group {@code tidings.routing.fanout.consumer-group} on the
 * messages topic. One thread polls; each poll's partitions are fanned out in parallel on
 * {@code tidings.routing.fanout.threads} workers, each partition's records in order, which keeps
 * each conversation's order (a conversation is one key, so one partition).
 *
 * <p>Offsets are committed by hand after the work for the records is done, never past a record
 * that failed. A failed partition is rewound to the failed record and paused, with a backoff
 * that doubles from retry-initial-backoff to retry-max-backoff, while the other partitions go on.
 * After a crash the uncommitted records are fanned out again, which the idempotent inbox absorbs.
 *
 * <p>After each poll the poll thread updates the group's {@code tidings.kafka.consumer.lag} gauge.
 */
@ApplicationScoped
public class FanOutConsumer {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

    private final KafkaClients kafka;
    private final FanOut fanOut;
    private final ConsumerLagMeters lagMeters;
    private final RoutingConfig.FanOut config;
    private final String topic;
    private final Map<TopicPartition, Backoff> backoffs = new ConcurrentHashMap<>();
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean positionsPending;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private ConsumerLag lag;
    private ExecutorService workers;
    private Thread thread;

    public FanOutConsumer(KafkaClients kafka, FanOut fanOut, ConsumerLagMeters lagMeters, RoutingConfig config) {
        this.kafka = kafka;
        this.fanOut = fanOut;
        this.lagMeters = lagMeters;
        this.config = config.fanout();
        this.topic = config.kafka().messagesTopic();
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("The fan-out consumer is disabled (tidings.routing.fanout.enabled=false)");
            return;
        }
        running = true;
        lag = lagMeters.register(config.consumerGroup());
        AtomicInteger workerNumber = new AtomicInteger();
        workers = Executors.newFixedThreadPool(config.threads(), runnable -> {
            Thread worker = new Thread(runnable, "tidings-fanout-worker-" + workerNumber.incrementAndGet());
            worker.setDaemon(true);
            return worker;
        });
        thread = new Thread(this::run, "tidings-fanout-poller");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }

    /** Returns the partitions this instance owns now. */
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /**
     * Returns whether the consumer owns partitions and has a start position for each of them, so
     * that it fans out every record written from now on.
     */
    public boolean positioned() {
        return !assigned.isEmpty() && !positionsPending;
    }

    /** After an assignment, looks up the start position of each new partition (committed or reset). */
    private void resolvePositions() {
        if (!positionsPending) {
            return;
        }
        for (TopicPartition partition : consumer.assignment()) {
            consumer.position(partition);
        }
        positionsPending = false;
    }

    private void run() {
        while (running) {
            try {
                if (consumer == null) {
                    consumer = kafka.consumer(config.consumerGroup(), "routing-fanout", Map.of(
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset(),
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords()));
                    consumer.subscribe(List.of(topic), new Rebalance());
                    Log.infof("Fan-out consumer group %s subscribed to %s", config.consumerGroup(), topic);
                }
                resumeDuePartitions();
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                lag.update(consumer);
                if (!records.isEmpty()) {
                    process(records);
                }
                resolvePositions();
            } catch (WakeupException e) {
                Log.debug("Fan-out consumer woken up");
            } catch (KafkaException e) {
                Log.warnf("Fan-out consumer failed, retrying in %d ms: %s", ERROR_PAUSE.toMillis(), e.toString());
                sleep(ERROR_PAUSE);
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Fans out each partition's records on a worker, then commits what is done and rewinds what failed. */
    private void process(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Future<FanOut.Outcome>> tasks = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
            tasks.put(partition, workers.submit(() -> fanOut.fanOut(decode(partitionRecords))));
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (Map.Entry<TopicPartition, Future<FanOut.Outcome>> task : tasks.entrySet()) {
            TopicPartition partition = task.getKey();
            List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
            FanOut.Outcome outcome = outcomeOf(task.getValue(), partition);
            if (outcome.done() > 0) {
                commits.put(partition, new OffsetAndMetadata(partitionRecords.get(outcome.done() - 1).offset() + 1));
            }
            if (outcome.failure() != null) {
                rewind(partition, partitionRecords.get(outcome.done()), outcome.failure());
            } else {
                backoffs.remove(partition);
            }
        }
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
        }
    }

    private FanOut.Outcome outcomeOf(Future<FanOut.Outcome> task, TopicPartition partition) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FanOut.Outcome(0, new IllegalStateException("interrupted while fanning out " + partition, e));
        } catch (ExecutionException e) {
            RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException(e.getCause());
            return new FanOut.Outcome(0, cause);
        }
    }

    /** Seeks back to the failed record and pauses the partition until its backoff ends. */
    private void rewind(TopicPartition partition, ConsumerRecord<String, byte[]> failed, RuntimeException failure) {
        Backoff backoff = backoffs.computeIfAbsent(partition, p -> new Backoff());
        long pause = backoff.next(config.retryInitialBackoff().toMillis(), config.retryMaxBackoff().toMillis());
        Log.warnf("Fan-out of %s offset %d (key %s, messageId=%s) failed, attempt %d; retrying in %d ms: %s", partition,
                failed.offset(), failed.key(), messageIdOf(failed), backoff.attempts, pause, failure.toString());
        consumer.seek(partition, failed.offset());
        consumer.pause(List.of(partition));
    }

    private static String messageIdOf(ConsumerRecord<String, byte[]> record) {
        try {
            return MessageRecord.parseFrom(record.value() == null ? new byte[0] : record.value()).getMessage().getMessageId();
        } catch (InvalidProtocolBufferException e) {
            return "unreadable";
        }
    }

    private void resumeDuePartitions() {
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>();
        for (TopicPartition partition : consumer.paused()) {
            Backoff backoff = backoffs.get(partition);
            if (backoff == null || backoff.resumeAt <= now) {
                due.add(partition);
            }
        }
        if (!due.isEmpty()) {
            consumer.resume(due);
        }
    }

    /**
     * Decodes the records. An unreadable record is logged and replaced by an empty record, which
     * has no recipients, so that the list still lines up with the offsets: no retry can make it
     * readable.
     */
    private List<MessageRecord> decode(List<ConsumerRecord<String, byte[]>> records) {
        List<MessageRecord> decoded = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                decoded.add(MessageRecord.parseFrom(record.value() == null ? new byte[0] : record.value()));
            } catch (InvalidProtocolBufferException e) {
                Log.errorf(e, "Skipping an unreadable record on %s partition %d offset %d", topic, record.partition(), record.offset());
                decoded.add(MessageRecord.getDefaultInstance());
            }
        }
        return decoded;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Retry state of one failed partition. */
    private static final class Backoff {

        int attempts;
        volatile long resumeAt;

        long next(long initialMillis, long maxMillis) {
            attempts++;
            long pause = Math.min(maxMillis, initialMillis << Math.min(attempts - 1, 20));
            resumeAt = System.nanoTime() + pause * 1_000_000;
            return pause;
        }
    }

    /** Keeps the assignment visible and drops the retry state of partitions this instance loses. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            partitions.forEach(backoffs::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            positionsPending = true;
            Log.infof("Fan-out assigned %s", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
