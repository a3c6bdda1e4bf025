package io.tidings.connector.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of connector-svc, under {@code tidings.connector}. */
@ConfigMapping(prefix = "tidings.connector")
public interface ConnectorConfig {

    /**
     * host:port of this instance's gRPC server as other services reach it, stored in the session
     * registry. Default: 127.0.0.1 and the HTTP port.
     */
    Optional<String> advertisedAddress();

    /** Interval at which clients send Ping; a session silent for 2.5 intervals is closed. */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /** Time a new WebSocket has to send its Connect before it is closed. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Period of the one timer that closes silent and unauthenticated sessions. */
    @WithDefault("1s")
    Duration sweepInterval();

    /** Multi-device policy: which older sessions a new login displaces. */
    @WithDefault("PER_PLATFORM_CLASS")
    MultiDevicePolicy multiDevicePolicy();

    /** Lease of a session registry entry; entries of a killed connector expire after it. */
    @WithDefault("30s")
    Duration lease();

    /** Period of the one timer that renews the leases of all live sessions. */
    @WithDefault("10s")
    Duration leaseRefreshInterval();

    /** Time graceful shutdown waits for in-flight requests before closing the sockets. */
    @WithDefault("10s")
    Duration drainTimeout();

    /** Deadline of each call to routing, offline, history and push services. */
    @WithDefault("10s")
    Duration backendTimeout();

    Limits limits();

    Token token();

    /** Per-connection and per-user limits. */
    interface Limits {

        /**
         * Largest accepted frame in bytes; larger frames get FRAME_TOO_LARGE and close 1009. The
         * default leaves room for a Send with routing-svc's largest content (128 KiB), which the
         * JSON subprotocol carries as base64.
         */
        @WithDefault("262144")
        int maxFrameBytes();

        /** Consecutive malformed frames that close the connection with 1008. */
        @WithDefault("3")
        int malformedFramesBeforeClose();

        /** Sustained operations per second per connection (Ping excluded). */
        @WithDefault("20")
        double operationsPerSecond();

        /** Operations a connection may send in a burst above the sustained rate. */
        @WithDefault("40")
        int operationsBurst();

        /** Live sessions one user may have across all connectors. */
        @WithDefault("10")
        int maxConnectionsPerUser();
    }

    /** Token signing keys and lifetimes. */
    interface Token {

        /**
         * HMAC-SHA256 keys by key id, each base64 of at least 32 random bytes. Keep retired keys
         * here until the tokens they signed have expired.
         */
        Map<String, String> keys();

        /** Id of the key that signs new tokens; must be one of {@link #keys()}. */
        String activeKeyId();

        /** Lifetime of a token when IssueToken gives ttl_seconds 0. */
        @WithDefault("P7D")
        Duration defaultTtl();

        /** Maximum lifetime IssueToken accepts. Revocation markers are kept this long. */
        @WithDefault("P30D")
        Duration maxTtl();
    }
}
