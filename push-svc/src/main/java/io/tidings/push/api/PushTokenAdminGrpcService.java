package io.tidings.push.api;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.server.DeleteTokensReply;
import io.tidings.protocol.server.DeleteTokensRequest;
import io.tidings.protocol.server.ListTokensReply;
import io.tidings.protocol.server.ListTokensRequest;
import io.tidings.protocol.server.PushTokenAdminService;
import io.tidings.push.token.TokenRegistry;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;

/** Server API for app backends: list and delete a user's device tokens. */
@GrpcService
@RegisterInterceptor(AppSecretInterceptor.class)
public class PushTokenAdminGrpcService implements PushTokenAdminService {

    private final TokenRegistry tokens;

    public PushTokenAdminGrpcService(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    @Override
    public Uni<ListTokensReply> listTokens(ListTokensRequest request) {
        return tokens.list(request.getUserId())
                .map(list -> ListTokensReply.newBuilder().addAllTokens(list).build())
                .onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<DeleteTokensReply> deleteTokens(DeleteTokensRequest request) {
        return tokens.delete(request.getUserId(), request.getDeviceIdsList())
                .map(deleted -> DeleteTokensReply.newBuilder().setDeleted(deleted).build())
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
