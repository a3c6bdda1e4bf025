package io.tidings.push.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.push.config.PushConfig;
import io.tidings.push.delivery.CircuitBreakers;
import io.tidings.push.delivery.EventOutcome;
import io.tidings.push.delivery.PushEventProcessor;
import io.tidings.push.metrics.PushMetrics;
import io.tidings.support.metrics.ConsumerLag;
import io.tidings.support.metrics.ConsumerLagMeters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Consumes topic tidings.push on a thread of its own, with at-least-once delivery.
 *
 * <p>Each poll's records are processed concurrently (up to tidings.push.consumer.concurrency) while
 * the consumer keeps polling with every partition paused, so the group does not evict it. Then,
 * per partition, the offset after the last record handled completely is committed. A record whose
 * notification was deferred (its provider's circuit breaker is open) or whose processing failed
 * (Redis down) is not committed: the partition is rewound to it and paused until the breaker lets
 * a trial through, then resumed. Records after it that were already handled are replayed too, and
 * the finished-device markers keep their devices from a second notification.
 *
 * <p>After each poll of the main loop the consumer thread updates the group's
 * {@code tidings.kafka.consumer.lag} gauge.
 */
@ApplicationScoped
public class PushEventConsumer {

    /** Shortest pause of a blocked partition, so a half-open breaker is not polled in a busy loop. */
    static final Duration MIN_PAUSE = Duration.ofSeconds(1);
    /** Pause after a processing failure such as Redis being unreachable. */
    static final Duration FAILURE_PAUSE = Duration.ofSeconds(5);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration KEEP_ALIVE_POLL = Duration.ofMillis(100);

    private final PushConfig.Consumer config;
    private final Map<String, Object> kafkaConfig;
    private final PushEventProcessor processor;
    private final CircuitBreakers breakers;
    private final PushMetrics metrics;
    private final ConsumerLag lag;

    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    /** Partitions paused after a deferral, with the instant to resume them. Consumer thread only. */
    private final Map<TopicPartition, Instant> blockedUntil = new HashMap<>();
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public PushEventConsumer(PushConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            PushEventProcessor processor, CircuitBreakers breakers, PushMetrics metrics, ConsumerLagMeters lagMeters) {
        this.config = config.consumer();
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.processor = processor;
        this.breakers = breakers;
        this.metrics = metrics;
        this.lag = lagMeters.register(this.config.groupId());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "tidings-push-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    /** Returns the partitions this instance owns; empty until the group has assigned some. */
    public Set<TopicPartition> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(properties())) {
            consumer = kafka;
            kafka.subscribe(List.of(config.topic()), new Rebalance(kafka));
            Log.infof("Consuming %s as group %s from %s", config.topic(), config.groupId(),
                    kafkaConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            while (running) {
                try {
                    resumeDuePartitions(kafka);
                    ConsumerRecords<String, byte[]> records = kafka.poll(POLL_TIMEOUT);
                    lag.update(kafka);
                    if (!records.isEmpty()) {
                        Log.debugf("Polled %d records of %s", records.count(), config.topic());
                        processBatch(kafka, records);
                    }
                } catch (WakeupException e) {
                    if (running) {
                        Log.warn("Kafka consumer woken up while running; continuing");
                    }
                } catch (KafkaException e) {
                    Log.errorf(e, "Kafka consumer of %s failed; retrying in %s", config.topic(), FAILURE_PAUSE);
                    sleep(FAILURE_PAUSE);
                }
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "Kafka consumer of %s stopped", config.topic());
        } finally {
            consumer = null;
            assigned.clear();
            Log.infof("Stopped consuming %s", config.topic());
        }
    }

    /** Returns every {@code kafka.*} property of the application (SASL and TLS included) with this consumer's settings on top. */
    private Properties properties() {
        Properties props = new Properties();
        props.putAll(kafkaConfig);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxPollRecords()));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tidings-push-" + ProcessHandle.current().pid());
        return props;
    }

    private void processBatch(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        // Records of one recipient run in order, so badges rise in order; recipients run in parallel.
        Map<String, List<ConsumerRecord<String, byte[]>>> byRecipient = new LinkedHashMap<>();
        records.forEach(record -> byRecipient
                .computeIfAbsent(record.key() == null ? "" : record.key(), key -> new ArrayList<>())
                .add(record));
        CompletableFuture<List<RecordResult>> done = Multi.createFrom().iterable(byRecipient.values())
                .onItem().transformToMulti(group -> Multi.createFrom().iterable(group)
                        .onItem().transformToUniAndConcatenate(this::processRecord))
                .merge(config.concurrency())
                .collect().asList()
                .subscribeAsCompletionStage();
        List<RecordResult> results = awaitWhilePolling(kafka, done);
        if (results == null) {
            return;
        }
        commitAndBlock(kafka, results);
    }

    private Uni<RecordResult> processRecord(ConsumerRecord<String, byte[]> record) {
        PushEvent event;
        try {
            event = PushEvent.parseFrom(record.value() == null ? new byte[0] : record.value());
        } catch (InvalidProtocolBufferException e) {
            Log.warnf("Skipping unreadable PushEvent at %s-%d offset %d key=%s: %s", record.topic(),
                    record.partition(), record.offset(), record.key(), e.getMessage());
            metrics.skipped("unreadable");
            return Uni.createFrom().item(new RecordResult(record, EventOutcome.DONE, false));
        }
        return processor.process(event)
                .ifNoItem().after(config.processingTimeout()).fail()
                .map(outcome -> new RecordResult(record, outcome, false))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf(failure, "Processing failed; the event stays in Kafka userId=%s messageId=%s offset=%d",
                            event.getRecipientId(), event.getEntry().getMessage().getMessageId(), record.offset());
                    return new RecordResult(record, EventOutcome.DONE, true);
                });
    }

    /** Waits for the batch while polling with all partitions paused; null when woken up to stop. */
    private List<RecordResult> awaitWhilePolling(KafkaConsumer<String, byte[]> kafka,
            CompletableFuture<List<RecordResult>> done) {
        try {
            while (true) {
                try {
                    return done.get(KEEP_ALIVE_POLL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    kafka.pause(kafka.assignment());
                    rewindUnexpected(kafka, kafka.poll(KEEP_ALIVE_POLL));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            // processRecord recovers every failure, so this is a bug; nothing is committed.
            Log.errorf(e.getCause(), "Batch of %s failed; it will be consumed again", config.topic());
            return null;
        } catch (WakeupException e) {
            return null;
        } finally {
            Set<TopicPartition> resumable = new HashSet<>(kafka.assignment());
            resumable.removeAll(blockedUntil.keySet());
            kafka.resume(resumable);
        }
    }

    /** Seeks back records that a keep-alive poll returned (from partitions assigned meanwhile). */
    private static void rewindUnexpected(KafkaConsumer<String, byte[]> kafka, ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> returned = records.records(partition);
            kafka.seek(partition, returned.get(0).offset());
        }
    }

    private void commitAndBlock(KafkaConsumer<String, byte[]> kafka, List<RecordResult> results) {
        Map<TopicPartition, List<RecordResult>> byPartition = new HashMap<>();
        for (RecordResult result : results) {
            TopicPartition partition = new TopicPartition(result.record().topic(), result.record().partition());
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(result);
        }
        Set<TopicPartition> owned = kafka.assignment();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, List<RecordResult>> entry : byPartition.entrySet()) {
            TopicPartition partition = entry.getKey();
            if (!owned.contains(partition)) {
                continue; // Revoked meanwhile: its new owner replays from the last commit.
            }
            List<RecordResult> inOrder = entry.getValue();
            inOrder.sort((a, b) -> Long.compare(a.record().offset(), b.record().offset()));
            RecordResult firstOpen = inOrder.stream().filter(r -> !r.finished()).findFirst().orElse(null);
            if (firstOpen == null) {
                offsets.put(partition, new OffsetAndMetadata(inOrder.get(inOrder.size() - 1).record().offset() + 1));
                continue;
            }
            offsets.put(partition, new OffsetAndMetadata(firstOpen.record().offset()));
            block(kafka, partition, firstOpen);
        }
        try {
            kafka.commitSync(offsets);
        } catch (KafkaException e) {
            Log.warnf("Committing offsets of %s failed (%s); the records will be replayed and their finished "
                    + "devices skipped", config.topic(), e.getMessage());
        }
    }

    private void block(KafkaConsumer<String, byte[]> kafka, TopicPartition partition, RecordResult firstOpen) {
        Instant now = Instant.now();
        Instant until = firstOpen.failed()
                ? now.plus(FAILURE_PAUSE)
                : breakers.retryAt(firstOpen.outcome().deferredProviders());
        if (until.isBefore(now.plus(MIN_PAUSE))) {
            until = now.plus(MIN_PAUSE);
        }
        kafka.seek(partition, firstOpen.record().offset());
        kafka.pause(List.of(partition));
        blockedUntil.merge(partition, until, (a, b) -> a.isAfter(b) ? a : b);
        Log.infof("Paused %s at offset %d until %s (%s)", partition, firstOpen.record().offset(), until,
                firstOpen.failed() ? "processing failed" : "circuit open for " + firstOpen.outcome().deferredProviders());
    }

    private void resumeDuePartitions(KafkaConsumer<String, byte[]> kafka) {
        if (blockedUntil.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<TopicPartition> due = new ArrayList<>();
        blockedUntil.forEach((partition, until) -> {
            if (!until.isAfter(now)) {
                due.add(partition);
            }
        });
        if (due.isEmpty()) {
            return;
        }
        due.forEach(blockedUntil::remove);
        due.retainAll(kafka.assignment());
        kafka.resume(due);
        Log.infof("Resumed %s", due);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Tracks the assignment; forces the start position of new partitions so no record slips by. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> kafka;

        Rebalance(KafkaConsumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            partitions.forEach(blockedUntil::remove);
            Log.infof("Partitions revoked: %s", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                // Resolves the committed or reset offset now; with auto.offset.reset=latest a record
                // produced after this call is consumed.
                kafka.position(partition);
            }
            assigned.addAll(partitions);
            Log.infof("Partitions assigned: %s", partitions);
        }
    }

    /** One record and what became of it. */
    record RecordResult(ConsumerRecord<String, byte[]> record, EventOutcome outcome, boolean failed) {
        boolean finished() {
            return !failed && outcome.isDone();
        }
    }
}
