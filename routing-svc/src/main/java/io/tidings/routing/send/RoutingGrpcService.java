package io.tidings.routing.send;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.MembershipReply;
import io.tidings.protocol.internal.MembershipRequest;
import io.tidings.protocol.internal.RoutingService;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.v1.SendAck;
import io.tidings.routing.group.GroupMembership;
import io.tidings.support.GrpcErrors;

/**
 * The internal RoutingService: Send for connector-svc (the sender comes from its verified token)
 * and GetMembership for history-svc. Both run on the event loop: their Redis and Kafka calls are
 * non-blocking.
 */
@GrpcService
public class RoutingGrpcService implements RoutingService {

    private final SendService sends;
    private final GroupMembership membership;

    public RoutingGrpcService(SendService sends, GroupMembership membership) {
        this.sends = sends;
        this.membership = membership;
    }

    @Override
    public Uni<SendAck> send(SendCommand request) {
        return sends.send(request).onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<MembershipReply> getMembership(MembershipRequest request) {
        return Uni.createFrom().deferred(() -> membership.membership(request.getGroupId(), request.getUserId()))
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
