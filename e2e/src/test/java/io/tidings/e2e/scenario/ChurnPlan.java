package io.tidings.e2e.scenario;

import io.tidings.e2e.suite.ServerApi;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Devices going offline and coming back during the traffic, and users moving to a new phone.
 *
 * <p>An offline user closes every device. Each comes back as a new SDK session with the same
 * device id and the kept cursor, so it pulls what it missed. A user who switches phones retires
 * the old phone for good and connects a new device id with cursor 0, which pulls the whole
 * inbox. Times are drawn when the plan starts, relative to the start of the traffic, so that
 * every user is back online before the traffic ends.
 */
final class ChurnPlan {

    private static final int THREADS = 4;

    private final Population population;
    private final ServerApi api;
    private final String url;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(THREADS, runnable -> {
        Thread thread = new Thread(runnable, "scenario-churn");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wentOffline = new AtomicInteger();
    private final AtomicInteger cameBack = new AtomicInteger();
    private final AtomicInteger switched = new AtomicInteger();

    ChurnPlan(Population population, ServerApi api, String url) {
        this.population = population;
        this.api = api;
        this.url = url;
    }

    /** Schedules the offline periods and phone switches of the run; the traffic starts now. */
    void start(TrafficScenario.Config config, Random random) {
        long durationMillis = config.duration().toMillis();
        List<String> users = new ArrayList<>(population.users());
        Collections.shuffle(users, random);
        int switches = Math.min(config.deviceSwitches(), users.size());
        for (String user : users.subList(0, switches)) {
            long at = (long) (durationMillis * (0.2 + 0.6 * random.nextDouble()));
            tasks.add(scheduler.schedule(() -> switchPhone(user), at, TimeUnit.MILLISECONDS));
        }
        int offline = (int) Math.round(config.offlineShare() * config.users());
        long minOffline = config.minOffline().toMillis();
        long maxOffline = config.maxOffline().toMillis();
        for (String user : users.subList(switches, Math.min(users.size(), switches + offline))) {
            long leave = (long) (durationMillis * (0.05 + 0.6 * random.nextDouble()));
            long away = minOffline + (long) ((maxOffline - minOffline) * random.nextDouble());
            long back = Math.min(leave + away, (long) (durationMillis * 0.9));
            tasks.add(scheduler.schedule(() -> goOffline(user), leave, TimeUnit.MILLISECONDS));
            tasks.add(scheduler.schedule(() -> comeBack(user), back, TimeUnit.MILLISECONDS));
        }
    }

    private void goOffline(String user) {
        population.devicesOf(user).forEach(ScenarioDevice::disconnect);
        wentOffline.incrementAndGet();
    }

    private void comeBack(String user) {
        for (ScenarioDevice device : population.devicesOf(user)) {
            connect(device, "reconnecting");
        }
        cameBack.incrementAndGet();
    }

    private void switchPhone(String user) {
        ScenarioDevice replacement = population.switchPhone(user, "phone-2");
        connect(replacement, "connecting the new phone of");
        switched.incrementAndGet();
    }

    private void connect(ScenarioDevice device, String what) {
        try {
            device.connect(url, api);
        } catch (RuntimeException e) {
            problems.add(what + " " + device + " failed: " + e);
        }
    }

    /**
     * Waits for every scheduled change, then connects each non-retired device that is still
     * offline (one whose reconnect failed). Returns the problems met on the way.
     */
    List<String> finish() {
        for (ScheduledFuture<?> task : tasks) {
            try {
                task.get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                problems.add("a churn task failed: " + e);
            }
        }
        scheduler.shutdown();
        for (ScenarioDevice device : population.allDevices()) {
            if (!device.retired() && device.live() == null) {
                problems.add(device + " was still offline after the traffic; connecting it again");
                connect(device, "reconnecting");
            }
        }
        return new ArrayList<>(problems);
    }

    int wentOffline() {
        return wentOffline.get();
    }

    int cameBack() {
        return cameBack.get();
    }

    int switched() {
        return switched.get();
    }
}
