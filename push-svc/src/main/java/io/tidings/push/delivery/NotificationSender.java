package io.tidings.push.delivery;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.metrics.PushMetrics;
import io.tidings.push.notification.Notification;
import io.tidings.push.provider.DeviceTarget;
import io.tidings.push.provider.ProviderClient;
import io.tidings.push.provider.ProviderRegistry;
import io.tidings.push.provider.SendResult;
import io.tidings.push.token.DeviceTokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends one notification to one device through its provider: retries transient failures with
 * backoff, feeds the provider's circuit breaker, deletes rejected tokens and counts everything.
 */
@ApplicationScoped
public class NotificationSender {

    private final ProviderRegistry providers;
    private final CircuitBreakers breakers;
    private final RetryPolicy retryPolicy;
    private final DeviceTokenStore tokens;
    private final PushMetrics metrics;

    public NotificationSender(ProviderRegistry providers, CircuitBreakers breakers, RetryPolicy retryPolicy,
            DeviceTokenStore tokens, PushMetrics metrics) {
        this.providers = providers;
        this.breakers = breakers;
        this.retryPolicy = retryPolicy;
        this.tokens = tokens;
        this.metrics = metrics;
    }

    public Uni<DeviceOutcome> send(DeviceTarget target, Notification notification) {
        Optional<ProviderClient> client = providers.enabled(target.provider());
        if (client.isEmpty()) {
            // The provider's start-up line already says it is disabled; count, do not log per message.
            metrics.skipped("provider_disabled");
            return Uni.createFrom().item(DeviceOutcome.DROPPED);
        }
        return attempt(client.get(), target, notification, 1);
    }

    private Uni<DeviceOutcome> attempt(ProviderClient client, DeviceTarget target, Notification notification,
            int attempt) {
        PushProvider provider = target.provider();
        CircuitBreaker breaker = breakers.of(provider);
        if (!breaker.tryAcquire()) {
            metrics.deferred(provider);
            return Uni.createFrom().item(DeviceOutcome.DEFERRED);
        }
        long started = System.nanoTime();
        return client.send(target, notification)
                .onFailure().recoverWithItem(failure -> {
                    Log.errorf(failure, "Push client %s failed unexpectedly userId=%s deviceId=%s messageId=%s",
                            provider, target.userId(), target.deviceId(), notification.messageId());
                    return SendResult.Retryable.of("internal_error");
                })
                .chain(result -> handle(client, target, notification, attempt, result,
                        Duration.ofNanos(System.nanoTime() - started)));
    }

    private Uni<DeviceOutcome> handle(ProviderClient client, DeviceTarget target, Notification notification,
            int attempt, SendResult result, Duration latency) {
        PushProvider provider = target.provider();
        CircuitBreaker breaker = breakers.of(provider);
        if (result instanceof SendResult.Delivered) {
            breaker.onSuccess();
            metrics.sent(provider, latency);
            Log.debugf("Pushed via %s userId=%s deviceId=%s messageId=%s", provider, target.userId(),
                    target.deviceId(), notification.messageId());
            return Uni.createFrom().item(DeviceOutcome.DELIVERED);
        }
        metrics.failed(provider, result.reason());
        if (result instanceof SendResult.InvalidToken) {
            breaker.onSuccess();
            return removeToken(target, notification, result.reason());
        }
        if (result instanceof SendResult.Rejected) {
            breaker.onSuccess();
            Log.warnf("%s rejected the notification (%s); not retried userId=%s deviceId=%s messageId=%s",
                    provider, result.reason(), target.userId(), target.deviceId(), notification.messageId());
            return Uni.createFrom().item(DeviceOutcome.DROPPED);
        }
        SendResult.Retryable retryable = (SendResult.Retryable) result;
        breaker.onFailure();
        if (retryPolicy.exceedsMaxRetryAfter(retryable.retryAfter())) {
            breaker.openFor(retryable.retryAfter().get());
        }
        if (breaker.isOpen()) {
            metrics.deferred(provider);
            Log.infof("%s failed (%s) and its circuit breaker is open; the event waits in Kafka userId=%s "
                    + "deviceId=%s messageId=%s", provider, retryable.reason(), target.userId(), target.deviceId(),
                    notification.messageId());
            return Uni.createFrom().item(DeviceOutcome.DEFERRED);
        }
        if (attempt >= retryPolicy.maxAttempts()) {
            Log.errorf("%s failed %d times (last: %s); notification dropped userId=%s deviceId=%s messageId=%s",
                    provider, attempt, retryable.reason(), target.userId(), target.deviceId(), notification.messageId());
            return Uni.createFrom().item(DeviceOutcome.DROPPED);
        }
        Duration delay = retryPolicy.delayAfter(attempt, retryable.retryAfter());
        metrics.retried(provider);
        Log.infof("%s failed (%s); retry %d in %d ms userId=%s deviceId=%s messageId=%s", provider,
                retryable.reason(), attempt + 1, delay.toMillis(), target.userId(), target.deviceId(),
                notification.messageId());
        return Uni.createFrom().item(Boolean.TRUE).onItem().delayIt().by(delay)
                .chain(() -> attempt(client, target, notification, attempt + 1));
    }

    private Uni<DeviceOutcome> removeToken(DeviceTarget target, Notification notification, String reason) {
        return tokens.removeIfUnchanged(target.userId(), target.storedToken())
                .map(removed -> {
                    if (removed) {
                        metrics.tokenRemoved(target.provider());
                    }
                    Log.infof("%s reports the device token invalid (%s); removed=%s userId=%s deviceId=%s messageId=%s",
                            target.provider(), reason, removed, target.userId(), target.deviceId(),
                            notification.messageId());
                    return DeviceOutcome.TOKEN_REMOVED;
                });
    }
}
