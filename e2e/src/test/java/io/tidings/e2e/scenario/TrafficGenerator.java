package io.tidings.e2e.scenario;

import io.tidings.client.TidingsClientException;
import io.tidings.e2e.suite.Device;
import io.tidings.protocol.v1.Conversation;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends messages at a target rate from one thread, open loop: each send has a time slot and the
 * generator does not wait for acks, except that at most {@code maxInFlight} sends may be
 * unacked. A burst takes several consecutive slots and sends that many messages back to back
 * (without waiting for acks) from one device to one conversation.
 *
 * <p>Senders are drawn from a Zipf distribution over the users. A drawn user that is offline or
 * whose devices have used up their {@link SendBudget} is drawn again, up to a few times, and then
 * the first user with budget after a random start is taken; both count as redirected draws.
 */
final class TrafficGenerator {

    private static final int ZIPF_DRAWS = 16;

    private final TrafficScenario.Config config;
    private final Population population;
    private final String runId;
    private final Random random;
    private final ZipfDistribution senders;
    private final Semaphore inFlight;
    private final Queue<SentMessage> sent = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final Histogram ackLatencyMicros = new Histogram(3_600_000_000L, 3);
    private volatile long measuredFromNanos = Long.MIN_VALUE;
    private long sequence;
    private long redirectedDraws;
    private long budgetWaits;
    private long bursts;

    TrafficGenerator(TrafficScenario.Config config, Population population, String runId, Random random) {
        this.config = config;
        this.population = population;
        this.runId = runId;
        this.random = random;
        this.senders = new ZipfDistribution(config.users(), config.zipfExponent());
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /** A device with send budget and its connected SDK device. */
    private record Sender(ScenarioDevice device, Device live) {
    }

    /** Sends until {@code endNanos}, with the first slot at {@code startNanos}. */
    void run(long startNanos, long endNanos) {
        double slotNanos = 1e9 / config.rate();
        double nextSlot = startNanos;
        long nextBurst = config.burstSize() > 0 ? startNanos + config.burstInterval().toNanos() : Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            if (now >= endNanos) {
                return;
            }
            if (now < nextSlot) {
                LockSupport.parkNanos((long) nextSlot - now);
                continue;
            }
            boolean burst = now >= nextBurst;
            int count = burst ? config.burstSize() : 1;
            Sender sender = pickSender(count, now);
            if (sender == null) {
                budgetWaits++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                continue;
            }
            String user = sender.device().userId();
            Conversation conversation = pickConversation(user);
            List<String> recipients = recipients(user, conversation);
            for (int i = 0; i < count; i++) {
                send(sender, conversation, recipients);
            }
            if (burst) {
                bursts++;
                nextBurst += config.burstInterval().toNanos();
            }
            nextSlot += slotNanos * count;
        }
    }

    private Sender pickSender(int count, long now) {
        for (int draw = 0; draw < ZIPF_DRAWS; draw++) {
            Sender sender = withBudget(population.users().get(senders.sample(random)), count, now);
            if (sender != null) {
                if (draw > 0) {
                    redirectedDraws++;
                }
                return sender;
            }
        }
        List<String> users = population.users();
        int start = random.nextInt(users.size());
        for (int i = 0; i < users.size(); i++) {
            Sender sender = withBudget(users.get((start + i) % users.size()), count, now);
            if (sender != null) {
                redirectedDraws++;
                return sender;
            }
        }
        return null;
    }

    private Sender withBudget(String user, int count, long now) {
        List<ScenarioDevice> devices = population.devicesOf(user);
        int start = random.nextInt(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            ScenarioDevice device = devices.get((start + i) % devices.size());
            Device live = device.live();
            if (live != null && device.budget().tryTake(count, now)) {
                return new Sender(device, live);
            }
        }
        return null;
    }

    private Conversation pickConversation(String user) {
        List<String> groups = population.groupsOf(user);
        if (!groups.isEmpty() && random.nextDouble() < config.groupShare()) {
            return Device.group(groups.get(random.nextInt(groups.size())));
        }
        List<String> users = population.users();
        String peer;
        do {
            peer = users.get(random.nextInt(users.size()));
        } while (peer.equals(user));
        return Device.privateWith(peer);
    }

    private List<String> recipients(String sender, Conversation conversation) {
        return switch (conversation.getType()) {
            case GROUP -> population.groupMembers().get(conversation.getTargetId());
            case PRIVATE -> List.of(conversation.getTargetId(), sender);
            default -> throw new IllegalArgumentException("the scenario sends no " + conversation.getType() + " messages");
        };
    }

    private void send(Sender sender, Conversation conversation, List<String> recipients) {
        String clientMessageId = "m" + (sequence++) + "-" + runId;
        inFlight.acquireUninterruptibly();
        SentMessage message = new SentMessage(clientMessageId, sender.device(), conversation, recipients, System.nanoTime());
        sent.add(message);
        sender.live().client()
                .send(Device.textRequest(conversation, clientMessageId, clientMessageId))
                .whenComplete((ack, failure) -> {
                    long now = System.nanoTime();
                    if (failure == null) {
                        message.acked(ack, now);
                        if (message.sentAtNanos() >= measuredFromNanos) {
                            recordAckLatency((now - message.sentAtNanos()) / 1_000);
                        }
                    } else {
                        message.failed(failure);
                        if (message.sentAtNanos() >= measuredFromNanos) {
                            failures.computeIfAbsent(failureKind(failure), kind -> new AtomicLong()).incrementAndGet();
                        }
                    }
                    inFlight.release();
                });
    }

    /** Times and counts the failures of only the sends made from {@code nanos} on, and drops the ack latencies recorded before. */
    synchronized void measureFrom(long nanos) {
        measuredFromNanos = nanos;
        ackLatencyMicros.reset();
        failures.clear();
    }

    private synchronized void recordAckLatency(long micros) {
        ackLatencyMicros.recordValue(Math.min(Math.max(0, micros), ackLatencyMicros.getHighestTrackableValue()));
    }

    private static String failureKind(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TidingsClientException client) {
            return client.code().name();
        }
        return cause.getClass().getSimpleName();
    }

    /** Waits until every send has its ack or failure, or the timeout passes; returns the sends still open. */
    int awaitAcks(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (inFlight.availablePermits() == config.maxInFlight()) {
                return 0;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        return config.maxInFlight() - inFlight.availablePermits();
    }

    Queue<SentMessage> sent() {
        return sent;
    }

    Map<String, AtomicLong> failures() {
        return failures;
    }

    synchronized Histogram ackLatencyMicros() {
        return ackLatencyMicros.copy();
    }

    long redirectedDraws() {
        return redirectedDraws;
    }

    long budgetWaits() {
        return budgetWaits;
    }

    long bursts() {
        return bursts;
    }
}
