package io.tidings.client;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket attempt of a {@link TidingsClient}: it owns the socket, the pending requests sent
 * on it and its heartbeat. A reconnect creates a new instance, so replies and failures of an old
 * socket never reach requests of a new one.
 */
final class WebSocketSession implements WebSocket.Listener {

    private static final Logger LOG = Logger.getLogger(WebSocketSession.class.getName());
    /** Silence longer than this many heartbeat intervals means the server or the path is gone. */
    private static final double SILENCE_LIMIT_INTERVALS = 2.5;

    private final TidingsClient client;
    private final ScheduledExecutorService scheduler;
    private final Map<Long, CompletableFuture<Frame>> pending = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private final Object sendLock = new Object();
    private volatile WebSocket socket;
    // Guarded by sendLock: java.net.http allows one outstanding send per WebSocket.
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean lost;
    private volatile boolean replaced;

    WebSocketSession(TidingsClient client, ScheduledExecutorService scheduler) {
        this.client = client;
        this.scheduler = scheduler;
    }

    void open(HttpClient http, URI url, Duration openTimeout) {
        http.newWebSocketBuilder()
                .subprotocols(TidingsClient.SUBPROTOCOL_PROTO)
                .connectTimeout(openTimeout)
                .buildAsync(url, this)
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        lost("cannot open " + url + ": " + rootMessage(failure));
                    }
                });
    }

    /** Sends a request and returns its reply, or fails with TIMEOUT or UNAVAILABLE. */
    CompletableFuture<Frame> request(Frame frame, Duration timeout) {
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        long id = frame.getRequestId();
        pending.put(id, reply);
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            if (pending.remove(id) != null) {
                reply.completeExceptionally(new TidingsClientException(ErrorCode.TIMEOUT,
                        "no reply to " + frame.getOpCase() + " request " + id + " within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        reply.whenComplete((r, f) -> timer.cancel(false));
        send(frame).whenComplete((sent, failure) -> {
            if (failure != null && pending.remove(id) != null) {
                reply.completeExceptionally(new TidingsClientException(ErrorCode.UNAVAILABLE,
                        "cannot send " + frame.getOpCase() + ": " + rootMessage(failure), failure));
            }
        });
        if (lost && pending.remove(id) != null) {
            reply.completeExceptionally(new TidingsClientException(ErrorCode.UNAVAILABLE, "connection lost"));
        }
        return reply;
    }

    CompletableFuture<?> send(Frame frame) {
        WebSocket ws = socket;
        if (ws == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("WebSocket is not open"));
        }
        ByteBuffer bytes = ByteBuffer.wrap(frame.toByteArray());
        synchronized (sendLock) {
            CompletableFuture<?> next = sendChain.thenCompose(previous -> ws.sendBinary(bytes, true));
            sendChain = next;
            return next;
        }
    }

    void startHeartbeat(Duration interval, Function<WebSocketSession, CompletableFuture<Frame>> ping) {
        long intervalMs = interval.toMillis();
        long silenceLimitNanos = TimeUnit.MILLISECONDS.toNanos((long) (intervalMs * SILENCE_LIMIT_INTERVALS));
        heartbeat = scheduler.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastReceivedNanos > silenceLimitNanos) {
                abort("no frame from the server for " + (long) (intervalMs * SILENCE_LIMIT_INTERVALS) + " ms");
                return;
            }
            ping.apply(this).exceptionally(failure -> {
                LOG.log(Level.FINE, "Ping failed", failure);
                return null;
            });
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Marks this socket as superseded by a new one, so its close does not trigger a reconnect. */
    void markReplaced() {
        replaced = true;
    }

    void closeNormally(String reason) {
        stopHeartbeat();
        WebSocket ws = socket;
        if (ws == null) {
            lost(reason);
            return;
        }
        synchronized (sendLock) {
            sendChain = sendChain.handle((r, f) -> null)
                    .thenCompose(v -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
                    .whenComplete((r, f) -> {
                        // Do not wait forever for the server's close frame.
                        scheduler.schedule(ws::abort, 5, TimeUnit.SECONDS);
                    });
        }
        failPending(reason);
    }

    /** Drops the socket at once and reports it lost. */
    void abort(String reason) {
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        lost(reason);
    }

    // -------------------------------------------------------------------------------------------
    // WebSocket.Listener

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        lastReceivedNanos = System.nanoTime();
        webSocket.request(1);
        client.onSocketOpen(this);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        partial.write(chunk, 0, chunk.length);
        if (last) {
            byte[] message = partial.toByteArray();
            partial.reset();
            onMessage(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        LOG.warning("Ignoring a text frame: this client negotiated " + TidingsClient.SUBPROTOCOL_PROTO);
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastReceivedNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastReceivedNanos = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        lost("closed by the server with code " + statusCode + (reason.isEmpty() ? "" : ": " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        lost("WebSocket failed: " + rootMessage(error));
    }

    private void onMessage(byte[] message) {
        lastReceivedNanos = System.nanoTime();
        Frame frame;
        try {
            frame = Frame.parseFrom(message);
        } catch (InvalidProtocolBufferException e) {
            LOG.log(Level.WARNING, "Ignoring an unreadable frame of " + message.length + " bytes from the server", e);
            return;
        }
        if (frame.getRequestId() != 0) {
            CompletableFuture<Frame> reply = pending.remove(frame.getRequestId());
            if (reply != null) {
                reply.complete(frame);
                return;
            }
            if (!frame.hasError()) {
                LOG.fine(() -> "Ignoring a late reply to request " + frame.getRequestId());
                return;
            }
        }
        client.onServerFrame(this, frame);
    }

    private void lost(String reason) {
        if (lost) {
            return;
        }
        lost = true;
        stopHeartbeat();
        failPending(reason);
        if (!replaced) {
            client.onSocketLost(this, reason);
        }
    }

    private void failPending(String reason) {
        for (Long id : pending.keySet()) {
            CompletableFuture<Frame> reply = pending.remove(id);
            if (reply != null) {
                reply.completeExceptionally(new TidingsClientException(ErrorCode.UNAVAILABLE,
                        "connection lost before the reply: " + reason));
            }
        }
    }

    private void stopHeartbeat() {
        ScheduledFuture<?> timer = heartbeat;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
