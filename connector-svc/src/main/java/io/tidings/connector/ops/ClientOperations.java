package io.tidings.connector.ops;

import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.ClientSession;
import io.tidings.protocol.v1.Frame;
import java.util.Set;

/**
 * One family of client operations, forwarded to the service that owns it. Implementations are
 * thin: they add the authenticated user and device, call the service and wrap its reply.
 */
public interface ClientOperations {

    /** The request operations this family handles. */
    Set<Frame.OpCase> operations();

    /**
     * Handles a request of a CONNECTED session. The Uni yields the reply frame without
     * request_id, or fails with a {@link io.tidings.protocol.TidingsException}.
     */
    Uni<Frame> handle(ClientSession session, Frame request);

    /** Runs after the reply was written; Logout uses it to close the session. */
    default void afterReply(ClientSession session, Frame request) {
    }
}
