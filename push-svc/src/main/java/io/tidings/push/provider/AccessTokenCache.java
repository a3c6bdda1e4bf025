package io.tidings.push.provider;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Caches a provider's access token until shortly before it expires. Concurrent callers share one
 * fetch, so an expired token is replaced by one request to the token endpoint, not one per send.
 */
public final class AccessTokenCache {

    /** A token and the instant after which it is not used any more. */
    public record AccessToken(String value, Instant expiresAt) {
    }

    private final Supplier<Uni<AccessToken>> fetcher;
    private final Duration refreshMargin;
    private final Clock clock;
    private final AtomicReference<CompletableFuture<AccessToken>> current = new AtomicReference<>();

    /**
     * @param refreshMargin how long before the expiry a new token is fetched
     */
    public AccessTokenCache(Supplier<Uni<AccessToken>> fetcher, Duration refreshMargin, Clock clock) {
        this.fetcher = fetcher;
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    public Uni<String> get() {
        return Uni.createFrom().completionStage(this::currentOrFetch).map(AccessToken::value);
    }

    /**
     * Runs {@code call} with the current token. When {@code tokenRejected} matches the result
     * (the provider rejected the token as revoked or expired), drops the token and runs the call
     * once more with a freshly fetched one.
     */
    public <T> Uni<T> call(Function<String, Uni<T>> call, Predicate<T> tokenRejected) {
        return get().chain(token -> call.apply(token).chain(result -> {
            if (!tokenRejected.test(result)) {
                return Uni.createFrom().item(result);
            }
            invalidate(token);
            return get().chain(fresh -> call.apply(fresh));
        }));
    }

    /** Drops the cached token, after the provider rejected it. */
    public void invalidate(String rejectedValue) {
        CompletableFuture<AccessToken> cached = current.get();
        if (cached != null && cached.isDone() && !cached.isCompletedExceptionally()
                && cached.join().value().equals(rejectedValue)) {
            current.compareAndSet(cached, null);
        }
    }

    private CompletableFuture<AccessToken> currentOrFetch() {
        while (true) {
            CompletableFuture<AccessToken> cached = current.get();
            if (cached != null && !isStale(cached)) {
                return cached;
            }
            CompletableFuture<AccessToken> fetch = new CompletableFuture<>();
            if (current.compareAndSet(cached, fetch)) {
                fetcher.get().subscribe().with(fetch::complete, failure -> {
                    // A failed fetch is not cached: the next send tries again.
                    current.compareAndSet(fetch, null);
                    fetch.completeExceptionally(failure);
                });
                return fetch;
            }
        }
    }

    private boolean isStale(CompletableFuture<AccessToken> cached) {
        if (!cached.isDone()) {
            return false;
        }
        if (cached.isCompletedExceptionally()) {
            return true;
        }
        return !clock.instant().plus(refreshMargin).isBefore(cached.join().expiresAt());
    }
}
