package io.tidings.routing.fanout;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.DeliverBatchRequest;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.internal.DeviceDelivery;
import io.tidings.protocol.internal.MutinyConnectorServiceGrpc.MutinyConnectorServiceStub;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.Notify;
import io.tidings.routing.Await;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.metrics.RoutingMetrics;
import io.tidings.routing.metrics.RoutingMetrics.DeliveryOutcome;
import io.tidings.support.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Pushes copies to the recipients' live devices. It looks up the sessions of all users of the
 * batch in one session registry call, then sends each connector that has some of them one
 * ConnectorService.DeliverBatch (split at about {@link #MAX_CALL_BYTES}) with every user's frames
 * in order. A connector that does not know DeliverBatch yet (UNIMPLEMENTED, during a rolling
 * upgrade) gets one Deliver per user instead.
 *
 * <p>A device gets one Deliver frame per copy, except that more than
 * {@code tidings.routing.fanout.notify-threshold} inbox copies for one device in one batch become
 * a single Notify with the latest sync time, after which the device pulls. Delivery failures are
 * not retried: the copies are in the inbox, and the device finds them through prev_sync_time or
 * its next sync.
 */
@ApplicationScoped
public class LiveDelivery {

    /** Upper bound of one DeliverBatch call's requests, well below gRPC's default 4 MiB message limit. */
    static final int MAX_CALL_BYTES = 1 << 20;

    private final SessionRegistry sessions;
    private final ConnectorChannels connectors;
    private final RoutingMetrics metrics;
    private final int notifyThreshold;
    private final int concurrency;
    private final Duration callTimeout;

    public LiveDelivery(SessionRegistry sessions, ConnectorChannels connectors, RoutingMetrics metrics, RoutingConfig config) {
        this.sessions = sessions;
        this.connectors = connectors;
        this.metrics = metrics;
        this.notifyThreshold = config.fanout().notifyThreshold();
        this.concurrency = config.fanout().deliveryConcurrency();
        this.callTimeout = config.fanout().callTimeout();
    }

    /**
     * Delivers the copies and returns those of users that no live device received: the users
     * without sessions, and those whose every call failed or found no session. Blocks.
     */
    public List<Copy> deliver(List<Copy> copies) {
        Map<String, List<Copy>> byUser = new LinkedHashMap<>();
        copies.forEach(copy -> byUser.computeIfAbsent(copy.userId(), user -> new ArrayList<>()).add(copy));
        Map<String, Map<String, SessionEntry>> live = lookUp(List.copyOf(byUser.keySet()));
        if (live == null) {
            return copies;
        }

        Map<String, List<DeliverRequest>> byConnector = new LinkedHashMap<>();
        byUser.forEach((userId, userCopies) -> {
            Map<String, SessionEntry> devices = live.getOrDefault(userId, Map.of());
            if (devices.isEmpty()) {
                metrics.delivery(DeliveryOutcome.OFFLINE, 1);
                return;
            }
            requestsFor(userId, userCopies, devices).forEach((address, requests) ->
                    byConnector.computeIfAbsent(address, key -> new ArrayList<>()).addAll(requests));
        });

        List<Call> calls = new ArrayList<>();
        byConnector.forEach((address, requests) -> splitBySize(requests).forEach(part -> calls.add(new Call(address, part))));
        Set<String> reached = new HashSet<>();
        Await.await(
                Multi.createFrom().iterable(calls)
                        .onItem().transformToUni(this::send)
                        .merge(concurrency)
                        .collect().asList(),
                callTimeout.multipliedBy(2 + calls.size() / Math.max(1, concurrency)),
                "delivering to " + byUser.size() + " users")
                .forEach(reached::addAll);

        List<Copy> unreached = new ArrayList<>();
        byUser.forEach((userId, userCopies) -> {
            if (!reached.contains(userId)) {
                unreached.addAll(userCopies);
            }
        });
        return unreached;
    }

    /** Looks up every user's live sessions, or returns null when the registry failed and every copy goes to push. */
    private Map<String, Map<String, SessionEntry>> lookUp(List<String> userIds) {
        try {
            return Await.await(sessions.liveSessions(userIds).ifNoItem().after(callTimeout).fail(),
                    callTimeout.plusSeconds(1), "looking up the sessions of " + userIds.size() + " users");
        } catch (RuntimeException failure) {
            Log.warnf("Looking up the sessions of %d users (first userId=%s) failed, falling back to push: %s",
                    userIds.size(), userIds.get(0), failure.toString());
            metrics.delivery(DeliveryOutcome.FAILED, userIds.size());
            return null;
        }
    }

    /** Returns one user's Deliver requests by connector address: one per distinct frame list. */
    private Map<String, List<DeliverRequest>> requestsFor(String userId, List<Copy> copies, Map<String, SessionEntry> live) {
        Map<String, Map<List<Frame>, List<String>>> devicesByFrames = new LinkedHashMap<>();
        live.forEach((deviceId, entry) -> {
            List<Frame> frames = framesFor(deviceId, copies);
            if (!frames.isEmpty()) {
                devicesByFrames.computeIfAbsent(entry.getConnectorAddress(), address -> new LinkedHashMap<>())
                        .computeIfAbsent(frames, list -> new ArrayList<>())
                        .add(deviceId);
            }
        });
        Map<String, List<DeliverRequest>> requests = new LinkedHashMap<>();
        devicesByFrames.forEach((address, byFrames) -> byFrames.forEach((frames, deviceIds) ->
                requests.computeIfAbsent(address, key -> new ArrayList<>()).add(DeliverRequest.newBuilder()
                        .setUserId(userId).addAllDeviceIds(deviceIds).addAllFrames(frames).build())));
        return requests;
    }

    /** Splits requests into parts of at most {@link #MAX_CALL_BYTES}, each holding at least one request. */
    static List<List<DeliverRequest>> splitBySize(List<DeliverRequest> requests) {
        List<List<DeliverRequest>> parts = new ArrayList<>();
        List<DeliverRequest> current = new ArrayList<>();
        long bytes = 0;
        for (DeliverRequest request : requests) {
            int size = request.getSerializedSize();
            if (!current.isEmpty() && bytes + size > MAX_CALL_BYTES) {
                parts.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(request);
            bytes += size;
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    /** One DeliverBatch call to the connector at {@code address}. */
    private record Call(String address, List<DeliverRequest> requests) {
    }

    /** Sends one call and returns the users at least one of whose devices got their frames; a failed call reaches no user. */
    private Uni<Set<String>> send(Call call) {
        return connectors.stub(call.address())
                .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .deliverBatch(DeliverBatchRequest.newBuilder().addAllDeliveries(call.requests()).build())
                .map(reply -> reached(call.requests(), reply.getRepliesList()))
                .onFailure(LiveDelivery::unimplemented).recoverWithUni(failure -> sendOneByOne(call))
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("DeliverBatch to connector %s for %d users (first userId=%s) failed: %s", call.address(),
                            call.requests().size(), call.requests().get(0).getUserId(), failure.toString());
                    metrics.delivery(DeliveryOutcome.FAILED, call.requests().stream().mapToInt(DeliverRequest::getDeviceIdsCount).sum());
                    return Set.of();
                });
    }

    /** Calls Deliver once per request, for a connector from before DeliverBatch. */
    private Uni<Set<String>> sendOneByOne(Call call) {
        MutinyConnectorServiceStub stub = connectors.stub(call.address());
        return Multi.createFrom().iterable(call.requests())
                .onItem().transformToUni(request -> stub
                        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                        .deliver(request)
                        .map(reply -> reached(List.of(request), List.of(reply)))
                        .onFailure().recoverWithItem(failure -> {
                            Log.warnf("Deliver to connector %s for userId=%s devices %s failed: %s", call.address(),
                                    request.getUserId(), request.getDeviceIdsList(), failure.toString());
                            metrics.delivery(DeliveryOutcome.FAILED, request.getDeviceIdsCount());
                            return Set.of();
                        }))
                .merge(concurrency)
                .collect().in(HashSet::new, Set::addAll);
    }

    private static boolean unimplemented(Throwable failure) {
        return failure instanceof StatusRuntimeException status && status.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
    }

    /** Counts the device outcomes and returns the users with at least one DELIVERED device. */
    private Set<String> reached(List<DeliverRequest> requests, List<DeliverReply> replies) {
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < requests.size() && i < replies.size(); i++) {
            for (DeviceDelivery device : replies.get(i).getDevicesList()) {
                if (device.getStatus() == DeliveryStatus.DELIVERED) {
                    reached.add(requests.get(i).getUserId());
                    metrics.delivery(DeliveryOutcome.DELIVERED, 1);
                } else {
                    metrics.delivery(DeliveryOutcome.NO_SESSION, 1);
                }
            }
        }
        return reached;
    }

    /**
     * Returns the frames for one device: status-only copies as Deliver frames, and the inbox
     * copies as Deliver frames or, above the threshold, one Notify after them.
     */
    List<Frame> framesFor(String deviceId, List<Copy> copies) {
        List<Copy> forDevice = copies.stream().filter(copy -> !deviceId.equals(copy.skipDeviceId())).toList();
        long inboxCopies = forDevice.stream().filter(Copy::inInbox).count();
        boolean notify = inboxCopies > notifyThreshold;
        List<Frame> frames = new ArrayList<>();
        long latestSyncTime = 0;
        for (Copy copy : forDevice) {
            if (notify && copy.inInbox()) {
                latestSyncTime = Math.max(latestSyncTime, copy.entry().getSyncTime());
            } else {
                frames.add(Frame.newBuilder()
                        .setDeliver(Deliver.newBuilder().setEntry(copy.entry()).setPrevSyncTime(copy.prevSyncTime()))
                        .build());
            }
        }
        if (notify) {
            metrics.notifySent();
            frames.add(Frame.newBuilder().setNotify(Notify.newBuilder().setLatestSyncTime(latestSyncTime)).build());
        }
        return frames;
    }
}
