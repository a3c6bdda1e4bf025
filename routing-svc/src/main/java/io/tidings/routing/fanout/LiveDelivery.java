package io.tidings.routing.fanout;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.internal.DeliverReply;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.DeliveryStatus;
import io.tidings.protocol.internal.DeviceDelivery;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes copies to the recipients' live devices: looks up each user's sessions in the session
 * registry and calls ConnectorService.Deliver at each connector that has one, with all of the
 * user's frames of the batch in order.
 *
 * <p>A device gets one Deliver frame per copy, except that more than
 * {@code tidings.routing.fanout.notify-threshold} inbox copies for one device in one batch become
 * a single Notify with the latest sync time, after which the device pulls. The sending device
 * never gets its own message back: it has the SendAck, and the SDK de-duplicates by message id
 * in any case. Delivery failures are not retried: the copies are in the inbox, and the device
 * finds them through prev_sync_time or its next sync.
 */
@ApplicationScoped
public class LiveDelivery {

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
        List<List<Copy>> unreached = Await.await(
                Multi.createFrom().iterable(byUser.entrySet())
                        .onItem().transformToUni(user -> deliverToUser(user.getKey(), user.getValue()))
                        .merge(concurrency)
                        .collect().asList(),
                callTimeout.multipliedBy(2 + byUser.size() / Math.max(1, concurrency)),
                "delivering to " + byUser.size() + " users");
        List<Copy> result = new ArrayList<>();
        unreached.forEach(result::addAll);
        return result;
    }

    /** Returns the user's copies when no device received them, else an empty list. */
    private Uni<List<Copy>> deliverToUser(String userId, List<Copy> copies) {
        return sessions.liveSessions(userId)
                .ifNoItem().after(callTimeout).fail()
                .chain(live -> {
                    if (live.isEmpty()) {
                        metrics.delivery(DeliveryOutcome.OFFLINE, 1);
                        return Uni.createFrom().item(copies);
                    }
                    return callConnectors(userId, copies, live).map(reached -> reached ? List.<Copy>of() : copies);
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Looking up the sessions of userId=%s failed, falling back to push: %s", userId, failure.toString());
                    metrics.delivery(DeliveryOutcome.FAILED, 1);
                    return copies;
                });
    }

    /** Calls each connector of the user once per distinct frame list; returns whether any device got its frames. */
    private Uni<Boolean> callConnectors(String userId, List<Copy> copies, Map<String, SessionEntry> live) {
        Map<String, Map<List<Frame>, List<String>>> requests = new LinkedHashMap<>();
        live.forEach((deviceId, entry) -> {
            List<Frame> frames = framesFor(deviceId, copies);
            if (!frames.isEmpty()) {
                requests.computeIfAbsent(entry.getConnectorAddress(), address -> new LinkedHashMap<>())
                        .computeIfAbsent(frames, list -> new ArrayList<>())
                        .add(deviceId);
            }
        });
        List<Uni<Boolean>> calls = new ArrayList<>();
        requests.forEach((address, byFrames) -> byFrames.forEach((frames, deviceIds) -> calls.add(
                call(address, DeliverRequest.newBuilder().setUserId(userId).addAllDeviceIds(deviceIds).addAllFrames(frames).build()))));
        if (calls.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return Uni.join().all(calls).andCollectFailures().map(results -> results.contains(true));
    }

    /** Calls one connector and returns whether at least one device got the frames; a failed call returns false. */
    private Uni<Boolean> call(String address, DeliverRequest request) {
        return connectors.stub(address)
                .withDeadlineAfter(callTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .deliver(request)
                .map(this::countOutcomes)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Deliver to connector %s for userId=%s devices %s failed: %s", address, request.getUserId(),
                            request.getDeviceIdsList(), failure.toString());
                    metrics.delivery(DeliveryOutcome.FAILED, request.getDeviceIdsCount());
                    return false;
                });
    }

    private boolean countOutcomes(DeliverReply reply) {
        boolean delivered = false;
        for (DeviceDelivery device : reply.getDevicesList()) {
            if (device.getStatus() == DeliveryStatus.DELIVERED) {
                delivered = true;
                metrics.delivery(DeliveryOutcome.DELIVERED, 1);
            } else {
                metrics.delivery(DeliveryOutcome.NO_SESSION, 1);
            }
        }
        return delivered;
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
