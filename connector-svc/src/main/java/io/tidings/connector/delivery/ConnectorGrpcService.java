package io.tidings.connector.delivery;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.ConnectorService;
import io.tidings.protocol.internal.DeliverBatchReply;
import io.tidings.protocol.internal.DeliverBatchRequest;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.support.GrpcErrors;

/** gRPC adapter of {@link DeliveryService} for routing-svc. */
@GrpcService
public class ConnectorGrpcService implements ConnectorService {

    private final DeliveryService delivery;

    public ConnectorGrpcService(DeliveryService delivery) {
        this.delivery = delivery;
    }

    @Override
    public Uni<DeliverReply> deliver(DeliverRequest request) {
        return Uni.createFrom().deferred(() -> delivery.deliver(request))
                .onFailure().transform(GrpcErrors::toStatus);
    }

    @Override
    public Uni<DeliverBatchReply> deliverBatch(DeliverBatchRequest request) {
        return Uni.createFrom().deferred(() -> delivery.deliverBatch(request))
                .onFailure().transform(GrpcErrors::toStatus);
    }
}
