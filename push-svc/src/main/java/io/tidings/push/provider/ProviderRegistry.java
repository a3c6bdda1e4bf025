package io.tidings.push.provider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.tidings.protocol.v1.PushProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkus.arc.All;
import java.util.List;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** The provider clients by provider, and which of them are enabled. */
@ApplicationScoped
public class ProviderRegistry {

    private final Map<PushProvider, ProviderClient> clients = new EnumMap<>(PushProvider.class);

    // @All marks every ProviderClient bean as used; a plain Instance<> would let Quarkus remove them.
    public ProviderRegistry(@All List<ProviderClient> all) {
        for (ProviderClient client : all) {
            clients.put(client.provider(), client);
        }
    }

    /** Logs one line per provider at start-up: enabled, or disabled and why. */
    void logProviders(@Observes StartupEvent event) {
        clients.values().forEach(client -> client.disabledReason().ifPresentOrElse(
                reason -> Log.infof("Push provider %s is disabled: %s", client.provider(), reason),
                () -> Log.infof("Push provider %s is enabled", client.provider())));
    }

    /** Returns the provider's client when the provider is enabled. */
    public Optional<ProviderClient> enabled(PushProvider provider) {
        ProviderClient client = clients.get(provider);
        return client == null || client.disabledReason().isPresent() ? Optional.empty() : Optional.of(client);
    }
}
