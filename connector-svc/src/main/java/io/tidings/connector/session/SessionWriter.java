package io.tidings.connector.session;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.metrics.ConnectorMetrics;
import io.tidings.connector.ws.WireFormat;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.ErrorReply;
import io.tidings.protocol.v1.Frame;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/** Writes frames to a session's socket in its wire format and counts them, ErrorReply frames by code. */
@ApplicationScoped
public class SessionWriter {

    private final ConnectorMetrics metrics;

    public SessionWriter(ConnectorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Writes one frame; the Uni completes when the socket accepted it and fails if it is closed. */
    public Uni<Void> write(ClientSession session, Frame frame) {
        WebSocketConnection connection = session.connection();
        if (frame.hasError()) {
            metrics.errorReplied(frame.getError().getCode());
        }
        if (session.format() == WireFormat.JSON) {
            String json = WireFormat.printJson(frame);
            metrics.frameOut(json.getBytes(StandardCharsets.UTF_8).length);
            return connection.sendText(json);
        }
        byte[] bytes = frame.toByteArray();
        metrics.frameOut(bytes.length);
        return connection.sendBinary(Buffer.buffer(bytes));
    }

    /** Writes a frame without waiting; a failed write is logged, because the socket is gone anyway. */
    public void writeAndForget(ClientSession session, Frame frame) {
        write(session, frame).subscribe().with(ok -> {
        }, failure -> Log.debugf("Cannot write %s to %s: %s", frame.getOpCase(), session, failure.toString()));
    }

    public static Frame error(long requestId, ErrorCode code, String message) {
        return Frame.newBuilder()
                .setRequestId(requestId)
                .setError(ErrorReply.newBuilder().setCode(code).setMessage(message))
                .build();
    }

    /** Writes the frames in order, then closes the socket with {@code reason}. */
    public Uni<Void> writeThenClose(ClientSession session, CloseReason reason, Frame... frames) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Frame frame : frames) {
            chain = chain.chain(() -> write(session, frame));
        }
        return chain.onFailure().recoverWithNull()
                .chain(() -> session.connection().isOpen() ? session.connection().close(reason) : Uni.createFrom().voidItem());
    }
}
