package io.tidings.offline.bench;

import io.tidings.offline.InboxFixtures;
import io.tidings.offline.InboxFixtures.Inbox;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Load tool for the inbox logic classes against a real Redis, outside Quarkus and outside the
 * test run (its name does not end in Test). It measures Append throughput in batches, the latency
 * of single appends, and Sync latency for full pages of 200. See docs/benchmarks.md, "Inbox".
 *
 * <p>Options, each {@code --name=value}: {@code redis} (connection string, default
 * redis://127.0.0.1:16379), {@code appends} (total appends of the throughput phase, 200000),
 * {@code batch} (appends per Append request, 100), {@code users} (distinct users, 1000),
 * {@code threads} (requests in flight, 8), {@code singles} (single appends timed one by one,
 * 5000), {@code syncs} (Sync calls timed one by one, 5000).
 */
public final class InboxLoadTool {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private InboxLoadTool() {
    }

    public static void main(String[] args) {
        int exitCode = 0;
        try {
            run(parse(args));
        } catch (Exception e) {
            e.printStackTrace();
            exitCode = 1;
        }
        // Mutiny's timer threads are not daemon threads and would keep the JVM alive.
        System.exit(exitCode);
    }

    private static void run(Map<String, String> options) throws Exception {
        String redisUri = options.getOrDefault("redis", "redis://127.0.0.1:16379");
        int appends = Integer.parseInt(options.getOrDefault("appends", "200000"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "100"));
        int users = Integer.parseInt(options.getOrDefault("users", "1000"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "8"));
        int singles = Integer.parseInt(options.getOrDefault("singles", "5000"));
        int syncs = Integer.parseInt(options.getOrDefault("syncs", "5000"));

        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(redisUri)
                .setMaxPoolSize(16)
                .setMaxPoolWaiting(4096));
        try {
            Inbox inbox = Inbox.create(redis, InboxSettings.of(7, 1000, TIMEOUT), Clock.systemUTC());
            String run = InboxFixtures.uniqueId("bench");
            System.out.printf("Redis %s, run %s%n", redisUri, run);

            // One call on this thread first: Mutiny's context propagation set-up is not safe
            // when several threads make the first call at the same time.
            singleAppends(inbox, run + "-first", 1);
            // Warm-up: loads the scripts into Redis and the JIT.
            batchedAppends(inbox, run + "-warm", 20_000, batch, users, threads);

            batchedAppends(inbox, run, appends, batch, users, threads);
            singleAppends(inbox, run, singles);
            syncs(inbox, run, syncs);
        } finally {
            redis.close();
            vertx.closeAndAwait();
        }
    }

    /** Sends {@code total} appends as Append requests of {@code batch} entries, each for a different user, from {@code threads} threads. */
    private static void batchedAppends(Inbox inbox, String run, int total, int batch, int users, int threads) throws Exception {
        Histogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong sent = new AtomicLong();
        int requests = total / batch;
        AtomicLong nextRequest = new AtomicLong();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                long request;
                while ((request = nextRequest.getAndIncrement()) < requests) {
                    List<InboxAppend> appends = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        long n = request * batch + i;
                        String userId = run + "-u" + (n % users);
                        appends.add(InboxFixtures.append(userId, run + "-m" + n,
                                InboxFixtures.group(run + "-g" + (request % 50)), "sender"));
                    }

                    long before = System.nanoTime();
                    inbox.appender().append(appends).await().atMost(TIMEOUT);
                    latency.recordValue(System.nanoTime() - before);
                    sent.addAndGet(batch);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();

        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Append, %d entries in requests of %d over %d users, %d threads: %.0f entries/s (%.1f s); "
                        + "request latency ms p50 %.2f p99 %.2f max %.2f%n",
                sent.get(), batch, users, threads, sent.get() / seconds, seconds,
                millis(latency, 50), millis(latency, 99), latency.getMaxValue() / 1e6);
    }

    /** Times single-entry Append requests one after another, for one user. */
    private static void singleAppends(Inbox inbox, String run, int count) {
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        String userId = run + "-single";
        for (int i = 0; i < count; i++) {
            InboxAppend append = InboxFixtures.append(userId, run + "-s" + i, InboxFixtures.privateWith("peer"), "peer");
            long before = System.nanoTime();
            inbox.appender().append(List.of(append)).await().atMost(TIMEOUT);
            latency.recordValue(System.nanoTime() - before);
        }
        System.out.printf("Append, 1 entry per request, sequential, %d requests: latency ms p50 %.2f p99 %.2f max %.2f%n",
                count, millis(latency, 50), millis(latency, 99), latency.getMaxValue() / 1e6);
    }

    /** Times Sync of a full page of 200 from cursor 0 over an inbox of 1,000 entries, one call after another. */
    private static void syncs(Inbox inbox, String run, int count) {
        String userId = run + "-reader";
        InboxFixtures.appendAll(inbox.appender(), InboxFixtures.groupAppends(userId, run + "-g", run + "-r", 1000), 200);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        SyncRequest request = SyncRequest.newBuilder().setCursor(0).build();
        int pageBytes = 0;
        for (int i = 0; i < count; i++) {
            long before = System.nanoTime();
            SyncReply page = inbox.sync().sync(userId, "bench-device", request).await().atMost(TIMEOUT);
            latency.recordValue(System.nanoTime() - before);
            if (page.getEntriesCount() != 200) {
                throw new IllegalStateException("Sync returned " + page.getEntriesCount() + " entries, expected 200");
            }
            pageBytes = page.getSerializedSize();
        }
        System.out.printf("Sync, page of 200 entries (%d bytes), sequential, %d requests: latency ms p50 %.2f p99 %.2f max %.2f%n",
                pageBytes, count, millis(latency, 50), millis(latency, 99), latency.getMaxValue() / 1e6);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Invalid option '" + arg + "': use --name=value");
            }
            int equals = arg.indexOf('=');
            options.put(arg.substring(2, equals), arg.substring(equals + 1));
        }
        return options;
    }
}
