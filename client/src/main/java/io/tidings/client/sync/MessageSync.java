package io.tidings.client.sync;

import io.tidings.client.ConnectionState;
import io.tidings.client.ReconnectBackoff;
import io.tidings.client.TidingsClient;
import io.tidings.client.TidingsClientException;
import io.tidings.client.TidingsListener;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Notify;
import io.tidings.protocol.v1.SyncReply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client side of inbox sync: turns pushed Deliver frames, Notify frames and pulls into one
 * ordered stream of inbox entries, each message once.
 *
 * <p>Rules, from the device's view with its cursor C (the newest sync time it has):
 * <ul>
 *   <li>On every CONNECTED (first connect and each reconnect) pull: Sync(C) page after page until
 *       has_more is false, then SyncAck.
 *   <li>A pushed entry with sync time at or below C is a duplicate and is dropped.
 *   <li>A pushed entry whose prev_sync_time is above C means the device missed an entry between
 *       them: pull instead of delivering it out of order (the pull returns both).
 *   <li>A Notify above C: pull.
 *   <li>Pushes that arrive while a pull runs are dropped, because the inbox already contains them. If
 *       one of them is newer than where the pull ended (it was appended after the last page was
 *       read) the loop pulls again.
 *   <li>Entries are also de-duplicated by message id over a bounded window, which covers the
 *       sender's own copy of a message and a cursor that was reset.
 *   <li>A page that fails with UNAVAILABLE, TIMEOUT, INTERNAL or RATE_LIMITED (a server restart,
 *       an overloaded server) is requested again after 0.5 s, 1 s, 2 s, 5 s and then every 10 s,
 *       while the client stays connected. Other errors, and a lost connection, end the pull: the
 *       next reconnect pulls anyway.
 * </ul>
 *
 * <p>All state changes run on one thread of this class, so callbacks reach the
 * {@link MessageListener} one at a time and in order.
 */
public final class MessageSync implements TidingsListener, AutoCloseable {

    private static final int SEEN_WINDOW = 10_000;

