package io.tidings.client;

import io.tidings.protocol.v1.ConnectReply;
import io.tidings.protocol.v1.ConnectRequest;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.ErrorReply;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.protocol.v1.HistoryRequest;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.LogoutRequest;
import io.tidings.protocol.v1.MarkReadRequest;
import io.tidings.protocol.v1.Ping;
import io.tidings.protocol.v1.Platform;
import io.tidings.protocol.v1.RegisterPushTokenRequest;
import io.tidings.protocol.v1.SendAck;
import io.tidings.protocol.v1.SendRequest;
import io.tidings.protocol.v1.SetPushSettingsRequest;
import io.tidings.protocol.v1.SyncAck;
import io.tidings.protocol.v1.SyncReply;
import io.tidings.protocol.v1.SyncRequest;
import io.tidings.protocol.v1.UnregisterPushTokenRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Tidings client session over one WebSocket to connector-svc, with automatic reconnect,
 * heartbeat and request/response correlation.
 *
 * <p>Create one per device with {@link #builder(URI)}, register a {@link TidingsListener} and call
 * {@link #connect()}. Typed calls such as {@link #send(SendRequest)} return futures that fail with
 * a {@link TidingsClientException} carrying the server's {@link ErrorCode}. After a lost
 * connection the client reconnects with {@link ReconnectBackoff}; after Kicked or a token error
 * it stops and reports the state, because a retry with the same token cannot succeed.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class TidingsClient implements AutoCloseable {

    /** The protocol version this SDK speaks. */
    public static final int PROTOCOL_VERSION = 1;
    /** WebSocket subprotocol for binary protobuf frames. */
    public static final String SUBPROTOCOL_PROTO = "tidings.v1.proto";
    public static final String SDK_VERSION = "java/0.1.0";

    /** Default of {@link Builder#maxFrameBytes}: connector-svc's default frame limit, 256 KiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 262_144;

    private static final Logger LOG = Logger.getLogger(TidingsClient.class.getName());
    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

    private final URI url;
    private final String deviceId;
    private final Platform platform;
    private final String sdkVersion;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final Duration requestTimeout;
    private final int maxFrameBytes;
    private final Duration openTimeout;
    private final ReconnectBackoff backoff;
    private final boolean autoReconnect;
    private final List<TidingsListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong nextRequestId = new AtomicLong();

    private final Object lock = new Object();
    private volatile String token;
    // Guarded by lock.
    private ConnectionState state = ConnectionState.IDLE;
    private WebSocketSession current;
    private int attempt;
    private CompletableFuture<ConnectReply> firstConnect = new CompletableFuture<>();
    private ConnectReply connectReply;
    private ScheduledFuture<?> reconnectTask;

    private TidingsClient(Builder b) {
        this.url = Objects.requireNonNull(b.url, "url");
        this.token = Objects.requireNonNull(b.token, "token");
        this.deviceId = Objects.requireNonNull(b.deviceId, "deviceId");
        this.platform = Objects.requireNonNull(b.platform, "platform");
        this.sdkVersion = b.sdkVersion;
        this.http = b.httpClient != null ? b.httpClient : Defaults.HTTP_CLIENT;
        this.scheduler = b.scheduler != null ? b.scheduler : Defaults.SCHEDULER;
        this.requestTimeout = b.requestTimeout;
        this.maxFrameBytes = b.maxFrameBytes;
        this.openTimeout = b.openTimeout;
        this.backoff = b.backoff;
        this.autoReconnect = b.autoReconnect;
        this.listeners.addAll(b.listeners);
    }

    public static Builder builder(URI url) {
        return new Builder(url);
    }

    public void addListener(TidingsListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(TidingsListener listener) {
        listeners.remove(listener);
    }

    public ConnectionState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** Returns the reply of the latest successful Connect, or null before the first one. */
    public ConnectReply connectReply() {
        synchronized (lock) {
            return connectReply;
        }
    }

    /** Replaces the token used by the next Connect, for example after TOKEN_EXPIRED. */
    public void updateToken(String newToken) {
        this.token = Objects.requireNonNull(newToken, "token");
    }

    /**
     * Opens the session. The future completes with the first ConnectReply; while the server is
     * unreachable the client keeps retrying with backoff and the future stays pending. It fails
     * with a {@link TidingsClientException} when the server rejects the Connect for good (token
     * error, unsupported version) or the app closes the client first. Calling it while a
     * connection is open or being opened returns the same future.
     */
    public CompletableFuture<ConnectReply> connect() {
        boolean start = false;
        CompletableFuture<ConnectReply> result;
        synchronized (lock) {
            if (state == ConnectionState.IDLE || state.isTerminal()) {
                if (firstConnect.isDone()) {
                    firstConnect = new CompletableFuture<>();
                }
                attempt = 0;
                start = true;
            }
            result = firstConnect;
        }
        if (start) {
            changeState(ConnectionState.CONNECTING, null, "connecting to " + url);
            openSocket();
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------
    // Typed operations.

    /** Sends a message; completes after the server committed it. */
    public CompletableFuture<SendAck> send(SendRequest request) {
        return call(Frame.newBuilder().setSend(request), Frame.OpCase.SEND_ACK).thenApply(Frame::getSendAck);
    }

    /** Returns inbox entries with a sync time above {@code cursor}, oldest first. */
    public CompletableFuture<SyncReply> sync(long cursor) {
        return sync(SyncRequest.newBuilder().setCursor(cursor).build());
    }

    public CompletableFuture<SyncReply> sync(SyncRequest request) {
        return call(Frame.newBuilder().setSync(request), Frame.OpCase.SYNC_REPLY).thenApply(Frame::getSyncReply);
    }

    /** Records that this device has every inbox entry up to {@code cursor}. */
    public CompletableFuture<Void> syncAck(long cursor) {
        return callOk(Frame.newBuilder().setSyncAck(SyncAck.newBuilder().setCursor(cursor)));
    }

    public CompletableFuture<HistoryReply> history(HistoryRequest request) {
        return call(Frame.newBuilder().setHistory(request), Frame.OpCase.HISTORY_REPLY)
                .thenApply(Frame::getHistoryReply);
    }

    /** Clears the unread count of one conversation. */
    public CompletableFuture<Void> markRead(Conversation conversation) {
        return callOk(Frame.newBuilder().setMarkRead(MarkReadRequest.newBuilder().setConversation(conversation)));
    }

    public CompletableFuture<Void> registerPushToken(RegisterPushTokenRequest request) {
        return callOk(Frame.newBuilder().setRegisterPushToken(request));
    }

    public CompletableFuture<Void> unregisterPushToken() {
        return callOk(Frame.newBuilder().setUnregisterPushToken(UnregisterPushTokenRequest.getDefaultInstance()));
    }

    public CompletableFuture<Void> setPushSettings(SetPushSettingsRequest request) {
        return callOk(Frame.newBuilder().setSetPushSettings(request));
    }

    /**
     * Ends the session on the server and removes this device's push token. The client moves to
     * CLOSED and does not reconnect.
     */
    public CompletableFuture<Void> logout() {
        return callOk(Frame.newBuilder().setLogout(LogoutRequest.getDefaultInstance()))
                .whenComplete((ok, failure) -> enterTerminal(ConnectionState.CLOSED, null, "logged out"));
    }

    /**
     * Sends any request frame and returns the reply frame, which may be an ErrorReply. The
     * request_id is assigned here. Prefer the typed methods.
     */
    public CompletableFuture<Frame> request(Frame.Builder frame) {
        WebSocketSession session;
        synchronized (lock) {
            session = state == ConnectionState.CONNECTED ? current : null;
        }
        if (session == null) {
            return CompletableFuture.failedFuture(new TidingsClientException(ErrorCode.NOT_CONNECTED,
                    "the client is " + state() + ", not CONNECTED: wait for CONNECTED before sending requests"));
        }
        Frame request = frame.setRequestId(nextRequestId.incrementAndGet()).build();
        int size = request.getSerializedSize();
        if (size > maxFrameBytes) {
            // The connector would reply FRAME_TOO_LARGE and close the connection, so fail only this request.
            return CompletableFuture.failedFuture(new TidingsClientException(ErrorCode.FRAME_TOO_LARGE, request.getOpCase()
                    + " frame of " + size + " bytes exceeds the limit of " + maxFrameBytes + " bytes; send less content"));
        }
        return session.request(request, requestTimeout);
    }

    /** Closes the WebSocket normally and stops reconnecting. */
    @Override
    public void close() {
        enterTerminal(ConnectionState.CLOSED, null, "closed by the app");
    }

    // ---------------------------------------------------------------------------------------
    // Connection life cycle. Everything below runs on the WebSocket receive thread or the
    // scheduler, and uses lock for the shared fields.

    private CompletableFuture<Void> callOk(Frame.Builder frame) {
        return call(frame, Frame.OpCase.OK).thenApply(ok -> null);
    }

    private CompletableFuture<Frame> call(Frame.Builder frame, Frame.OpCase expected) {
        return request(frame).thenApply(reply -> {
            if (reply.hasError()) {
                throw new TidingsClientException(reply.getError().getCode(), reply.getError().getMessage());
            }
            if (reply.getOpCase() != expected) {
                throw new TidingsClientException(ErrorCode.INTERNAL,
                        "expected a " + expected + " reply but got " + reply.getOpCase());
            }
            return reply;
        });
    }

    private void openSocket() {
        WebSocketSession session;
        synchronized (lock) {
            if (state.isTerminal()) {
                return;
            }
            session = new WebSocketSession(this, scheduler);
            current = session;
        }
        session.open(http, url, openTimeout);
    }

    /** Called by the session once its WebSocket is open. */
    void onSocketOpen(WebSocketSession session) {
        ConnectRequest connect = ConnectRequest.newBuilder()
                .setToken(token)
                .setDeviceId(deviceId)
                .setPlatform(platform)
                .setSdkVersion(sdkVersion)
                .setProtocolVersion(PROTOCOL_VERSION)
                .build();
        Frame frame = Frame.newBuilder().setRequestId(nextRequestId.incrementAndGet()).setConnect(connect).build();
        session.request(frame, requestTimeout).whenComplete((reply, failure) -> {
            if (failure != null) {
                session.abort("Connect failed: " + failure.getMessage());
            } else if (reply.hasConnected()) {
                onConnected(session, reply.getConnected());
            } else if (reply.hasError()) {
                onConnectRejected(session, reply.getError());
            } else {
                session.abort("unexpected reply to Connect: " + reply.getOpCase());
            }
        });
    }

    private void onConnected(WebSocketSession session, ConnectReply reply) {
        CompletableFuture<ConnectReply> toComplete;
        synchronized (lock) {
            if (session != current || state.isTerminal()) {
                return;
            }
            attempt = 0;
            connectReply = reply;
            toComplete = firstConnect;
        }
        long interval = reply.getHeartbeatIntervalMs() > 0 ? reply.getHeartbeatIntervalMs() : DEFAULT_HEARTBEAT.toMillis();
        session.startHeartbeat(Duration.ofMillis(interval), this::ping);
        changeState(ConnectionState.CONNECTED, null, "connected as user " + reply.getUserId()
                + ", session " + reply.getSessionId());
        toComplete.complete(reply);
    }

    private void onConnectRejected(WebSocketSession session, ErrorReply error) {
        ErrorCode code = error.getCode();
        switch (code) {
            case TOKEN_EXPIRED:
                enterTerminal(ConnectionState.TOKEN_EXPIRED, code, error.getMessage());
                break;
            case TOKEN_INVALID:
            case TOKEN_REVOKED:
                enterTerminal(ConnectionState.TOKEN_ERROR, code, error.getMessage());
                break;
            case UNAVAILABLE:
            case TIMEOUT:
            case INTERNAL:
                session.abort("Connect failed with " + code + ": " + error.getMessage());
                break;
            default:
                // UNSUPPORTED_VERSION, INVALID_ARGUMENT, TOO_MANY_CONNECTIONS: the same Connect
                // would fail again, so the app has to act.
                enterTerminal(ConnectionState.CLOSED, code, error.getMessage());
        }
    }

    private CompletableFuture<Frame> ping(WebSocketSession session) {
        return session.request(Frame.newBuilder().setRequestId(nextRequestId.incrementAndGet())
                .setPing(Ping.getDefaultInstance()).build(), requestTimeout);
    }

    /** Handles a frame with request_id 0 that the server sent on its own. */
    void onServerFrame(WebSocketSession session, Frame frame) {
        synchronized (lock) {
            if (session != current) {
                return;
            }
        }
        switch (frame.getOpCase()) {
            case DELIVER:
                listeners.forEach(l -> l.onDeliver(frame.getDeliver()));
                break;
            case NOTIFY:
                listeners.forEach(l -> l.onNotify(frame.getNotify()));
                break;
            case KICKED:
                Kicked kicked = frame.getKicked();
                listeners.forEach(l -> l.onKicked(kicked));
                enterTerminal(ConnectionState.KICKED, kicked.getReason() == Kicked.Reason.TOKEN_REVOKED
                        ? ErrorCode.TOKEN_REVOKED : null, "kicked: " + kicked.getReason()
                        + (kicked.getByDeviceId().isEmpty() ? "" : " by device " + kicked.getByDeviceId()
                        + " (" + kicked.getByPlatform() + ")"));
                break;
            case RECONNECT:
                reconnectNow(session, Duration.ofMillis(Math.max(0, frame.getReconnect().getAfterMs())));
                break;
            case ERROR:
                onUnsolicitedError(frame.getError());
                break;
            default:
                LOG.fine(() -> "Ignoring server frame " + frame.getOpCase());
        }
        listeners.forEach(l -> l.onFrame(frame));
    }

    private void onUnsolicitedError(ErrorReply error) {
        switch (error.getCode()) {
            case TOKEN_EXPIRED:
                enterTerminal(ConnectionState.TOKEN_EXPIRED, error.getCode(), error.getMessage());
                break;
            case TOKEN_INVALID:
            case TOKEN_REVOKED:
                enterTerminal(ConnectionState.TOKEN_ERROR, error.getCode(), error.getMessage());
                break;
            default:
                LOG.warning(() -> "Server reported " + error.getCode() + ": " + error.getMessage());
        }
    }

    private void reconnectNow(WebSocketSession session, Duration after) {
        synchronized (lock) {
            if (session != current || state.isTerminal()) {
                return;
            }
            session.markReplaced();
            attempt = 0;
            scheduleReconnect(after);
        }
        session.closeNormally("reconnecting on server request");
        changeState(ConnectionState.RECONNECTING, ErrorCode.UNAVAILABLE, "the server asked to reconnect");
    }

    /** Called once per session when its socket closed, failed or was aborted. */
    void onSocketLost(WebSocketSession session, String reason) {
        ConnectionState next;
        synchronized (lock) {
            if (session != current || state.isTerminal()) {
                return;
            }
            if (!autoReconnect) {
                next = ConnectionState.CLOSED;
            } else {
                next = ConnectionState.RECONNECTING;
                scheduleReconnect(backoff.delay(attempt++));
            }
        }
        if (next == ConnectionState.CLOSED) {
            enterTerminal(ConnectionState.CLOSED, ErrorCode.UNAVAILABLE, reason);
        } else {
            changeState(next, ErrorCode.UNAVAILABLE, reason);
        }
    }

    // Caller holds lock.
    private void scheduleReconnect(Duration delay) {
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
        }
        reconnectTask = scheduler.schedule(this::openSocket, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void enterTerminal(ConnectionState terminal, ErrorCode code, String detail) {
        WebSocketSession session;
        CompletableFuture<ConnectReply> toFail;
        synchronized (lock) {
            if (state.isTerminal()) {
                return;
            }
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
                reconnectTask = null;
            }
            session = current;
            current = null;
            toFail = firstConnect;
        }
        if (session != null) {
            session.closeNormally(detail);
        }
        changeState(terminal, code, detail);
        toFail.completeExceptionally(new TidingsClientException(
                code != null ? code : ErrorCode.UNAVAILABLE, "connection ended in state " + terminal + ": " + detail));
    }

    private void changeState(ConnectionState next, ErrorCode code, String detail) {
        synchronized (lock) {
            if (state == next || (state.isTerminal() && !next.isTerminal() && next != ConnectionState.CONNECTING)) {
                return;
            }
            state = next;
        }
        LOG.fine(() -> "Tidings client " + deviceId + " is " + next + ": " + detail);
        for (TidingsListener listener : listeners) {
            try {
                listener.onStateChanged(next, code, detail);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Listener failed on state " + next, e);
            }
        }
    }

    /** Shared defaults, created on first use. */
    private static final class Defaults {
        static final HttpClient HTTP_CLIENT = HttpClient.newHttpClient();
        static final ScheduledExecutorService SCHEDULER = newScheduler();

        private static ScheduledExecutorService newScheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "tidings-client-timer");
                t.setDaemon(true);
                return t;
            });
            // Every request schedules a timeout that is cancelled when the reply arrives: drop
            // cancelled tasks at once instead of keeping them queued until their deadline.
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }

    /** Settings of a {@link TidingsClient}; url, token, device id and platform are required. */
    public static final class Builder {
        private final URI url;
        private String token;
        private String deviceId;
        private Platform platform;
        private String sdkVersion = SDK_VERSION;
        private HttpClient httpClient;
        private ScheduledExecutorService scheduler;
        private Duration requestTimeout = Duration.ofSeconds(15);
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private Duration openTimeout = Duration.ofSeconds(10);
        private ReconnectBackoff backoff = ReconnectBackoff.standard();
        private boolean autoReconnect = true;
        private final List<TidingsListener> listeners = new CopyOnWriteArrayList<>();

        private Builder(URI url) {
            this.url = url;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder platform(Platform platform) {
            this.platform = platform;
            return this;
        }

        public Builder sdkVersion(String sdkVersion) {
            this.sdkVersion = sdkVersion;
            return this;
        }

        /** Shares one HttpClient (and its selector thread) between many clients. */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /** Runs heartbeats, request timeouts and reconnect delays; defaults to one shared thread. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** Time a request waits for its reply before failing with TIMEOUT; default 15 s. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Largest request frame the client sends, in bytes; default {@value #DEFAULT_MAX_FRAME_BYTES},
         * connector-svc's default tidings.connector.limits.max-frame-bytes. A larger request fails
         * at once with FRAME_TOO_LARGE and the connection stays open.
         */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes <= 0) {
                throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " is not positive");
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Time the WebSocket handshake may take; default 10 s. */
        public Builder openTimeout(Duration openTimeout) {
            this.openTimeout = openTimeout;
            return this;
        }

        public Builder backoff(ReconnectBackoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** Sets whether a lost connection is reopened; default true. */
        public Builder autoReconnect(boolean autoReconnect) {
            this.autoReconnect = autoReconnect;
            return this;
        }

        public Builder listener(TidingsListener listener) {
            this.listeners.add(listener);
            return this;
        }

        public TidingsClient build() {
            return new TidingsClient(this);
        }
    }
}
