package io.tidings.history.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.tidings.history.config.HistoryConfig;
import io.tidings.history.store.HistoryStore;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.MessageRecord;
import io.tidings.support.metrics.ConsumerLag;
import io.tidings.support.metrics.ConsumerLagMeters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Put;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The consumer group that copies every stored message of tidings.messages into HBase.
 *
 * <p>One dedicated thread polls a KafkaConsumer with manual commits. Records become Puts in a
 * {@link PendingBatch}; the batch is flushed when it contains enough rows or its first record is
 * old enough. Offsets are committed only after the flush succeeded, so a committed record is
 * always in HBase. While HBase fails, the consumer pauses its partitions (it keeps polling to stay
 * in the group), retries the same batch with backoff and resumes once the flush succeeds.
 *
 * <p>After each poll of the consume loop the ingest thread updates the group's
 * {@code tidings.kafka.consumer.lag} gauge.
 */
@ApplicationScoped
public class HistoryIngest {

    private static final Duration IDLE_POLL = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STILL_FAILING_LOG_INTERVAL = Duration.ofMinutes(1);

    private final HistoryConfig.Ingest config;
    private final HistoryStore store;
    private final HistoryWriter writer;
    private final Map<String, Object> kafkaConfig;
    private final Counter invalidRecords;
    private final ConsumerLag lag;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final PendingBatch batch = new PendingBatch();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public HistoryIngest(
            HistoryConfig config,
            HistoryStore store,
            HistoryWriter writer,
            MeterRegistry registry,
            ConsumerLagMeters lagMeters,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config.ingest();
        this.store = store;
        this.writer = writer;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.invalidRecords = Counter.builder("tidings.history.records.invalid")
                .description("Records of tidings.messages skipped because they could not be stored")
                .register(registry);
        Gauge.builder("tidings.history.consumer.paused", paused, p -> p.get() ? 1 : 0)
                .description("1 while the history consumer waits for HBase, else 0")
                .register(registry);
        this.lag = lagMeters.register(this.config.consumerGroup());
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "history-ingest");
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        stopped.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** Returns true while consumption is paused because HBase is failing or the table is missing. */
    public boolean isPaused() {
        return paused.get();
    }

