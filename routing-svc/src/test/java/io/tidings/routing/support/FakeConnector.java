package io.tidings.routing.support;

import io.grpc.stub.StreamObserver;
import io.tidings.protocol.internal.ConnectorServiceGrpc;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.internal.DeviceDelivery;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a connector-svc instance in routing-svc's tests: records every Deliver call and
 * replies DELIVERED for each device, except devices marked as gone (NO_SESSION).
 */
public class FakeConnector extends ConnectorServiceGrpc.ConnectorServiceImplBase {

    private final List<DeliverRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> goneDevices = ConcurrentHashMap.newKeySet();

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverReply> response) {
        requests.add(request);
        DeliverReply.Builder reply = DeliverReply.newBuilder();
        for (String deviceId : request.getDeviceIdsList()) {
            DeliveryStatus status = goneDevices.contains(deviceId) ? DeliveryStatus.NO_SESSION : DeliveryStatus.DELIVERED;
            reply.addDevices(DeviceDelivery.newBuilder().setDeviceId(deviceId).setStatus(status));
        }
        response.onNext(reply.build());
        response.onCompleted();
    }

    /** Replies NO_SESSION for the device from now on, as a connector does after the socket closed. */
    public void markGone(String deviceId) {
        goneDevices.add(deviceId);
    }

    /** Returns the recorded requests for a user, in arrival order. */
    public List<DeliverRequest> requestsFor(String userId) {
        return requests.stream().filter(request -> request.getUserId().equals(userId)).toList();
    }
}
