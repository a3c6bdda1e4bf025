package io.tidings.connector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.protocol.v1.Kicked;
import io.tidings.protocol.v1.Platform;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters of connector-svc, all named {@code tidings.connector.*}:
 * <ul>
 *   <li>{@code sessions} (gauge, tag platform): CONNECTED sessions on this instance
 *   <li>{@code connects} (counter, tag platform): successful Connects
 *   <li>{@code auth.failures} (counter, tag code): rejected Connects
 *   <li>{@code kicks} (counter, tag reason): sessions ended by Kicked
 *   <li>{@code frames.in}, {@code frames.out}, {@code bytes.in}, {@code bytes.out} (counters)
 * </ul>
 */
@Startup
@ApplicationScoped
public class ConnectorMetrics {

    private final MeterRegistry registry;
    private final Map<Platform, AtomicInteger> sessions = new EnumMap<>(Platform.class);
    private final Map<Platform, Counter> connects = new EnumMap<>(Platform.class);
    private final Map<ErrorCode, Counter> authFailures = new ConcurrentHashMap<>();
    private final Map<Kicked.Reason, Counter> kicks = new ConcurrentHashMap<>();
    private final Counter framesIn;
    private final Counter framesOut;
    private final Counter bytesIn;
    private final Counter bytesOut;

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = registry;
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
}
