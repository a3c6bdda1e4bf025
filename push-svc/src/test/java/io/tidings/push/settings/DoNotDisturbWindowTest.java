package io.tidings.push.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DoNotDisturbWindowTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private static Instant shanghai(String localTime) {
        return Instant.parse("2026-03-01T" + localTime + ":00+08:00".replace("+08:00", "Z")).minusSeconds(8 * 3600);
    }

    @Test
    void windowWithinOneDay() {
        DoNotDisturbWindow window = new DoNotDisturbWindow(13 * 60, 14 * 60, SHANGHAI);
        assertThat(window.contains(shanghai("12:59"))).isFalse();
        assertThat(window.contains(shanghai("13:00"))).isTrue();
        assertThat(window.contains(shanghai("13:59"))).isTrue();
        assertThat(window.contains(shanghai("14:00"))).isFalse();
    }

    @Test
    void windowAcrossMidnight() {
        DoNotDisturbWindow window = new DoNotDisturbWindow(22 * 60, 8 * 60, SHANGHAI);
        assertThat(window.contains(shanghai("21:59"))).isFalse();
        assertThat(window.contains(shanghai("22:00"))).isTrue();
        assertThat(window.contains(shanghai("23:59"))).isTrue();
        assertThat(window.contains(shanghai("00:00"))).isTrue();
        assertThat(window.contains(shanghai("07:59"))).isTrue();
        assertThat(window.contains(shanghai("08:00"))).isFalse();
        assertThat(window.contains(shanghai("12:00"))).isFalse();
    }

    @Test
    void zoneDecidesTheLocalTime() {
        DoNotDisturbWindow window = new DoNotDisturbWindow(0, 60, ZoneId.of("UTC"));
        // 00:30 UTC is 08:30 in Shanghai: inside for UTC, outside for Shanghai.
        Instant instant = Instant.parse("2026-03-01T00:30:00Z");
        assertThat(window.contains(instant)).isTrue();
        assertThat(new DoNotDisturbWindow(0, 60, SHANGHAI).contains(instant)).isFalse();
    }

    @Test
    void invalidMinutesAreRejected() {
        assertThatThrownBy(() -> new DoNotDisturbWindow(1440, 0, SHANGHAI)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DoNotDisturbWindow(5, 5, SHANGHAI)).isInstanceOf(IllegalArgumentException.class);
    }
}
