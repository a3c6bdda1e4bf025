package io.tidings.history.store;

import io.quarkus.logging.Log;
import io.tidings.history.config.HBaseConfig;
import io.tidings.history.config.HistoryConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;

/**
 * Checks that HBase responds and the history table exists, for readiness. The check runs on its
 * own connection with short timeouts and on its own thread, so a hung cluster cannot block the
 * caller past the deadline. A result is reused for a short while so frequent health calls cost
 * one check.
 */
@ApplicationScoped
public class HBaseProbe {

    private final Connection connection;
    private final HistoryTable table;
    private final Duration timeout;
    private final Duration cacheFor;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hbase-probe");
        thread.setDaemon(true);
        return thread;
    });

    private Future<String> running;
    private String lastProblem;
    private long lastCheckedAt;

    public HBaseProbe(HBaseConfig hbase, HistoryConfig history, HistoryStore store) {
        this.timeout = history.readiness().timeout();
        this.cacheFor = history.readiness().cacheFor();
        this.table = store.table();
        this.connection = HBaseConnections.open(hbase, timeout, timeout, 1);
    }

    /** Returns null when HBase responded and the table exists, else what is wrong. */
    public synchronized String problem() {
        long now = System.nanoTime();
        if (lastCheckedAt != 0 && now - lastCheckedAt < cacheFor.toNanos()) {
            return lastProblem;
        }
        // A check that outlived its deadline keeps running; wait for it instead of piling up more.
        if (running == null || running.isDone()) {
            running = executor.submit(this::check);
        }
        String problem;
        try {
            problem = running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            problem = "HBase did not answer within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            problem = "HBase check failed: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "HBase check interrupted";
        }
        lastProblem = problem;
        lastCheckedAt = System.nanoTime();
        return problem;
    }

    private String check() {
        try (Admin admin = connection.getAdmin()) {
            return admin.tableExists(table.name()) ? null : "HBase table " + table.name() + " does not exist yet";
        } catch (IOException e) {
            return "HBase unreachable: " + e.getMessage();
        }
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
        try {
            connection.close();
        } catch (IOException e) {
            Log.warnf(e, "Closing the HBase probe connection failed");
        }
    }
}
