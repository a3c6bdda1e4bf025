package io.tidings.connector.ws;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.connector.session.ClientSession;
import io.tidings.connector.session.DrainState;
import io.tidings.connector.session.SessionCloser;
import io.tidings.connector.session.SessionTable;
import io.tidings.connector.session.TokenBucket;
import io.vertx.core.buffer.Buffer;

/**
 * The client WebSocket endpoint at {@code /ws}. A thin adapter: it creates the session on open,
 * passes each message to {@link FrameDispatcher} and ends the session on close. Every callback
 * runs on the connection's event loop.
 */
@WebSocket(path = "/ws")
public class ClientEndpoint {

    private final SessionTable table;
    private final FrameDispatcher dispatcher;
    private final SessionCloser closer;
    private final ConnectorConfig config;
    private final DrainState drain;

    public ClientEndpoint(SessionTable table, FrameDispatcher dispatcher, SessionCloser closer, ConnectorConfig config,
            DrainState drain) {
        this.table = table;
        this.dispatcher = dispatcher;
        this.closer = closer;
        this.config = config;
        this.drain = drain;
    }

    @OnOpen
    @NonBlocking
    public void onOpen(WebSocketConnection connection) {
        if (drain.isDraining()) {
            connection.close(new CloseReason(1001, "connector shutting down")).subscribe().with(ok -> {
            }, failure -> Log.debugf("Close of %s failed: %s", connection.id(), failure));
            return;
        }
        long now = System.currentTimeMillis();
        TokenBucket bucket = new TokenBucket(config.limits().operationsPerSecond(), config.limits().operationsBurst(),
                System.nanoTime());
        table.opened(new ClientSession(connection, WireFormat.ofSubprotocol(connection.subprotocol()), now, bucket));
    }

    @OnBinaryMessage
    @NonBlocking
    public void onBinary(WebSocketConnection connection, Buffer message) {
        ClientSession session = table.byConnection(connection.id());
        if (session != null) {
            dispatcher.onBinary(session, message.getBytes());
        }
    }

    @OnTextMessage
    @NonBlocking
    public void onText(WebSocketConnection connection, String message) {
        ClientSession session = table.byConnection(connection.id());
        if (session != null) {
            dispatcher.onText(session, message);
        }
    }

    @OnClose
    @NonBlocking
    public void onClose(WebSocketConnection connection) {
        ClientSession session = table.byConnection(connection.id());
        if (session != null) {
            closer.socketClosed(session);
        }
    }

    @OnError
    @NonBlocking
    public void onError(WebSocketConnection connection, Throwable failure) {
        Log.debugf("WebSocket error on connection %s: %s", connection.id(), failure.toString());
    }
}
