package io.tidings.push.api;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.AckReply;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.PushSettingsService;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.push.settings.PushSettingsUpdater;
import io.tidings.push.token.TokenRegistry;
import io.tidings.support.GrpcErrors;

/**
 * Internal gRPC PushSettingsService, called by connector-svc for the client operations
 * RegisterPushToken, UnregisterPushToken and SetPushSettings, and on logout.
 */
@GrpcService
public class PushSettingsGrpcService implements PushSettingsService {

    private static final AckReply ACK = AckReply.getDefaultInstance();

    private final TokenRegistry tokens;
    private final PushSettingsUpdater settings;

    public PushSettingsGrpcService(TokenRegistry tokens, PushSettingsUpdater settings) {
        this.tokens = tokens;
        this.settings = settings;
    }

    @Override
    public Uni<AckReply> registerToken(RegisterTokenCommand request) {
        return tokens.register(request).replaceWith(ACK).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<AckReply> unregisterToken(DeviceRef request) {
        return tokens.unregister(request).replaceWith(ACK).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<AckReply> setSettings(SetPushSettingsCommand request) {
        return settings.apply(request).replaceWith(ACK).onFailure().transform(GrpcErrors::toStatus);
    }
}
