package io.tidings.history.it;

import static io.tidings.history.it.HistoryTestKit.message;
import static io.tidings.history.it.HistoryTestKit.peer;
import static io.tidings.history.it.HistoryTestKit.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.Message;
import io.tidings.testsupport.HBaseResource;
import io.tidings.testsupport.KafkaResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures history-svc on this machine; not a timed test, and skipped unless run with
 * {@code -Dtidings.bench=true}. Prints the numbers that docs/benchmarks.md records:
 * ingest throughput into HBase, and the latency of pages of 20 while messages are written.
 */
@QuarkusTest
@WithTestResource(HBaseResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(FakeRouting.class)
@EnabledIfSystemProperty(named = "tidings.bench", matches = "true")
class HistoryBenchmark {

    private static final int INGEST_MESSAGES = Integer.getInteger("tidings.bench.messages", 50_000);
    private static final int CONVERSATIONS = 1_000;
    private static final int READERS = Integer.getInteger("tidings.bench.readers", 4);
    private static final Duration READ_PHASE = Duration.ofSeconds(Integer.getInteger("tidings.bench.seconds", 30));
    private static final int BACKGROUND_WRITES_PER_SECOND = 1_000;

    @TestHTTPResource
    URL app;

    @Inject
    MeterRegistry registry;

    private HistoryTestKit kit;

    @BeforeEach
    void connect() {
        kit = new HistoryTestKit(app.getPort());
        kit.awaitConsuming();
    }

    @AfterEach
    void close() {
        kit.close();
    }

    private double rowsWritten() {
        return registry.counter("tidings.history.rows.written").count();
    }

    @Test
    void ingestThroughput() {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            pairs.add(new String[] {unique("u"), unique("v")});
        }
        long base = System.currentTimeMillis() - INGEST_MESSAGES;
        double before = rowsWritten();
        long start = System.nanoTime();
        List<Message> chunk = new ArrayList<>();
        for (int i = 0; i < INGEST_MESSAGES; i++) {
            String[] pair = pairs.get(i % CONVERSATIONS);
            chunk.add(message(pair[0], peer(pair[1]), base + i));
            if (chunk.size() == 1_000) {
                kit.produce(chunk);
                chunk.clear();
            }
        }
        kit.produce(chunk);
        long produced = System.nanoTime();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> rowsWritten() - before >= INGEST_MESSAGES);
        long stored = System.nanoTime();

        double produceSeconds = (produced - start) / 1e9;
        double storeSeconds = (stored - start) / 1e9;
        DistributionSummary batches = registry.get("tidings.history.hbase.batch.size").summary();
        Timer flushes = registry.get("tidings.history.hbase.write.latency").timer();
        System.out.printf("HISTORY-BENCH ingest: %d messages in %d conversations, produced in %.1f s, all in HBase after %.1f s: %.0f messages/s;"
                        + " since start-up %d flushes, mean %.0f rows and %.1f ms per flush, max %.1f ms%n",
                INGEST_MESSAGES, CONVERSATIONS, produceSeconds, storeSeconds, INGEST_MESSAGES / storeSeconds,
                batches.count(), batches.mean(), flushes.mean(TimeUnit.MILLISECONDS), flushes.max(TimeUnit.MILLISECONDS));
        assertThat(rowsWritten() - before).isGreaterThanOrEqualTo(INGEST_MESSAGES);
    }

    @Test
    void pageLatencyUnderWrites() throws Exception {
        String alice = unique("alice");
        String bob = unique("bob");
        long base = System.currentTimeMillis() - 3_600_000;
        List<Message> conversation = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            conversation.add(message(i % 2 == 0 ? alice : bob, peer(i % 2 == 0 ? bob : alice), base + i * 1_000L));
        }
        kit.produce(conversation);
        await().atMost(Duration.ofMinutes(2)).until(() -> kit.readAll(alice, peer(bob)).size() == 2_000);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong backgroundWrites = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(READERS + 1);
        Future<?> writer = threads.submit(() -> writeInBackground(running, backgroundWrites));
        Recorder recorder = new Recorder(3);
        List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(threads.submit(() -> {
                while (running.get()) {
                    long beforeTime = base + ThreadLocalRandom.current().nextLong(20_000, 2_000_000);
                    long start = System.nanoTime();
                    HistoryReply page = kit.query(alice, peer(bob), beforeTime, 20);
                    recorder.recordValue((System.nanoTime() - start) / 1_000);
                    assertThat(page.getMessagesCount()).isEqualTo(20);
                }
            }));
        }
        // The first seconds warm up the JIT and the HBase block cache and are not recorded.
        Thread.sleep(5_000);
        recorder.reset();
        long measuredFrom = System.nanoTime();
        long writesBefore = backgroundWrites.get();
        Thread.sleep(READ_PHASE.toMillis());
        Histogram latencies = recorder.getIntervalHistogram();
        double seconds = (System.nanoTime() - measuredFrom) / 1e9;
        long writes = backgroundWrites.get() - writesBefore;
        running.set(false);
        for (Future<?> reader : readers) {
            reader.get(60, TimeUnit.SECONDS);
        }
        writer.get(60, TimeUnit.SECONDS);
        threads.shutdown();

        System.out.printf("HISTORY-BENCH pages of 20: %d readers, %d pages in %.0f s (%.0f pages/s) while writing %.0f messages/s:"
                        + " p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                READERS, latencies.getTotalCount(), seconds, latencies.getTotalCount() / seconds, writes / seconds,
                latencies.getValueAtPercentile(50) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0,
                latencies.getValueAtPercentile(99.9) / 1000.0, latencies.getMaxValue() / 1000.0);
        assertThat(latencies.getTotalCount()).isPositive();
    }

    /** Produces about {@value #BACKGROUND_WRITES_PER_SECOND} messages a second over 100 conversations. */
    private void writeInBackground(AtomicBoolean running, AtomicLong written) {
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            pairs.add(new String[] {unique("w"), unique("x")});
        }
        int batch = BACKGROUND_WRITES_PER_SECOND / 10;
        while (running.get()) {
            long started = System.nanoTime();
            List<Message> messages = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                String[] pair = pairs.get(ThreadLocalRandom.current().nextInt(pairs.size()));
                messages.add(message(pair[0], peer(pair[1]), System.currentTimeMillis()));
            }
            kit.produce(messages);
            written.addAndGet(batch);
            long sleepMillis = 100 - (System.nanoTime() - started) / 1_000_000;
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
