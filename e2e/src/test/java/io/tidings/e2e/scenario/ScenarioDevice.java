package io.tidings.e2e.scenario;

import io.tidings.client.TidingsListener;
import io.tidings.client.sync.CursorStore;
import io.tidings.e2e.suite.Device;
import io.tidings.e2e.suite.ServerApi;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One device id of one user over the whole run. Each time it comes online it is a new SDK
 * {@link Device} (an incarnation) with the same device id and the same cursor store, as an app
 * that was closed and reopened. A device that a user replaced by a new one is retired: it never
 * comes back, so it is not expected to end with every message.
 */
final class ScenarioDevice {

    /** One SDK session of this device, and when it connected. */
    record Incarnation(Device device, TimedCursorStore clock, long connectedAtNanos) {
    }

    /** One entry the app got, with the incarnation that got it. */
    record Received(InboxEntry entry, Incarnation incarnation) {
    }

    private final String userId;
    private final String deviceId;
    private final Platform platform;
    private final CursorStore cursor = CursorStore.inMemory(0);
    private final SendBudget budget;
    private final List<Incarnation> incarnations = new CopyOnWriteArrayList<>();
    /** When the first Deliver frame of each message id reached the device, before the sync loop. */
    private final Map<String, Long> pushArrivals = new ConcurrentHashMap<>();
    private volatile Device live;
    private volatile boolean retired;

    ScenarioDevice(String userId, String deviceId, Platform platform, SendBudget budget) {
        this.userId = userId;
        this.deviceId = deviceId;
        this.platform = platform;
        this.budget = budget;
    }

    String userId() {
        return userId;
    }

    String deviceId() {
        return deviceId;
    }

    SendBudget budget() {
        return budget;
    }

    boolean retired() {
        return retired;
    }

    /** Returns the connected SDK device, or null while the device is offline. */
    Device live() {
        return live;
    }

    List<Incarnation> incarnations() {
        return incarnations;
    }

    /** Connects a new incarnation with this device's id and cursor, and waits for CONNECTED. */
    void connect(String url, ServerApi api) {
        if (retired) {
            throw new IllegalStateException("device " + this + " is retired and cannot connect again");
        }
        TimedCursorStore clock = new TimedCursorStore(cursor);
        long connectedAt = System.nanoTime();
        Device device = Device.connect(url, api, userId, deviceId, platform, clock);
        // Registered after the connect, so the pushes of the first moments are not timed; the
        // sync loop gets them either way.
        device.client().addListener(new TidingsListener() {
            @Override
            public void onDeliver(Deliver deliver) {
                pushArrivals.putIfAbsent(deliver.getEntry().getMessage().getMessageId(), System.nanoTime());
            }
        });
        incarnations.add(new Incarnation(device, clock, connectedAt));
        live = device;
    }

    /** Closes the current incarnation, as an app going to the background and being killed. */
    void disconnect() {
        Device device = live;
        live = null;
        if (device != null) {
            device.close();
        }
    }

    /** Disconnects for good: the user moved to another device. */
    void retire() {
        retired = true;
        disconnect();
    }

    /** Returns every entry the app got, over all incarnations, in the order it got them. */
    List<Received> received() {
        List<Received> all = new ArrayList<>();
        for (Incarnation incarnation : incarnations) {
            for (InboxEntry entry : incarnation.device().received()) {
                all.add(new Received(entry, incarnation));
            }
        }
        return all;
    }

    /**
     * Returns the {@link System#nanoTime()} at which the first Deliver frame with {@code messageId}
     * reached this device, or -1 when none did (the device pulled the message).
     */
    long pushArrivalNanos(String messageId) {
        return pushArrivals.getOrDefault(messageId, -1L);
    }

    /** Returns the device's cursor: the sync time of the newest entry it has. */
    long cursor() {
        return cursor.load();
    }

    @Override
    public String toString() {
        return userId + "/" + deviceId;
    }
}