    /** Delays before a failed page is requested again. */
    public static final List<Duration> PULL_RETRY_STEPS = List.of(
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    private static final Set<ErrorCode> RETRIED_CODES =
            Set.of(ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.INTERNAL, ErrorCode.RATE_LIMITED);

    private final SyncTransport transport;
    private final CursorStore cursors;
    private final MessageListener listener;
    private final ReconnectBackoff retryDelays;
    private final ScheduledThreadPoolExecutor loop;

    // Fields below are touched only on the loop thread.
    private long cursor;
    private boolean connected = true;
    private int failedPages;
    private ScheduledFuture<?> retry;
    private boolean pulling;
    private boolean pullAgain;
    private long newestDroppedDuringPull;
    private CompletableFuture<Void> pullDone = CompletableFuture.completedFuture(null);
    private final Map<String, Boolean> seenMessageIds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > SEEN_WINDOW;
        }
    };

    public MessageSync(SyncTransport transport, CursorStore cursors, MessageListener listener) {
        this(transport, cursors, listener, new ReconnectBackoff(PULL_RETRY_STEPS, 0.2, new Random()));
    }

    /** Creates a sync loop that waits {@code retryDelays} before it requests a failed page again. */
    public MessageSync(SyncTransport transport, CursorStore cursors, MessageListener listener, ReconnectBackoff retryDelays) {
        this.transport = transport;
        this.cursors = cursors;
        this.listener = listener;
        this.retryDelays = retryDelays;
        this.cursor = cursors.load();
        this.loop = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tidings-message-sync");
            thread.setDaemon(true);
            return thread;
        });
        // A retry still waiting when the loop closes is dropped.
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Creates a sync loop for a client and registers it as the client's listener, so it pulls on
     * every connect. Call before {@code client.connect()}.
     */
    public static MessageSync attach(TidingsClient client, CursorStore cursors, MessageListener listener) {
        SyncTransport transport = new SyncTransport() {
            @Override
            public CompletableFuture<SyncReply> sync(long cursor) {
                return client.sync(cursor);
            }

            @Override
            public CompletableFuture<Void> syncAck(long cursor) {
                return client.syncAck(cursor);
            }
        };
        MessageSync sync = new MessageSync(transport, cursors, listener);
        client.addListener(sync);
        return sync;
    }

    /** Returns the current cursor; for tests and diagnostics. */
    public long cursor() {
        return submit(() -> cursor).join();
    }

    /**
     * Starts a pull now, or right after the running one. The future completes when the loop has
     * no pull left to run.
     */
    public CompletableFuture<Void> pull() {
        return submit(() -> {
            requestPull();
            return pullDone;
        }).thenCompose(done -> done);
    }

    /** Returns a future that completes once every queued push and pull has been handled. */
    public CompletableFuture<Void> whenIdle() {
        return submit(() -> pullDone).thenCompose(done -> done);
    }

    @Override
    public void onStateChanged(ConnectionState state, ErrorCode code, String detail) {
        post(() -> {
            connected = state == ConnectionState.CONNECTED;
            if (connected) {
                requestPull();
            } else if (retry != null) {
                // The reconnect pulls anyway, so the waiting retry ends the pull now.
                retry.cancel(false);
                retry = null;
                endPull();
            }
        });
    }

    @Override
    public void onDeliver(Deliver deliver) {
        post(() -> handleDeliver(deliver));
    }

    @Override
    public void onNotify(Notify notify) {
        post(() -> {
            if (notify.getLatestSyncTime() > cursor) {
                requestPull();
            }
        });
    }

    /**
     * Queues a client event on the loop. Events after {@link #close} are dropped: the client may
     * still report its final CLOSED state, or a frame, after the app closed the sync loop.
     */
    private void post(Runnable event) {
        try {
            loop.execute(event);
        } catch (RejectedExecutionException closed) {
            // The loop is closed, so nothing is left to update.
        }
    }

    private void handleDeliver(Deliver deliver) {
        InboxEntry entry = deliver.getEntry();
        if (entry.getSyncTime() == 0) {
            listener.onStatus(entry);
            return;
        }
        if (pulling) {
            newestDroppedDuringPull = Math.max(newestDroppedDuringPull, entry.getSyncTime());
            return;
        }
        if (entry.getSyncTime() <= cursor) {
            return;
        }
        if (deliver.getPrevSyncTime() > cursor) {
            requestPull();
            return;
        }
        accept(entry);
        advance(entry.getSyncTime());
    }

    private void requestPull() {
        if (pulling) {
            pullAgain = true;
            return;
        }
        if (pullDone.isDone()) {
            pullDone = new CompletableFuture<>();
        }
        pulling = true;
        pullAgain = false;
        newestDroppedDuringPull = 0;
        pullPage();
    }

    private void pullPage() {
        transport.sync(cursor).whenCompleteAsync((reply, failure) -> {
            if (failure != null) {
                pageFailed(failure);
                return;
            }
            failedPages = 0;
            for (InboxEntry entry : reply.getEntriesList()) {
                if (entry.getSyncTime() > cursor) {
                    accept(entry);
                }
            }
            advance(Math.max(cursor, reply.getNextCursor()));
            if (reply.getHasMore()) {
                pullPage();
                return;
            }
            finishPull();
        }, loop);
    }

    /** Requests the page again after a delay while connected and the error is one a retry can fix, else ends the pull. */
    private void pageFailed(Throwable failure) {
        listener.onSyncFailed(failure);
        if (!connected || !retried(failure) || loop.isShutdown()) {
            endPull();
            return;
        }
        Duration delay = retryDelays.delay(failedPages++);
        retry = loop.schedule(() -> {
            retry = null;
            if (connected) {
                pullPage();
            } else {
                endPull();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static boolean retried(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof TidingsClientException && RETRIED_CODES.contains(((TidingsClientException) cause).code());
    }

    /** Ends a pull that failed; the entries already handed over keep their cursor. */
    private void endPull() {
        pulling = false;
        failedPages = 0;
        pullDone.complete(null);
    }

    private void finishPull() {
        pulling = false;
        // A lost ack costs nothing: the next Sync carries the same cursor and implies it.
        transport.syncAck(cursor).exceptionally(failure -> null);
        if (pullAgain || newestDroppedDuringPull > cursor) {
            requestPull();
            return;
        }
        pullDone.complete(null);
    }

    private void accept(InboxEntry entry) {
        String messageId = entry.getMessage().getMessageId();
        if (seenMessageIds.put(messageId, Boolean.TRUE) != null) {
            return;
        }
        listener.onMessage(entry);
    }

    private void advance(long syncTime) {
        if (syncTime > cursor) {
            cursor = syncTime;
            cursors.save(syncTime);
        }
    }

    private <T> CompletableFuture<T> submit(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void close() {
        loop.shutdown();
        try {
            loop.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
