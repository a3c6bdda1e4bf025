package io.tidings.connector.ops;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.ClientSession;
import io.tidings.protocol.internal.InboxAckRequest;
import io.tidings.protocol.internal.InboxMarkReadRequest;
import io.tidings.protocol.internal.InboxService;
import io.tidings.protocol.internal.InboxSyncRequest;
import io.tidings.protocol.v1.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Sync, SyncAck and MarkRead: forwarded to offline-svc's InboxService. */
@ApplicationScoped
public class InboxOperations implements ClientOperations {

    private static final String SERVICE = "offline-svc";

    private final InboxService inbox;
    private final Backends backends;

    public InboxOperations(@GrpcClient("offline") InboxService inbox, Backends backends) {
        this.inbox = inbox;
        this.backends = backends;
    }

    @Override
    public Set<Frame.OpCase> operations() {
        return Set.of(Frame.OpCase.SYNC, Frame.OpCase.SYNC_ACK, Frame.OpCase.MARK_READ);
    }

    @Override
    public Uni<Frame> handle(ClientSession session, Frame request) {
        switch (request.getOpCase()) {
            case SYNC:
                return backends.call(SERVICE, inbox.sync(InboxSyncRequest.newBuilder()
                                .setUserId(session.userId())
                                .setDeviceId(session.deviceId())
                                .setRequest(request.getSync())
                                .build()))
                        .map(reply -> Frame.newBuilder().setSyncReply(reply).build());
            case SYNC_ACK:
                return backends.callOk(SERVICE, inbox.ack(InboxAckRequest.newBuilder()
                        .setUserId(session.userId())
                        .setDeviceId(session.deviceId())
                        .setCursor(request.getSyncAck().getCursor())
                        .build()));
            case MARK_READ:
                return backends.callOk(SERVICE, inbox.markRead(InboxMarkReadRequest.newBuilder()
                        .setUserId(session.userId())
                        .setConversation(request.getMarkRead().getConversation())
                        .build()));
            default:
                throw new IllegalArgumentException("InboxOperations does not handle " + request.getOpCase());
        }
    }
}
