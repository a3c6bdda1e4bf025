package io.tidings.routing.fanout;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.logging.Log;
import io.tidings.protocol.internal.MutinyConnectorServiceGrpc;
import io.tidings.protocol.internal.MutinyConnectorServiceGrpc.MutinyConnectorServiceStub;
import io.tidings.routing.RoutingConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel per connector address (host:port from the session registry), created on first
 * use and closed after {@code tidings.routing.connector.channel-idle-timeout} without calls, so
 * that channels to connectors that went away do not pile up.
 */
@ApplicationScoped
public class ConnectorChannels {

    private final Map<String, CachedChannel> channels = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final ScheduledExecutorService evictor;

    @Inject
    public ConnectorChannels(RoutingConfig config) {
        this(config.connector().channelIdleTimeout());
    }

    ConnectorChannels(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        this.evictor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tidings-connector-channel-evictor");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, Math.min(idleTimeout.toMillis() / 2, 60_000));
        evictor.scheduleAtFixedRate(this::evictIdle, period, period, TimeUnit.MILLISECONDS);
    }

    /** Returns a stub for the connector at {@code address}, creating its channel if needed. */
    public MutinyConnectorServiceStub stub(String address) {
        // compute() runs atomically per address, so eviction cannot close a channel handed out here.
        return channels.compute(address, (key, cached) -> {
            CachedChannel current = cached != null ? cached : CachedChannel.open(key);
            current.lastUsed = System.nanoTime();
            return current;
        }).stub;
    }

    /** Returns the number of open channels. */
    public int size() {
        return channels.size();
    }

    void evictIdle() {
        for (String address : channels.keySet()) {
            channels.computeIfPresent(address, (key, cached) -> {
                if (System.nanoTime() - cached.lastUsed <= idleTimeout.toNanos()) {
                    return cached;
                }
                Log.debugf("Closing the idle channel to connector %s", key);
                cached.channel.shutdown();
                return null;
            });
        }
    }

    @PreDestroy
    void close() {
        evictor.shutdownNow();
        channels.values().forEach(cached -> cached.channel.shutdownNow());
        channels.clear();
    }

    private static final class CachedChannel {

        final ManagedChannel channel;
        final MutinyConnectorServiceStub stub;
        volatile long lastUsed = System.nanoTime();

        private CachedChannel(ManagedChannel channel) {
            this.channel = channel;
            this.stub = MutinyConnectorServiceGrpc.newMutinyStub(channel);
        }

        static CachedChannel open(String address) {
            Log.infof("Opening a channel to connector %s", address);
            return new CachedChannel(ManagedChannelBuilder.forTarget(address).usePlaintext().build());
        }
    }
}
