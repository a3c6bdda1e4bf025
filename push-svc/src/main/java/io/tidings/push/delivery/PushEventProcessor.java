package io.tidings.push.delivery;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.ConversationKeys;
import io.tidings.protocol.Ids;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.PushEvent;
import io.tidings.protocol.internal.SessionEntry;
import io.tidings.protocol.v1.Message;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.config.PushConfig;
import io.tidings.push.metrics.PushMetrics;
import io.tidings.push.notification.Notification;
import io.tidings.push.notification.NotificationComposer;
import io.tidings.push.provider.DeviceTarget;
import io.tidings.push.settings.PushSettingsStore;
import io.tidings.push.settings.RecipientSettings;
import io.tidings.push.token.DeviceTokenStore;
import io.tidings.push.token.DeviceTokenStore.StoredToken;
import io.tidings.support.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides and sends the notifications of one PushEvent. No notification when the message has
 * push_disabled, is status-only, was sent by the recipient, is older than max-event-age, or when
 * the recipient muted the conversation or is inside the do-not-disturb window. Otherwise every
 * device with a token and no live session gets one, except devices already finished with in an
 * earlier run of the same event.
 */
@ApplicationScoped
public class PushEventProcessor {

    private final DeviceTokenStore tokens;
    private final PushSettingsStore settings;
    private final SessionRegistry sessions;
    private final SentMarkers markers;
    private final NotificationComposer composer;
    private final NotificationSender sender;
    private final PushMetrics metrics;
    private final PushConfig.Consumer config;

    public PushEventProcessor(DeviceTokenStore tokens, PushSettingsStore settings, SessionRegistry sessions,
            SentMarkers markers, NotificationComposer composer, NotificationSender sender, PushMetrics metrics,
            PushConfig config) {
        this.tokens = tokens;
        this.settings = settings;
        this.sessions = sessions;
        this.markers = markers;
        this.composer = composer;
        this.sender = sender;
        this.metrics = metrics;
        this.config = config.consumer();
    }

    public Uni<EventOutcome> process(PushEvent event) {
        String skipReason = eventSkipReason(event, Instant.now());
        if (skipReason != null) {
            metrics.skipped(skipReason);
            Log.debugf("No push (%s) userId=%s messageId=%s", skipReason, event.getRecipientId(),
                    event.getEntry().getMessage().getMessageId());
            return Uni.createFrom().item(EventOutcome.DONE);
        }
        String userId = event.getRecipientId();
        String conversationKey = ConversationKeys.of(userId, event.getEntry().getConversation());
        return tokens.list(userId).chain(deviceTokens -> {
            Log.debugf("Deciding push userId=%s messageId=%s tokens=%d", userId,
                    event.getEntry().getMessage().getMessageId(), deviceTokens.size());
            if (deviceTokens.isEmpty()) {
                metrics.skipped("no_token");
                return Uni.createFrom().item(EventOutcome.DONE);
            }
            String messageId = event.getEntry().getMessage().getMessageId();
            return Uni.combine().all()
                    .unis(settings.load(userId, conversationKey), sessions.liveSessions(userId),
                            markers.finishedDevices(userId, messageId))
                    .asTuple()
                    .chain(t -> notifyDevices(event, conversationKey, deviceTokens, t.getItem1(), t.getItem2(),
                            t.getItem3()));
        });
    }

    /** Returns why the whole event gets no notification, or null. */
    String eventSkipReason(PushEvent event, Instant now) {
        if (!event.hasEntry() || !event.getEntry().hasMessage() || !Ids.isValidId(event.getRecipientId())
                || event.getEntry().getMessage().getMessageId().isEmpty()) {
            return "malformed";
        }
        try {
            ConversationKeys.of(event.getRecipientId(), event.getEntry().getConversation());
        } catch (TidingsException e) {
            return "malformed";
        }
        Message message = event.getEntry().getMessage();
        if (message.getFlags().getPushDisabled()) {
            return "push_disabled";
        }
        if (message.getFlags().getStatusOnly()) {
            return "status_only";
        }
        if (event.getEntry().getOwn()) {
            return "own_message";
        }
        if (message.getServerTime() > 0
                && now.toEpochMilli() - message.getServerTime() > config.maxEventAge().toMillis()) {
            return "stale";
        }
        return null;
    }

    private Uni<EventOutcome> notifyDevices(PushEvent event, String conversationKey, List<StoredToken> deviceTokens,
            RecipientSettings recipient, Map<String, SessionEntry> live, Set<String> finished) {
        String userId = event.getRecipientId();
        if (recipient.muted()) {
            metrics.skipped("muted");
            return Uni.createFrom().item(EventOutcome.DONE);
        }
        if (recipient.doNotDisturb().filter(window -> window.contains(Instant.now())).isPresent()) {
            metrics.skipped("do_not_disturb");
            return Uni.createFrom().item(EventOutcome.DONE);
        }
        List<DeviceTarget> targets = new ArrayList<>();
        for (StoredToken token : deviceTokens) {
            String deviceId = token.info().getDeviceId();
            if (live.containsKey(deviceId)) {
                metrics.skipped("online");
            } else if (!finished.contains(deviceId)) {
                targets.add(new DeviceTarget(userId, token));
            }
        }
        if (targets.isEmpty()) {
            return Uni.createFrom().item(EventOutcome.DONE);
        }
        Notification notification = composer.compose(event, conversationKey, recipient.showPreview());
        List<Uni<DeviceOutcome>> sends = new ArrayList<>();
        for (DeviceTarget target : targets) {
            sends.add(sender.send(target, notification)
                    .call(outcome -> outcome.isFinal()
                            ? markers.markFinished(userId, notification.messageId(), target.deviceId())
                            : Uni.createFrom().voidItem()));
        }
        return Uni.join().all(sends).andFailFast().map(outcomes -> {
            Set<PushProvider> deferred = EnumSet.noneOf(PushProvider.class);
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) == DeviceOutcome.DEFERRED) {
                    deferred.add(targets.get(i).provider());
                }
            }
            return deferred.isEmpty() ? EventOutcome.DONE : new EventOutcome(deferred);
        });
    }
}
