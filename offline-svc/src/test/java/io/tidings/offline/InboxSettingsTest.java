package io.tidings.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.offline.inbox.InboxSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InboxSettingsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void retentionOutsideRangeRejected() {
        for (int days : new int[] {0, -1, 31, 365}) {
            assertThatThrownBy(() -> InboxSettings.of(days, 1000, TIMEOUT))
                    .as("retention of %d days", days)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tidings.offline.retention-days is " + days)
                    .hasMessageContaining("between 1 and 30");
        }
    }

    @Test
    void retentionBoundsAccepted() {
        assertThat(InboxSettings.of(1, 1000, TIMEOUT).retention()).isEqualTo(Duration.ofDays(1));
        assertThat(InboxSettings.of(30, 1000, TIMEOUT).retention()).isEqualTo(Duration.ofDays(30));
        assertThat(InboxSettings.of(7, 1000, TIMEOUT).keyTtl()).isEqualTo(Duration.ofDays(8));
    }

    @Test
    void conversationCapOutsideRangeRejected() {
        for (int cap : new int[] {0, -5, 100_001}) {
            assertThatThrownBy(() -> InboxSettings.of(7, cap, TIMEOUT))
                    .as("cap %d", cap)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tidings.offline.conversation-cap is " + cap);
        }
    }

    @Test
    void zeroRedisTimeoutRejected() {
        assertThatThrownBy(() -> InboxSettings.of(7, 1000, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tidings.offline.redis-timeout");
    }

    @Test
    void retentionCutoffSubtractsRetention() {
        InboxSettings settings = InboxSettings.of(2, 1000, TIMEOUT);

        assertThat(settings.retentionCutoff(Duration.ofDays(10).toMillis())).isEqualTo(Duration.ofDays(8).toMillis());
    }
}
