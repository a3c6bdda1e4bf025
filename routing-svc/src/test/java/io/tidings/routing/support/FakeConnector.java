package io.tidings.routing.support;

import io.grpc.stub.StreamObserver;
import io.tidings.protocol.internal.ConnectorServiceGrpc;
import io.tidings.protocol.internal.DeliverBatchReply;
import io.tidings.protocol.internal.DeliverBatchRequest;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.internal.DeviceDelivery;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a connector-svc instance in routing-svc's tests: records every request of
 * Deliver and DeliverBatch calls and replies DELIVERED for each device, except devices marked as
 * gone (NO_SESSION). With {@link #actAsOldVersion} it replies to DeliverBatch with UNIMPLEMENTED, as
 * a connector from before that RPC does.
 */
public class FakeConnector extends ConnectorServiceGrpc.ConnectorServiceImplBase {

    private final List<DeliverRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> goneDevices = ConcurrentHashMap.newKeySet();
    private final AtomicInteger batchCalls = new AtomicInteger();
    private volatile boolean oldVersion;

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverReply> response) {
        response.onNext(answer(request));
        response.onCompleted();
    }

    @Override
    public void deliverBatch(DeliverBatchRequest request, StreamObserver<DeliverBatchReply> response) {
        if (oldVersion) {
            super.deliverBatch(request, response);
            return;
        }
        batchCalls.incrementAndGet();
        DeliverBatchReply.Builder reply = DeliverBatchReply.newBuilder();
        request.getDeliveriesList().forEach(delivery -> reply.addReplies(answer(delivery)));
        response.onNext(reply.build());
        response.onCompleted();
    }

    private DeliverReply answer(DeliverRequest request) {
        requests.add(request);
        DeliverReply.Builder reply = DeliverReply.newBuilder();
        for (String deviceId : request.getDeviceIdsList()) {
            DeliveryStatus status = goneDevices.contains(deviceId) ? DeliveryStatus.NO_SESSION : DeliveryStatus.DELIVERED;
            reply.addDevices(DeviceDelivery.newBuilder().setDeviceId(deviceId).setStatus(status));
        }
        return reply.build();
    }

    /** Replies to DeliverBatch with UNIMPLEMENTED (true) or handles it (false, the default). */
    public void actAsOldVersion(boolean old) {
        oldVersion = old;
    }

    /** Returns how many DeliverBatch calls were handled. */
    public int batchCalls() {
        return batchCalls.get();
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
