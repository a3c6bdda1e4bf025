package io.tidings.push.settings;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * A daily do-not-disturb window in the user's time zone, in minutes after midnight. The start is
 * inside the window and the end is not; a window whose start is after its end crosses midnight
 * (1320 to 480 is 22:00 to 08:00).
 */
public record DoNotDisturbWindow(int startMinute, int endMinute, ZoneId zone) {

    public static final int MAX_MINUTE = 1439;

    public DoNotDisturbWindow {
        if (startMinute < 0 || startMinute > MAX_MINUTE || endMinute < 0 || endMinute > MAX_MINUTE) {
            throw new IllegalArgumentException("minutes must lie in 0.." + MAX_MINUTE);
        }
        if (startMinute == endMinute) {
            throw new IllegalArgumentException("an empty window is no window");
        }
    }

    /** Returns whether {@code instant} falls inside the window. */
    public boolean contains(Instant instant) {
        LocalTime local = instant.atZone(zone).toLocalTime();
        int minute = local.getHour() * 60 + local.getMinute();
        if (startMinute < endMinute) {
            return minute >= startMinute && minute < endMinute;
        }
        return minute >= startMinute || minute < endMinute;
    }
}
