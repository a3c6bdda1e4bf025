package io.tidings.e2e.scenario;

import io.tidings.e2e.suite.ServerApi;
import io.tidings.protocol.v1.Platform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * The users, groups and devices of one run. Users are listed by activity rank: the sender
 * distribution draws index 0 most often. Ids carry the run id, so runs never share an inbox.
 */
final class Population {

    private static final int CONNECT_THREADS = 8;

    private final List<String> users = new ArrayList<>();
    private final Map<String, List<ScenarioDevice>> devicesByUser = new LinkedHashMap<>();
    private final List<ScenarioDevice> allDevices = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> groupMembers = new LinkedHashMap<>();
    private final Map<String, List<String>> groupsByUser = new LinkedHashMap<>();
    private final TrafficScenario.Config config;

    Population(TrafficScenario.Config config, String runId, Random random) {
        this.config = config;
        for (int rank = 0; rank < config.users(); rank++) {
            String user = "u" + rank + "-" + runId;
            users.add(user);
            groupsByUser.put(user, new ArrayList<>());
            List<ScenarioDevice> devices = new CopyOnWriteArrayList<>();
            devices.add(newDevice(user, "phone", rank % 2 == 0 ? Platform.ANDROID : Platform.IOS));
            if (random.nextDouble() < config.secondDeviceShare()) {
                devices.add(newDevice(user, "desktop", Platform.DESKTOP));
            }
            devicesByUser.put(user, devices);
        }
        for (int g = 0; g < config.groups(); g++) {
            String groupId = "g" + g + "-" + runId;
            List<String> shuffled = new ArrayList<>(users);
            Collections.shuffle(shuffled, random);
            List<String> members = List.copyOf(shuffled.subList(0, groupSize(g)));
            groupMembers.put(groupId, members);
            members.forEach(member -> groupsByUser.get(member).add(groupId));
        }
    }

    /** Spreads the group sizes evenly from the smallest to the largest, both included. */
    private int groupSize(int index) {
        int min = config.minGroupMembers();
        int max = Math.min(config.maxGroupMembers(), config.users());
        if (config.groups() == 1) {
            return max;
        }
        return min + (int) Math.round((max - min) * (double) index / (config.groups() - 1));
    }

    private ScenarioDevice newDevice(String user, String deviceId, Platform platform) {
        ScenarioDevice device = new ScenarioDevice(user, deviceId, platform,
                new SendBudget(config.sendsPerDevicePerSecond(), config.sendBurstPerDevice()));
        allDevices.add(device);
        return device;
    }

    /** Creates the groups through the server API, each owned by its first member. */
    void createGroups(ServerApi api) {
        groupMembers.forEach((groupId, members) -> api.createGroup(groupId, members.get(0), members));
    }

    /** Connects every device, a few at a time, and waits until all are CONNECTED. */
    void connectAll(String url, ServerApi api) {
        ExecutorService pool = Executors.newFixedThreadPool(CONNECT_THREADS);
        try {
            List<Future<?>> connects = new ArrayList<>();
            for (ScenarioDevice device : allDevices) {
                connects.add(pool.submit(() -> device.connect(url, api)));
            }
            for (Future<?> connect : connects) {
                connect.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("connecting the scenario's devices failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting the scenario's devices", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Retires the user's phone and adds a new device with cursor 0, which the caller connects. */
    ScenarioDevice switchPhone(String user, String newDeviceId) {
        List<ScenarioDevice> devices = devicesByUser.get(user);
        ScenarioDevice old = devices.get(0);
        old.retire();
        ScenarioDevice replacement = newDevice(user, newDeviceId, Platform.IOS);
        devices.set(0, replacement);
        return replacement;
    }

    List<String> users() {
        return users;
    }

    /** Returns the user's current devices, the retired ones left out. */
    List<ScenarioDevice> devicesOf(String user) {
        return devicesByUser.get(user);
    }

    /** Returns every device of the run, retired ones included. */
    List<ScenarioDevice> allDevices() {
        return allDevices;
    }

    Map<String, List<String>> groupMembers() {
        return groupMembers;
    }

    List<String> groupsOf(String user) {
        return groupsByUser.get(user);
    }

    void closeAll() {
        allDevices.forEach(ScenarioDevice::disconnect);
    }
}
