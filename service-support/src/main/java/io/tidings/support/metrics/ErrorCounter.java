package io.tidings.support.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidings.protocol.v1.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The counter {@value #NAME}: errors this service returned, tagged with the ErrorCode name
 * ({@code code}), this service's {@code quarkus.application.name} ({@code service}) and the
 * {@link Transport} that carried the error.
 */
@ApplicationScoped
public class ErrorCounter {

    public static final String NAME = "tidings.errors";

    /** The channel that carried an error to its caller. The tag value is the lower-case name. */
    public enum Transport {
        /** A gRPC call closed with the {@code tidings-error-code} trailer. */
        GRPC,
        /** An ErrorReply frame written to a client's WebSocket by connector-svc. */
        WEBSOCKET;

        private final String tag = name().toLowerCase(Locale.ROOT);
    }

    private record Key(ErrorCode code, Transport transport) {
    }

    private final MeterRegistry registry;
    private final String service;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    public ErrorCounter(MeterRegistry registry, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.registry = registry;
        this.service = service;
    }

    public void increment(ErrorCode code, Transport transport) {
        counters.computeIfAbsent(new Key(code, transport), key -> Counter.builder(NAME)
                .description("Errors returned to callers, by ErrorCode")
                .tag("code", key.code().name())
                .tag("service", service)
                .tag("transport", key.transport().tag)
                .register(registry)).increment();
    }

    /**
     * Counts an error by the ErrorCode name it travelled under. A name that is no ErrorCode
     * counts as {@code UNRECOGNIZED}, so a bad trailer value cannot add series.
     */
    public void increment(String codeName, Transport transport) {
        increment(parse(codeName), transport);
    }

    private static ErrorCode parse(String codeName) {
        try {
            return ErrorCode.valueOf(codeName);
        } catch (IllegalArgumentException unknown) {
            return ErrorCode.UNRECOGNIZED;
        }
    }
}