    private void run() {
        Backoff restartBackoff = new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff());
        while (running) {
            try {
                ensureTable();
                consume();
            } catch (WakeupException e) {
                Log.debug("History ingest woken up for shutdown");
            } catch (RuntimeException e) {
                long delay = restartBackoff.next();
                Log.errorf(e, "History ingest failed; %d uncommitted rows will be read again,"
                        + " restarting the consumer in %d ms", batch.rows(), delay);
                batch.clear();
                closeConsumer();
                awaitStop(delay);
            }
        }
        closeConsumer();
    }

    private void ensureTable() {
        Backoff backoff = new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff());
        while (running) {
            try (Admin admin = store.connection().getAdmin()) {
                store.table().ensureExists(admin);
                paused.set(false);
                return;
            } catch (IOException e) {
                paused.set(true);
                long delay = backoff.next();
                Log.warnf("HBase table %s is not ready (%s); retrying in %d ms", store.table().name(), e, delay);
                awaitStop(delay);
            }
        }
    }

    private void consume() {
        if (!running) {
            return;
        }
        consumer = new KafkaConsumer<>(consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(config.topic()), new RebalanceListener());
        Log.infof("History ingest consuming %s as group %s from %s", config.topic(), config.consumerGroup(),
                kafkaConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout());
                lag.update(consumer);
                accept(records);
                if (isDue()) {
                    flushAndCommit();
                }
            }
        } finally {
            flushOnStop();
        }
    }

    /**
     * Returns the consumer configuration: every {@code kafka.*} property of the application (the
     * bootstrap servers, and security settings where the cluster needs them), then the settings
     * this consumer depends on.
     */
    private Map<String, Object> consumerProperties() {
        Map<String, Object> properties = new HashMap<>(kafkaConfig);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        // Messages of an aborted producer transaction were never acked, so they stay out.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatchRows());
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return properties;
    }

    private Duration pollTimeout() {
        if (batch.isEmpty()) {
            return IDLE_POLL;
        }
        long dueAt = batch.firstRecordAt() + config.flushInterval().toMillis();
        return Duration.ofMillis(Math.max(0, dueAt - System.currentTimeMillis()));
    }

    private boolean isDue() {
        if (batch.isEmpty()) {
            return false;
        }
        return batch.rows() >= config.maxBatchRows()
                || System.currentTimeMillis() - batch.firstRecordAt() >= config.flushInterval().toMillis();
    }

    private void accept(ConsumerRecords<String, byte[]> records) {
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> record : records) {
            List<Put> puts = putsOf(record);
            batch.add(new TopicPartition(record.topic(), record.partition()), record.offset(), puts, now);
            writer.buffer(puts);
        }
    }

    private List<Put> putsOf(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            invalidRecords.increment();
            Log.warnf("Skipped record %s-%d@%d (key %s) without a value", record.topic(), record.partition(),
                    record.offset(), record.key());
            return List.of();
        }
        try {
            return MessageRows.of(record.key(), MessageRecord.parseFrom(record.value()));
        } catch (InvalidProtocolBufferException | TidingsException e) {
            invalidRecords.increment();
            Log.warnf("Skipped record %s-%d@%d (key %s): %s", record.topic(), record.partition(), record.offset(),
                    record.key(), e.getMessage());
            return List.of();
        }
    }

    /** Writes the batch, retrying with backoff while HBase fails, then commits its offsets. */
    private void flushAndCommit() {
        Backoff backoff = new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff());
        long failingSince = 0;
        long lastWarnedAt = 0;
        int failures = 0;
        while (true) {
            try {
                writer.flush(batch.puts());
                break;
            } catch (IOException e) {
                long delay = backoff.next();
                long now = System.currentTimeMillis();
                failures++;
                if (paused.compareAndSet(false, true)) {
                    failingSince = now;
                    lastWarnedAt = now;
                    Log.warnf("Writing %d rows to HBase failed (%s); consumption paused, retrying every %d to %d ms",
                            batch.rows(), e, delay, config.retryMaxBackoff().toMillis());
                    consumer.pause(consumer.assignment());
                } else if (now - lastWarnedAt >= STILL_FAILING_LOG_INTERVAL.toMillis()) {
                    lastWarnedAt = now;
                    Log.warnf("Writing %d rows to HBase still fails after %d attempts in %d s (%s);"
                            + " consumption stays paused", batch.rows(), failures, (now - failingSince) / 1000, e);
                } else {
                    Log.debugf("Writing %d rows to HBase failed again (%s); retrying in %d ms",
                            (Object) batch.rows(), e, delay);
                }
                // Polling a paused consumer returns nothing but keeps this member in the group.
                accept(consumer.poll(Duration.ofMillis(delay)));
                if (!running) {
                    return;
                }
                if (batch.isEmpty()) {
                    // A rebalance took every pending partition away: consume again, and pause
                    // again if the next flush fails too.
                    resume("the pending partitions moved to another member");
                    return;
                }
            }
        }
        commit(backoff);
        resume("writing to HBase succeeded again");
    }

    private void resume(String reason) {
        if (paused.compareAndSet(true, false)) {
            consumer.resume(consumer.paused());
            Log.infof("History consumption resumed: %s", reason);
        }
    }

    private void commit(Backoff backoff) {
        while (true) {
            try {
                consumer.commitSync(batch.offsets());
                batch.clear();
                return;
            } catch (CommitFailedException | RebalanceInProgressException e) {
                // The rows are in HBase; the partitions' next owner rewrites the same rows.
                Log.infof("Offset commit rejected by a group rebalance (%s); %d stored rows will be read again",
                        e.getMessage(), batch.rows());
                batch.clear();
                return;
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                if (!running) {
                    Log.warnf("Offset commit failed during shutdown (%s); %d stored rows will be read again",
                            e.getMessage(), batch.rows());
                    batch.clear();
                    return;
                }
                long delay = backoff.next();
                Log.warnf("Offset commit failed (%s); retrying in %d ms", e.getMessage(), delay);
                awaitStop(delay);
            }
        }
    }

    private void flushOnStop() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            writer.flush(batch.puts());
            consumer.commitSync(batch.offsets(), CLOSE_TIMEOUT);
            Log.infof("Stored and committed %d rows on shutdown", batch.rows());
        } catch (IOException | KafkaException e) {
            Log.warnf("Final flush on shutdown failed (%s); %d rows will be read again by the group",
                    e.getMessage(), batch.rows());
        } finally {
            batch.clear();
        }
    }

    private void closeConsumer() {
        KafkaConsumer<String, byte[]> current = consumer;
        consumer = null;
        if (current == null) {
            return;
        }
        try {
            current.close(CLOSE_TIMEOUT);
        } catch (KafkaException e) {
            Log.warnf(e, "Closing the history consumer failed");
        }
    }

    private void awaitStop(long millis) {
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Commits before partitions move to another member, so the next owner starts after what this
     * member stored. Runs on the ingest thread, inside poll.
     */
    private final class RebalanceListener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (!batch.contains(revoked)) {
                return;
            }
            if (!paused.get()) {
                try {
                    writer.flush(batch.puts());
                    consumer.commitSync(batch.offsets());
                    batch.clear();
                    return;
                } catch (IOException | KafkaException e) {
                    Log.warnf("Flush before a rebalance failed (%s); partitions %s will be read again"
                            + " by their next owner", e.getMessage(), revoked);
                }
            }
            batch.drop(revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            batch.drop(lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (paused.get()) {
                consumer.pause(assigned);
            }
        }
    }
}
