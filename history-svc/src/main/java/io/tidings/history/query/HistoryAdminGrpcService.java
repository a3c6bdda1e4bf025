package io.tidings.history.query;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.server.AdminHistoryRequest;
import io.tidings.protocol.server.DeleteHistoryMessageReply;
import io.tidings.protocol.server.DeleteHistoryMessageRequest;
import io.tidings.protocol.server.HistoryAdminService;
import io.tidings.protocol.v1.HistoryReply;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;

/** Server API of history-svc for app backends: any conversation's history, and deletions. */
@GrpcService
@RegisterInterceptor(AppSecretInterceptor.class)
public class HistoryAdminGrpcService implements HistoryAdminService {

    private final HistoryQueries queries;

    public HistoryAdminGrpcService(HistoryQueries queries) {
        this.queries = queries;
    }

    @Override
    @Blocking
    public Uni<HistoryReply> queryConversation(AdminHistoryRequest request) {
        return Uni.createFrom().item(() -> queries.queryAsAdmin(request))
                .onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    @Blocking
    public Uni<DeleteHistoryMessageReply> deleteMessage(DeleteHistoryMessageRequest request) {
        return Uni.createFrom()
                .item(() -> DeleteHistoryMessageReply.newBuilder().setFound(queries.delete(request)).build())
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
