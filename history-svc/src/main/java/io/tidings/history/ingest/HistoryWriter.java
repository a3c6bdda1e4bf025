package io.tidings.history.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.tidings.history.store.HistoryStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.client.BufferedMutator;
import org.apache.hadoop.hbase.client.BufferedMutatorParams;
import org.apache.hadoop.hbase.client.Put;

/**
 * Writes history rows through a {@link BufferedMutator}: Puts are handed over as records arrive
 * (the mutator sends them once its buffer fills) and {@link #flush} waits until all are stored.
 * A failed mutator drops the Puts it could not write, so after any failure the next flush opens
 * a new mutator and writes the whole pending batch again. Rewriting a row is harmless because
 * row key, timestamp and value are derived from the message. Used by the ingest thread only.
 */
@ApplicationScoped
public class HistoryWriter {

    private static final long WRITE_BUFFER_BYTES = 4L * 1024 * 1024;

    private final HistoryStore store;
    private final Counter rowsWritten;
    private final Counter flushFailures;
    private final Timer writeLatency;
    private final DistributionSummary batchSize;

    private BufferedMutator mutator;
    private boolean failed;

    public HistoryWriter(HistoryStore store, MeterRegistry registry) {
        this.store = store;
        this.rowsWritten = Counter.builder("tidings.history.rows.written")
                .description("Rows written to the HBase history table, counted once per successful flush")
                .register(registry);
        this.flushFailures = Counter.builder("tidings.history.flush.failures")
                .description("Flushes of a batch to HBase that failed and will be retried")
                .register(registry);
        this.writeLatency = Timer.builder("tidings.history.hbase.write.latency")
                .description("Time to write one batch to HBase and wait for it")
                .publishPercentileHistogram()
                .register(registry);
        this.batchSize = DistributionSummary.builder("tidings.history.hbase.batch.size")
                .description("Rows per batch flushed to HBase")
                .baseUnit("rows")
                .register(registry);
    }

    /**
     * Hands Puts to the mutator, which may start writing them. A failure here is not thrown:
     * the next {@link #flush} writes the whole batch again and reports it.
     */
    void buffer(List<Put> puts) {
        if (failed || puts.isEmpty()) {
            return;
        }
        try {
            mutator().mutate(puts);
        } catch (IOException | RuntimeException e) {
            failed = true;
            Log.debugf(e, "Buffering %d rows for HBase failed; the next flush writes the batch again", puts.size());
        }
    }

    /**
     * Stores every Put of the pending batch and waits for the region servers.
     *
     * @param batch all Puts since the last successful flush, including those already buffered
     * @throws IOException when HBase did not store every row; the caller retries the same batch
     */
    void flush(List<Put> batch) throws IOException {
        long start = System.nanoTime();
        try {
            if (failed) {
                discardMutator();
                mutator().mutate(batch);
            }
            mutator().flush();
            failed = false;
        } catch (IOException | RuntimeException e) {
            failed = true;
            flushFailures.increment();
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
        writeLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSize.record(batch.size());
        rowsWritten.increment(batch.size());
    }

    private BufferedMutator mutator() throws IOException {
        if (mutator == null) {
            BufferedMutatorParams params = new BufferedMutatorParams(store.table().name())
                    .writeBufferSize(WRITE_BUFFER_BYTES)
                    // Flushes are timed by the ingest loop, so that offsets follow them.
                    .setWriteBufferPeriodicFlushTimeoutMs(0);
            mutator = store.connection().getBufferedMutator(params);
        }
        return mutator;
    }

    private void discardMutator() {
        if (mutator == null) {
            return;
        }
        try {
            mutator.close();
        } catch (IOException | RuntimeException e) {
            // Closing flushes what is left, which fails the same way; the batch is rewritten anyway.
            Log.debugf(e, "Closing the failed HBase mutator failed");
        }
        mutator = null;
    }

    @PreDestroy
    void close() {
        discardMutator();
    }
}
