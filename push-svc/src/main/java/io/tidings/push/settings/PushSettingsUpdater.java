package io.tidings.push.settings;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.SetPushSettingsCommand;
import io.tidings.protocol.v1.Conversation;
import io.tidings.protocol.v1.DoNotDisturb;
import io.tidings.protocol.v1.SetPushSettingsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Validates and applies SetPushSettings: mutes, do-not-disturb window and previews. */
@ApplicationScoped
public class PushSettingsUpdater {

    /** Most conversations one request may mute or unmute together. */
    static final int MAX_CONVERSATIONS_PER_REQUEST = 500;

    private final PushSettingsStore store;

    public PushSettingsUpdater(PushSettingsStore store) {
        this.store = store;
    }

    /** Validates the whole command, then applies the fields that are set. */
    public Uni<Void> apply(SetPushSettingsCommand command) {
        return Uni.createFrom().item(() -> validate(command)).chain(this::store);
    }

    private Uni<Void> store(ValidSettings valid) {
        Uni<Void> chain = store.mute(valid.userId(), valid.mute())
                .chain(() -> store.unmute(valid.userId(), valid.unmute()));
        if (valid.doNotDisturbSet()) {
            chain = chain.chain(() -> store.setDoNotDisturb(valid.userId(), valid.doNotDisturb()));
        }
        if (valid.showPreview().isPresent()) {
            chain = chain.chain(() -> store.setShowPreview(valid.userId(), valid.showPreview().get()));
        }
        return chain.invoke(() -> Log.infof("Updated push settings userId=%s muted=%d unmuted=%d dnd=%s preview=%s",
                valid.userId(), valid.mute().size(), valid.unmute().size(),
                valid.doNotDisturbSet() ? valid.doNotDisturb().map(Object::toString).orElse("off") : "unchanged",
                valid.showPreview().map(Object::toString).orElse("unchanged")));
    }

    static ValidSettings validate(SetPushSettingsCommand command) {
        String userId = Ids.requireId("user_id", command.getUserId());
        SetPushSettingsRequest request = command.getRequest();
        List<String> mute = conversationKeys(userId, "mute", request.getMuteList());
        List<String> unmute = conversationKeys(userId, "unmute", request.getUnmuteList());
        Set<String> both = new HashSet<>(mute);
        both.retainAll(unmute);
        if (!both.isEmpty()) {
            throw TidingsException.invalidArgument("conversation " + both.iterator().next()
                    + " is in both mute and unmute: send it in one of them");
        }
        Optional<DoNotDisturbWindow> window = request.hasDoNotDisturb()
                ? doNotDisturbOf(request.getDoNotDisturb())
                : Optional.empty();
        Optional<Boolean> showPreview = request.hasShowPreview()
                ? Optional.of(request.getShowPreview())
                : Optional.empty();
        return new ValidSettings(userId, mute, unmute, request.hasDoNotDisturb(), window, showPreview);
    }

    private static List<String> conversationKeys(String userId, String field, List<Conversation> conversations) {
        if (conversations.size() > MAX_CONVERSATIONS_PER_REQUEST) {
            throw TidingsException.invalidArgument(field + " has " + conversations.size()
                    + " conversations; the maximum per request is " + MAX_CONVERSATIONS_PER_REQUEST);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < conversations.size(); i++) {
            Conversation c = conversations.get(i);
            Ids.requireId(field + "[" + i + "].target_id", c.getTargetId());
            try {
                keys.add(ConversationKeys.of(userId, c));
            } catch (TidingsException e) {
                throw TidingsException.invalidArgument(field + "[" + i + "]." + e.getMessage());
            }
        }
        return keys;
    }

    static Optional<DoNotDisturbWindow> doNotDisturbOf(DoNotDisturb dnd) {
        requireMinute("do_not_disturb.start_minute", dnd.getStartMinute());
        requireMinute("do_not_disturb.end_minute", dnd.getEndMinute());
        if (dnd.getStartMinute() == dnd.getEndMinute()) {
            return Optional.empty();
        }
        if (dnd.getTimeZone().isEmpty()) {
            throw TidingsException.invalidArgument(
                    "do_not_disturb.time_zone is empty: set an IANA zone id such as Asia/Shanghai");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(dnd.getTimeZone());
        } catch (DateTimeException e) {
            throw TidingsException.invalidArgument("do_not_disturb.time_zone '" + dnd.getTimeZone()
                    + "' is not an IANA time zone id such as Asia/Shanghai");
        }
        return Optional.of(new DoNotDisturbWindow(dnd.getStartMinute(), dnd.getEndMinute(), zone));
    }

    private static void requireMinute(String field, int minute) {
        // uint32 in the proto: values above 2^31 arrive negative.
        if (minute < 0 || minute > DoNotDisturbWindow.MAX_MINUTE) {
            throw TidingsException.invalidArgument(field + " " + Integer.toUnsignedString(minute)
                    + " is out of range: use 0.." + DoNotDisturbWindow.MAX_MINUTE + " (minutes after midnight)");
        }
    }

    record ValidSettings(
            String userId,
            List<String> mute,
            List<String> unmute,
            boolean doNotDisturbSet,
            Optional<DoNotDisturbWindow> doNotDisturb,
            Optional<Boolean> showPreview) {
    }
}
