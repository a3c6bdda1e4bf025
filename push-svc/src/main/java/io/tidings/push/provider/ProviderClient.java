package io.tidings.push.provider;

import io.smallrye.mutiny.Uni;
import io.tidings.protocol.v1.PushProvider;
import io.tidings.push.notification.Notification;
import java.util.Optional;

/**
 * An HTTP client of one push provider's documented API. Implementations keep one pooled
 * {@link java.net.http.HttpClient} and cache their access token; retries, the circuit breaker and
 * token removal live in the caller.
 */
public interface ProviderClient {

    PushProvider provider();

    /** Returns why the provider is disabled (missing credentials), or empty when it is enabled. */
    Optional<String> disabledReason();

    /**
     * Sends one notification to one device. Transport failures complete the Uni with a
     * {@link SendResult.Retryable} instead of failing it.
     */
    Uni<SendResult> send(DeviceTarget target, Notification notification);
}
