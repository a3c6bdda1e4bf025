package io.tidings.connector.ws;

import com.google.protobuf.InvalidProtocolBufferException;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.config.ConnectorConfig;
import io.tidings.connector.metrics.ConnectorMetrics;
import io.tidings.connector.ops.ClientOperations;
import io.tidings.connector.session.ClientSession;
import io.tidings.connector.session.DrainState;
import io.tidings.connector.session.LoginService;
import io.tidings.connector.session.SessionCloser;
import io.tidings.connector.session.SessionWriter;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Pong;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.EnumMap;
import java.util.Map;

/**
 * Handles each frame a client sends: size and syntax checks, the session state rules, the rate
 * limit, then Connect and Ping here and every other operation in its {@link ClientOperations}
 * family. Runs on the connection's event loop, so it must not block: backend calls return Unis and
 * replies are written when they complete.
 */
@ApplicationScoped
public class FrameDispatcher {

    static final CloseReason TOO_BIG = new CloseReason(1009, "frame too large");

    private final Map<Frame.OpCase, ClientOperations> operations = new EnumMap<>(Frame.OpCase.class);
    private final LoginService login;
    private final SessionWriter writer;
    private final SessionCloser closer;
    private final ConnectorConfig config;
    private final ConnectorMetrics metrics;
    private final DrainState drain;

    public FrameDispatcher(Instance<ClientOperations> families, LoginService login, SessionWriter writer,
            SessionCloser closer, ConnectorConfig config, ConnectorMetrics metrics, DrainState drain) {
        for (ClientOperations family : families) {
            for (Frame.OpCase op : family.operations()) {
                ClientOperations previous = operations.put(op, family);
                if (previous != null) {
                    throw new IllegalStateException(op + " is handled by both " + previous.getClass().getSimpleName()
                            + " and " + family.getClass().getSimpleName());
                }
            }
        }
        this.login = login;
        this.writer = writer;
        this.closer = closer;
        this.config = config;
        this.metrics = metrics;
        this.drain = drain;
    }

    public void onBinary(ClientSession session, byte[] bytes) {
        if (!accept(session, bytes.length)) {
            return;
        }
        Frame frame;
        try {
            frame = WireFormat.parseBinary(bytes);
        } catch (InvalidProtocolBufferException e) {
            malformed(session, "binary frame of " + bytes.length + " bytes is not a protobuf Frame: " + e.getMessage());
            return;
        }
        dispatch(session, frame);
    }

    public void onText(ClientSession session, String text) {
        // A char takes 1 to 3 UTF-8 bytes here (surrogate pairs take 2 chars for 4 bytes).
        int bytes = text.length() * 3 <= config.limits().maxFrameBytes() ? text.length() : utf8Length(text);
        if (!accept(session, bytes)) {
            return;
        }
        Frame frame;
        try {
            frame = WireFormat.parseJson(text);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            malformed(session, "text frame is not the proto3 JSON of a Frame: " + e.getMessage());
            return;
        }
        dispatch(session, frame);
    }

    /** Counts the frame and enforces the size limit; returns false when the session is closed. */
    private boolean accept(ClientSession session, int bytes) {
        session.touch(System.currentTimeMillis());
        metrics.frameIn(bytes);
        int max = config.limits().maxFrameBytes();
        if (bytes > max) {
            Log.infof("Closing %s: frame of %d bytes exceeds %d", session, bytes, max);
            closer.close(session, TOO_BIG, SessionWriter.error(0, ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + bytes + " bytes exceeds the limit of " + max + " bytes"));
            return false;
        }
        return true;
    }

    private void malformed(ClientSession session, String message) {
        int inARow = session.countMalformed();
        Frame error = SessionWriter.error(0, ErrorCode.MALFORMED_FRAME, message);
        if (inARow >= config.limits().malformedFramesBeforeClose()) {
            Log.infof("Closing %s after %d malformed frames in a row", session, inARow);
            closer.close(session, SessionCloser.POLICY_VIOLATION, error);
        } else {
            writer.writeAndForget(session, error);
        }
    }

