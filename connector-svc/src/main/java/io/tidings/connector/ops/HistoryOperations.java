package io.tidings.connector.ops;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.ClientSession;
import io.tidings.protocol.internal.HistoryQuery;
import io.tidings.protocol.internal.HistoryService;
import io.tidings.protocol.v1.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** History: forwarded to history-svc, authorized as the session's user. */
@ApplicationScoped
public class HistoryOperations implements ClientOperations {

    private final HistoryService history;
    private final Backends backends;

    public HistoryOperations(@GrpcClient("history") HistoryService history, Backends backends) {
        this.history = history;
        this.backends = backends;
    }

    @Override
    public Set<Frame.OpCase> operations() {
        return Set.of(Frame.OpCase.HISTORY);
    }

    @Override
    public Uni<Frame> handle(ClientSession session, Frame request) {
        HistoryQuery query = HistoryQuery.newBuilder()
                .setRequesterId(session.userId())
                .setRequest(request.getHistory())
                .build();
        return backends.call("history-svc", history.query(query))
                .map(reply -> Frame.newBuilder().setHistoryReply(reply).build());
    }
}
