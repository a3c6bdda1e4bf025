package io.tidings.connector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tidings.protocol.v1.ConversationType;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Platform;
import io.tidings.support.metrics.ErrorCounter;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of connector-svc, all named {@code tidings.connector.*}:
 * <ul>
 *   <li>{@code sessions} (gauge, tag platform): CONNECTED sessions on this instance
 *   <li>{@code connects} (counter, tag platform): successful Connects
 *   <li>{@code auth.failures} (counter, tag code): rejected Connects
 *   <li>{@code kicks} (counter, tag reason): sessions ended by Kicked
 *   <li>{@code frames.in}, {@code frames.out}, {@code bytes.in}, {@code bytes.out} (counters)
 *   <li>{@code delivery.latency} (timer with histogram, tag conversation_type): from a message's
 *       server time until its Deliver frame was written to a live session
 * </ul>
 * ErrorReply frames are counted in {@link ErrorCounter} ({@code tidings.errors}).
 */
@Startup
@ApplicationScoped
public class ConnectorMetrics {

    private final MeterRegistry registry;
    private final Map<Platform, AtomicInteger> sessions = new EnumMap<>(Platform.class);
    private final Map<Platform, Counter> connects = new EnumMap<>(Platform.class);
    private final Map<ErrorCode, Counter> authFailures = new ConcurrentHashMap<>();
    private final Map<Kicked.Reason, Counter> kicks = new ConcurrentHashMap<>();
    private final Map<ConversationType, Timer> deliveryLatency = new ConcurrentHashMap<>();
    private final ErrorCounter errors;
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;

    public ConnectorMetrics(MeterRegistry registry, ErrorCounter errors) {
        this.registry = registry;
        this.errors = errors;
        for (Platform platform : Platform.values()) {
            if (platform == Platform.UNRECOGNIZED || platform == Platform.PLATFORM_UNSPECIFIED) {
                continue;
            }
            String tag = platform.name().toLowerCase();
            AtomicInteger gauge = new AtomicInteger();
            sessions.put(platform, gauge);
            Gauge.builder("tidings.connector.sessions", gauge, AtomicInteger::get)
                    .description("Live authenticated sessions on this connector")
                    .tag("platform", tag)
                    .register(registry);
            connects.put(platform, Counter.builder("tidings.connector.connects")
                    .description("Successful Connects").tag("platform", tag).register(registry));
        }
        framesIn = Counter.builder("tidings.connector.frames.in").description("Frames received").register(registry);
        framesOut = Counter.builder("tidings.connector.frames.out").description("Frames sent").register(registry);
        bytesIn = Counter.builder("tidings.connector.bytes.in").baseUnit("bytes").register(registry);
        bytesOut = Counter.builder("tidings.connector.bytes.out").baseUnit("bytes").register(registry);
    }

    public void sessionStarted(Platform platform) {
        connects.get(platform).increment();
        sessions.get(platform).incrementAndGet();
    }

    public void sessionEnded(Platform platform) {
        sessions.get(platform).decrementAndGet();
    }

    public int liveSessions(Platform platform) {
        return sessions.get(platform).get();
    }

    public void authFailed(ErrorCode code) {
        authFailures.computeIfAbsent(code, c -> Counter.builder("tidings.connector.auth.failures")
                .description("Rejected Connects by error code").tag("code", c.name()).register(registry)).increment();
    }

    public void kicked(Kicked.Reason reason) {
        kicks.computeIfAbsent(reason, r -> Counter.builder("tidings.connector.kicks")
                .description("Sessions ended with a Kicked frame").tag("reason", r.name()).register(registry)).increment();
    }

    public void frameIn(int bytes) {
        framesIn.increment();
        bytesIn.increment(bytes);
    }

    public void frameOut(int bytes) {
        framesOut.increment();
        bytesOut.increment(bytes);
    }

    public void errorReplied(ErrorCode code) {
        errors.increment(code, ErrorCounter.Transport.WEBSOCKET);
    }

    /**
     * Records the send-to-delivery latency of a Deliver frame that a live session accepted: now
     * minus the message's server time, in milliseconds. Frames without a server time are skipped.
     *
     * <p>NOTE: the server time comes from the clock of a routing-svc host, so clock skew between
     * hosts shifts the values; a negative difference is recorded as 0.
     */
    public void deliverWritten(Deliver deliver) {
        long serverTime = deliver.getEntry().getMessage().getServerTime();
        if (serverTime <= 0) {
            return;
        }
        long millis = Math.max(0, System.currentTimeMillis() - serverTime);
        ConversationType type = deliver.getEntry().getConversation().getType();
        deliveryLatency.computeIfAbsent(type, t -> Timer.builder("tidings.connector.delivery.latency")
                .description("Time from a message's server time until its Deliver frame was written to a live session")
                .tag("conversation_type", t.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry)).record(millis, TimeUnit.MILLISECONDS);
    }
}
