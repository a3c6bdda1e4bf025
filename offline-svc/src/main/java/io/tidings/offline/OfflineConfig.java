package io.tidings.offline;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of offline-svc, under the prefix {@code tidings.offline}. */
@ConfigMapping(prefix = "tidings.offline")
public interface OfflineConfig {

    /**
     * Days an inbox entry is kept after its sync time, from 1 to 30. Other values stop the
     * service at start-up.
     */
    @WithDefault("7")
    int retentionDays();

    /**
     * Maximum number of entries that one conversation keeps in one user's inbox, from 1 to
     * 100,000. When a conversation exceeds it, that conversation's oldest entries are evicted,
     * so one busy group never pushes other conversations' entries out.
     */
    @WithDefault("1000")
    int conversationCap();

    /**
     * Maximum time one Redis round trip may take. A call that takes longer fails with TIMEOUT
     * and may still have taken effect, which is safe to retry because Append is idempotent.
     */
    @WithDefault("5s")
    Duration redisTimeout();
}
