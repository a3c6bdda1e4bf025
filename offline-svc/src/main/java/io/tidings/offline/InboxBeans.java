package io.tidings.offline;

import io.quarkus.runtime.Startup;
import io.tidings.offline.inbox.InboxSettings;
import io.tidings.support.redis.ScriptRunner;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

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

    /** Produces the Lua script runner of the inbox, with tidings.offline.redis-timeout per round trip. */
    @Produces
    @Singleton
    ScriptRunner scriptRunner(Redis redis, InboxSettings settings,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        return new ScriptRunner(redis, ScriptRunner.clusterClientType(clientType), settings.redisTimeout());
    }

    /** Produces the clock for sync times and retention. Tests construct the logic classes with their own. */
    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
