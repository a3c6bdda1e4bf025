package io.tidings.client;

import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * Delays between reconnect attempts: 0.1 s, 1 s, 3 s, 6 s, 10 s, 18 s, then 18 s for every later
 * attempt. Each delay is spread by up to {@code jitter} in both directions, so that the devices
 * of a restarted connector do not all reconnect in the same millisecond.
 */
public final class ReconnectBackoff {

    public static final List<Duration> DEFAULT_STEPS = List.of(
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(6), Duration.ofSeconds(10), Duration.ofSeconds(18));

    private final List<Duration> steps;
    private final double jitter;
    private final Random random;

    /**
     * @param steps the delays of the first attempts; the last one repeats
     * @param jitter the maximum spread as a fraction of the delay, 0 to 1
     */
    public ReconnectBackoff(List<Duration> steps, double jitter, Random random) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps is empty: give at least one delay");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter " + jitter + " is out of range 0..1");
        }
        this.steps = List.copyOf(steps);
        this.jitter = jitter;
        this.random = random;
    }

    public static ReconnectBackoff standard() {
        return new ReconnectBackoff(DEFAULT_STEPS, 0.2, new Random());
    }

    /** Returns the nominal delay before attempt {@code attempt}, counting from 0, without jitter. */
    public Duration nominalDelay(int attempt) {
        return steps.get(Math.min(Math.max(attempt, 0), steps.size() - 1));
    }

    /** Returns the delay before attempt {@code attempt} with jitter applied. */
    public Duration delay(int attempt) {
        long nominal = nominalDelay(attempt).toMillis();
        double factor = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(nominal * factor));
    }
}
