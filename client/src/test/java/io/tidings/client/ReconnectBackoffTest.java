package io.tidings.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

    @Test
    void nominalStepsThenRepeatLast() {
        ReconnectBackoff backoff = ReconnectBackoff.standard();
        long[] expectedMs = {100, 1000, 3000, 6000, 10000, 18000, 18000, 18000};
        for (int attempt = 0; attempt < expectedMs.length; attempt++) {
            assertEquals(expectedMs[attempt], backoff.nominalDelay(attempt).toMillis(), "attempt " + attempt);
        }
        assertEquals(18000, backoff.nominalDelay(1000).toMillis());
    }

    @Test
    void jitterStaysWithinBounds() {
        ReconnectBackoff backoff = new ReconnectBackoff(ReconnectBackoff.DEFAULT_STEPS, 0.2, new Random(7));
        boolean sawDifferent = false;
        for (int i = 0; i < 500; i++) {
            long delay = backoff.delay(2).toMillis();
            assertTrue(delay >= 2400 && delay <= 3600, "delay " + delay + " outside 3000 ms +-20%");
            sawDifferent |= delay != 3000;
        }
        assertTrue(sawDifferent, "jitter never changed the delay");
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(List.of(), 0.1, new Random()));
        assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(List.of(Duration.ofSeconds(1)), 1.5, new Random()));
    }
}
