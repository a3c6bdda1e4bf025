package io.tidings.connector.ops;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.ClientSession;
import io.tidings.protocol.internal.AckReply;
import io.tidings.protocol.internal.DeviceRef;
import io.tidings.protocol.internal.PushSettingsService;
import io.tidings.protocol.internal.RegisterTokenCommand;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.protocol.v1.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** RegisterPushToken, UnregisterPushToken and SetPushSettings: forwarded to push-svc. */
@ApplicationScoped
public class PushOperations implements ClientOperations {

    static final String SERVICE = "push-svc";

    private final PushSettingsService push;
    private final Backends backends;

    public PushOperations(@GrpcClient("push") PushSettingsService push, Backends backends) {
        this.push = push;
        this.backends = backends;
    }

    @Override
    public Set<Frame.OpCase> operations() {
        return Set.of(Frame.OpCase.REGISTER_PUSH_TOKEN, Frame.OpCase.UNREGISTER_PUSH_TOKEN,
                Frame.OpCase.SET_PUSH_SETTINGS);
    }

    @Override
    public Uni<Frame> handle(ClientSession session, Frame request) {
        switch (request.getOpCase()) {
            case REGISTER_PUSH_TOKEN:
                return backends.callOk(SERVICE, push.registerToken(RegisterTokenCommand.newBuilder()
                        .setDevice(device(session))
                        .setPlatform(session.platform())
                        .setRequest(request.getRegisterPushToken())
                        .build()));
            case UNREGISTER_PUSH_TOKEN:
                return backends.callOk(SERVICE, unregister(session));
            case SET_PUSH_SETTINGS:
                return backends.callOk(SERVICE, push.setSettings(SetPushSettingsCommand.newBuilder()
                        .setUserId(session.userId())
                        .setRequest(request.getSetPushSettings())
                        .build()));
            default:
                throw new IllegalArgumentException("PushOperations does not handle " + request.getOpCase());
        }
    }

    /** Removes the push token of the session's device; also used by Logout. */
    public Uni<AckReply> unregister(ClientSession session) {
        return push.unregisterToken(device(session));
    }

    private static DeviceRef device(ClientSession session) {
        return DeviceRef.newBuilder().setUserId(session.userId()).setDeviceId(session.deviceId()).build();
    }
}
