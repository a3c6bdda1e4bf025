package io.tidings.connector.delivery;

import io.smallrye.mutiny.Uni;
import io.tidings.connector.metrics.ConnectorMetrics;
import io.tidings.connector.session.ClientSession;
import io.tidings.connector.session.DrainState;
import io.tidings.connector.session.SessionTable;
import io.tidings.connector.session.SessionWriter;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.DeliverBatchReply;
import io.tidings.protocol.internal.DeliverBatchRequest;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.internal.DeviceDelivery;
import io.tidings.protocol.v1.Frame;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes frames from routing-svc to the live sessions of one user on this connector, in request
 * order, and reports per device DELIVERED (every frame accepted by the socket) or NO_SESSION.
 */
@ApplicationScoped
public class DeliveryService {

    private final SessionTable table;
    private final SessionWriter writer;
    private final DrainState drain;
    private final ConnectorMetrics metrics;

    public DeliveryService(SessionTable table, SessionWriter writer, DrainState drain, ConnectorMetrics metrics) {
        this.table = table;
        this.writer = writer;
        this.drain = drain;
        this.metrics = metrics;
    }

    public Uni<DeliverReply> deliver(DeliverRequest request) {
        validate("", request);
        return deliverValid(request);
    }

    /**
     * Delivers several users' frames and returns one reply per request, in request order. Every
     * request is checked before anything is written, so a bad one rejects the whole batch.
     */
    public Uni<DeliverBatchReply> deliverBatch(DeliverBatchRequest batch) {
        for (int i = 0; i < batch.getDeliveriesCount(); i++) {
            validate("deliveries[" + i + "].", batch.getDeliveries(i));
        }
        if (batch.getDeliveriesCount() == 0) {
            return Uni.createFrom().item(DeliverBatchReply.getDefaultInstance());
        }
        List<Uni<DeliverReply>> replies = new ArrayList<>(batch.getDeliveriesCount());
        batch.getDeliveriesList().forEach(request -> replies.add(deliverValid(request)));
        return Uni.join().all(replies).andFailFast()
                .map(all -> DeliverBatchReply.newBuilder().addAllReplies(all).build());
    }

    private static void validate(String field, DeliverRequest request) {
        Ids.requireId(field + "user_id", request.getUserId());
        if (request.getFramesCount() == 0) {
            throw TidingsException.invalidArgument(field + "frames is empty for user " + request.getUserId()
                    + ": send at least one frame");
        }
    }

    private Uni<DeliverReply> deliverValid(DeliverRequest request) {
        Map<String, ClientSession> targets = targets(request);
        if (targets.isEmpty()) {
            return Uni.createFrom().item(DeliverReply.getDefaultInstance());
        }
        List<Uni<DeviceDelivery>> deliveries = new ArrayList<>(targets.size());
        targets.forEach((deviceId, session) -> deliveries.add(deliverTo(deviceId, session, request.getFramesList())));
        drain.begin();
        return Uni.join().all(deliveries).andFailFast()
                .map(devices -> DeliverReply.newBuilder().addAllDevices(devices).build())
                .eventually(drain::end);
    }

    /** Returns the sessions to write to by device id, with null for requested devices not here. */
    private Map<String, ClientSession> targets(DeliverRequest request) {
        Map<String, ClientSession> byDevice = new LinkedHashMap<>();
        List<ClientSession> live = table.sessionsOf(request.getUserId());
        if (request.getDeviceIdsCount() == 0) {
            for (ClientSession session : live) {
                if (session.isConnected()) {
                    byDevice.put(session.deviceId(), session);
                }
            }
            return byDevice;
        }
        for (String deviceId : request.getDeviceIdsList()) {
            byDevice.put(deviceId, null);
            for (ClientSession session : live) {
                if (session.isConnected() && deviceId.equals(session.deviceId())) {
                    byDevice.put(deviceId, session);
                }
            }
        }
        return byDevice;
    }

    private Uni<DeviceDelivery> deliverTo(String deviceId, ClientSession session, List<Frame> frames) {
        DeviceDelivery.Builder result = DeviceDelivery.newBuilder().setDeviceId(deviceId);
        if (session == null) {
            return Uni.createFrom().item(result.setStatus(DeliveryStatus.NO_SESSION).build());
        }
        // Each write is queued on the socket before the next starts, which keeps the order.
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Frame frame : frames) {
            Frame serverFrame = frame.getRequestId() == 0 ? frame : frame.toBuilder().setRequestId(0).build();
            chain = chain.chain(() -> writer.write(session, serverFrame).invoke(() -> written(serverFrame)));
        }
        return chain
                .map(ok -> result.setStatus(DeliveryStatus.DELIVERED).build())
                .onFailure().recoverWithItem(failure -> result.setStatus(DeliveryStatus.NO_SESSION).build());
    }

    private void written(Frame frame) {
        if (frame.hasDeliver()) {
            metrics.deliverWritten(frame.getDeliver());
        }
    }
}