    private void dispatch(ClientSession session, Frame frame) {
        session.resetMalformed();
        long requestId = frame.getRequestId();
        Frame.OpCase op = frame.getOpCase();
        if (op == Frame.OpCase.CONNECT) {
            connect(session, frame);
            return;
        }
        if (op == Frame.OpCase.OP_NOT_SET) {
            reply(session, SessionWriter.error(requestId, ErrorCode.INVALID_ARGUMENT, "frame has no operation set"));
            return;
        }
        if (!session.isConnected()) {
            reply(session, SessionWriter.error(requestId, ErrorCode.NOT_CONNECTED,
                    op + " arrived before a successful Connect: send Connect first"));
            return;
        }
        if (op == Frame.OpCase.PING) {
            reply(session, Frame.newBuilder().setRequestId(requestId)
                    .setPong(Pong.newBuilder().setServerTime(System.currentTimeMillis())).build());
            return;
        }
        if (!session.bucket().tryTake(System.nanoTime())) {
            reply(session, SessionWriter.error(requestId, ErrorCode.RATE_LIMITED, op + " rejected: more than "
                    + config.limits().operationsPerSecond() + " operations per second on this connection; slow down"));
            return;
        }
        ClientOperations family = operations.get(op);
        if (family == null) {
            reply(session, SessionWriter.error(requestId, ErrorCode.UNSUPPORTED_OPERATION,
                    op + " is sent by the server, not by clients"));
            return;
        }
        forward(session, frame, family);
    }

    private void connect(ClientSession session, Frame frame) {
        long requestId = frame.getRequestId();
        if (!session.startConnecting()) {
            reply(session, SessionWriter.error(requestId, ErrorCode.ALREADY_CONNECTED,
                    "this WebSocket already sent Connect; open a new WebSocket to connect again"));
            return;
        }
        drain.begin();
        login.login(session, frame.getConnect())
                .subscribe().with(
                        reply -> {
                            drain.end();
                            reply(session, Frame.newBuilder().setRequestId(requestId).setConnected(reply).build());
                        },
                        failure -> {
                            drain.end();
                            connectFailed(session, requestId, failure);
                        });
    }

    private void connectFailed(ClientSession session, long requestId, Throwable failure) {
        session.connectFailed();
        TidingsException error = failure instanceof TidingsException
                ? (TidingsException) failure
                : new TidingsException(ErrorCode.UNAVAILABLE, "Connect could not be completed: " + failure.getMessage());
        if (!(failure instanceof TidingsException)) {
            Log.errorf(failure, "Connect failed on %s", session.connectionId());
        }
        metrics.authFailed(error.code());
        Log.infof("Rejected Connect on connection %s: %s", session.connectionId(), error);
        CloseReason reason = error.code() == ErrorCode.UNAVAILABLE || error.code() == ErrorCode.INTERNAL
                ? new CloseReason(1013, "try again later")
                : SessionCloser.POLICY_VIOLATION;
        closer.close(session, reason, SessionWriter.error(requestId, error.code(), error.getMessage()));
    }

    private void forward(ClientSession session, Frame request, ClientOperations family) {
        long requestId = request.getRequestId();
        drain.begin();
        Uni<Frame> reply;
        try {
            reply = family.handle(session, request);
        } catch (RuntimeException e) {
            reply = Uni.createFrom().failure(e);
        }
        reply.subscribe().with(
                frame -> {
                    writer.write(session, frame.toBuilder().setRequestId(requestId).build())
                            .subscribe().with(ok -> {
                                drain.end();
                                family.afterReply(session, request);
                            }, failure -> {
                                drain.end();
                                Log.debugf("Reply to %s of %s not written: %s", request.getOpCase(), session, failure);
                            });
                },
                failure -> {
                    drain.end();
                    reply(session, errorFor(session, request, failure));
                });
    }

    private static Frame errorFor(ClientSession session, Frame request, Throwable failure) {
        if (failure instanceof TidingsException) {
            TidingsException e = (TidingsException) failure;
            Log.debugf("%s of %s failed: %s", request.getOpCase(), session, e);
            return SessionWriter.error(request.getRequestId(), e.code(), e.getMessage());
        }
        Log.errorf(failure, "%s of %s failed", request.getOpCase(), session);
        return SessionWriter.error(request.getRequestId(), ErrorCode.INTERNAL,
                request.getOpCase() + " failed with an internal error; the connector logged it");
    }

    private void reply(ClientSession session, Frame frame) {
        writer.writeAndForget(session, frame);
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
