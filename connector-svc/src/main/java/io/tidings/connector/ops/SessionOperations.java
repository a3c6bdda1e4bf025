package io.tidings.connector.ops;

import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.ClientSession;
import io.tidings.connector.session.SessionCloser;
import io.tidings.protocol.v1.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Logout: removes the device's push token, replies Ok, then deregisters and closes normally. A
 * push-svc failure is logged and does not keep the session open, because the user asked to
 * leave. The token then stays registered until the next RegisterPushToken of the device or a
 * PushTokenAdminService.DeleteTokens call removes it.
 */
@ApplicationScoped
public class SessionOperations implements ClientOperations {

    static final CloseReason LOGGED_OUT = new CloseReason(1000, "logged out");

    private final PushOperations push;
    private final Backends backends;
    private final SessionCloser closer;

    public SessionOperations(PushOperations push, Backends backends, SessionCloser closer) {
        this.push = push;
        this.backends = backends;
        this.closer = closer;
    }

    @Override
    public Set<Frame.OpCase> operations() {
        return Set.of(Frame.OpCase.LOGOUT);
    }

    @Override
    public Uni<Frame> handle(ClientSession session, Frame request) {
        return backends.call(PushOperations.SERVICE, push.unregister(session))
                .map(ack -> Backends.OK)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Logout of %s could not remove the push token: %s", session, failure.getMessage());
                    return Backends.OK;
                });
    }

    @Override
    public void afterReply(ClientSession session, Frame request) {
        Log.infof("Logged out %s", session);
        closer.close(session, LOGGED_OUT);
    }
}
