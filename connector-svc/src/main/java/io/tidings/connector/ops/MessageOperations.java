package io.tidings.connector.ops;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import io.tidings.connector.session.ClientSession;
import io.tidings.protocol.internal.RoutingService;
import io.tidings.protocol.internal.SendCommand;
import io.tidings.protocol.v1.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Send: forwarded to routing-svc, which replies with the SendAck after the Kafka commit. */
@ApplicationScoped
public class MessageOperations implements ClientOperations {

    private final RoutingService routing;
    private final Backends backends;

    public MessageOperations(@GrpcClient("routing") RoutingService routing, Backends backends) {
        this.routing = routing;
        this.backends = backends;
    }

    @Override
    public Set<Frame.OpCase> operations() {
        return Set.of(Frame.OpCase.SEND);
    }

    @Override
    public Uni<Frame> handle(ClientSession session, Frame request) {
        SendCommand command = SendCommand.newBuilder()
                .setSenderId(session.userId())
                .setSenderDeviceId(session.deviceId())
                .setRequest(request.getSend())
                .build();
        return backends.call("routing-svc", routing.send(command))
                .map(ack -> Frame.newBuilder().setSendAck(ack).build());
    }
}
