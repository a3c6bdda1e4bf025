package io.tidings.push.settings;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-user push settings in Redis: a hash {@code tidings:{u:<userId>}:push-settings} with the
 * fields below, and a set {@code tidings:{u:<userId>}:push-muted} of canonical conversation keys.
 */
@ApplicationScoped
public class PushSettingsStore {

    static final String DND_START = "dnd_start";
    static final String DND_END = "dnd_end";
    static final String DND_ZONE = "dnd_zone";
    static final String SHOW_PREVIEW = "show_preview";

    private final ReactiveRedisDataSource redis;

    public PushSettingsStore(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    public static String settingsKey(String userId) {
        return "tidings:{u:" + userId + "}:push-settings";
    }

    public static String mutedKey(String userId) {
        return "tidings:{u:" + userId + "}:push-muted";
    }

    public Uni<Void> mute(String userId, List<String> conversationKeys) {
        return changeSet("SADD", userId, conversationKeys);
    }

    public Uni<Void> unmute(String userId, List<String> conversationKeys) {
        return changeSet("SREM", userId, conversationKeys);
    }

    private Uni<Void> changeSet(String command, String userId, List<String> conversationKeys) {
        if (conversationKeys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>();
        args.add(mutedKey(userId));
        args.addAll(conversationKeys);
        return redis.execute(command, args.toArray(String[]::new)).replaceWithVoid();
    }

    /** Stores the window, or removes it when {@code window} is empty. */
    public Uni<Void> setDoNotDisturb(String userId, Optional<DoNotDisturbWindow> window) {
        if (window.isEmpty()) {
            return redis.execute("HDEL", settingsKey(userId), DND_START, DND_END, DND_ZONE).replaceWithVoid();
        }
        DoNotDisturbWindow w = window.get();
        return redis.execute("HSET", settingsKey(userId),
                DND_START, Integer.toString(w.startMinute()),
                DND_END, Integer.toString(w.endMinute()),
                DND_ZONE, w.zone().getId()).replaceWithVoid();
    }

    public Uni<Void> setShowPreview(String userId, boolean showPreview) {
        return redis.execute("HSET", settingsKey(userId), SHOW_PREVIEW, showPreview ? "1" : "0").replaceWithVoid();
    }

    /** Reads the settings that apply to a notification in the given conversation. */
    public Uni<RecipientSettings> load(String userId, String conversationKey) {
        Uni<Response> settings = redis.execute("HGETALL", settingsKey(userId));
        Uni<Response> muted = redis.execute("SISMEMBER", mutedKey(userId), conversationKey);
        return Uni.combine().all().unis(settings, muted).asTuple()
                .map(t -> new RecipientSettings(
                        t.getItem2() != null && t.getItem2().toLong() == 1L,
                        doNotDisturbOf(userId, t.getItem1()),
                        !"0".equals(field(t.getItem1(), SHOW_PREVIEW))));
    }

    private static Optional<DoNotDisturbWindow> doNotDisturbOf(String userId, Response hash) {
        String start = field(hash, DND_START);
        String end = field(hash, DND_END);
        String zone = field(hash, DND_ZONE);
        if (start == null || end == null || zone == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DoNotDisturbWindow(Integer.parseInt(start), Integer.parseInt(end), ZoneId.of(zone)));
        } catch (IllegalArgumentException | DateTimeException e) {
            Log.warnf("Ignoring unreadable do-not-disturb setting userId=%s start=%s end=%s zone=%s: %s",
                    userId, start, end, zone, e.getMessage());
            return Optional.empty();
        }
    }

    private static String field(Response hash, String name) {
        if (hash == null || !hash.containsKey(name)) {
            return null;
        }
        return hash.get(name).toString();
    }
}
