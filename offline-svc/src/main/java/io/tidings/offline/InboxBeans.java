package io.tidings.offline;

import io.quarkus.runtime.Startup;
import io.tidings.offline.inbox.InboxSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Produces the beans that the inbox logic classes take in their constructors. */
public class InboxBeans {

    /**
     * Validates the configuration at start-up, so that a bad value stops the service with a
     * message naming the property instead of failing the first request.
     */
    @Produces
    @Singleton
    @Startup
    InboxSettings inboxSettings(OfflineConfig config) {
        return InboxSettings.from(config);
    }

    /** Produces the clock for sync times and retention. Tests construct the logic classes with their own. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
