package io.tidings.connector.auth;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.server.AuthService;
import io.tidings.protocol.server.IssueTokenReply;
import io.tidings.protocol.server.IssueTokenRequest;
import io.tidings.protocol.server.RevokeTokensReply;
import io.tidings.protocol.server.RevokeTokensRequest;
import io.tidings.support.AppSecretInterceptor;
import io.tidings.support.GrpcErrors;
import java.time.Duration;

/** Server API for app backends: token issuing and revocation, behind the app secret. */
@GrpcService
@RegisterInterceptor(AppSecretInterceptor.class)
public class AuthGrpcService implements AuthService {

    private final TokenService tokens;
    private final RevocationService revocation;

    public AuthGrpcService(TokenService tokens, RevocationService revocation) {
        this.tokens = tokens;
        this.revocation = revocation;
    }

    @Override
    public Uni<IssueTokenReply> issueToken(IssueTokenRequest request) {
        return Uni.createFrom().item(() -> {
            IssuedToken issued = tokens.issue(request.getUserId(), Duration.ofSeconds(request.getTtlSeconds()));
            return IssueTokenReply.newBuilder().setToken(issued.token()).setExpiresAt(issued.expiresAtMs()).build();
        }).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<RevokeTokensReply> revokeTokens(RevokeTokensRequest request) {
        return Uni.createFrom().deferred(() -> revocation.revoke(request.getUserId()))
                .map(closed -> RevokeTokensReply.newBuilder().setClosedSessions(closed).build())
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
