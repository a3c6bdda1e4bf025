package io.tidings.history.query;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.HistoryQuery;
import io.tidings.protocol.internal.HistoryService;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.support.GrpcErrors;

/** Internal gRPC API of history-svc, called by connector-svc for a user's history request. */
@GrpcService
public class HistoryGrpcService implements HistoryService {

    private final HistoryQueries queries;

    public HistoryGrpcService(HistoryQueries queries) {
        this.queries = queries;
    }

    @Override
    @Blocking
    public Uni<HistoryReply> query(HistoryQuery request) {
        return Uni.createFrom().item(() -> queries.query(request.getRequesterId(), request.getRequest()))
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
