package io.tidings.offline.inbox;

import io.tidings.offline.OfflineConfig;
import java.time.Duration;

/**
 * The validated inbox settings that the logic classes use.
 *
 * @param retention how long an entry is kept after its sync time
 * @param conversationCap maximum entries per conversation in one user's inbox
 * @param redisTimeout maximum time of one Redis round trip
 */
public record InboxSettings(Duration retention, int conversationCap, Duration redisTimeout) {

    public static final int MIN_RETENTION_DAYS = 1;
    public static final int MAX_RETENTION_DAYS = 30;
    public static final int MAX_CONVERSATION_CAP = 100_000;

    /**
     * Extra lifetime of a user's keys beyond the retention, so that the keys of a user who goes
     * quiet outlive the last entry they hold and then expire as a whole.
     */
    private static final Duration KEY_TTL_MARGIN = Duration.ofDays(1);

    /**
     * Validates the configuration.
     *
     * @throws IllegalArgumentException naming the property, its value and the allowed range
     */
    public static InboxSettings from(OfflineConfig config) {
        return of(config.retentionDays(), config.conversationCap(), config.redisTimeout());
    }

    /**
     * Validates the values.
     *
     * @throws IllegalArgumentException naming the property, its value and the allowed range
     */
    public static InboxSettings of(int retentionDays, int conversationCap, Duration redisTimeout) {
        if (retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS) {
            throw new IllegalArgumentException("tidings.offline.retention-days is " + retentionDays
                    + " but must be between " + MIN_RETENTION_DAYS + " and " + MAX_RETENTION_DAYS
                    + " (days an inbox entry is kept)");
        }
        if (conversationCap < 1 || conversationCap > MAX_CONVERSATION_CAP) {
            throw new IllegalArgumentException("tidings.offline.conversation-cap is " + conversationCap
                    + " but must be between 1 and " + MAX_CONVERSATION_CAP
                    + " (entries per conversation in one user's inbox)");
        }
        if (redisTimeout.isNegative() || redisTimeout.isZero()) {
            throw new IllegalArgumentException("tidings.offline.redis-timeout is " + redisTimeout
                    + " but must be positive, for example 5s");
        }
        return new InboxSettings(Duration.ofDays(retentionDays), conversationCap, redisTimeout);
    }

    /** Returns the sync time below which entries are past retention at {@code nowMillis}. */
    public long retentionCutoff(long nowMillis) {
        return nowMillis - retention.toMillis();
    }

    /** Returns the lifetime given to a user's keys on every write. */
    public Duration keyTtl() {
        return retention.plus(KEY_TTL_MARGIN);
    }
}
