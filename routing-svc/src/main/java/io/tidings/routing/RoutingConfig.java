package io.tidings.routing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of routing-svc, under the prefix {@code tidings.routing}. */
@ConfigMapping(prefix = "tidings.routing")
public interface RoutingConfig {

    Send send();

    Dedup dedup();

    Kafka kafka();

    FanOut fanout();

    Groups groups();

    Connector connector();

    /** Limits of accepted messages. */
    interface Send {

        /** Maximum size of a message's content in bytes; larger sends fail with CONTENT_TOO_LARGE. */
        @WithDefault("131072")
        int maxContentBytes();

        /** Maximum number of users in one SendSystemMessage call to a user list. */
        @WithDefault("1000")
        int maxSystemRecipients();

        /**
         * Client sends that one instance works on at once. A send beyond it fails at once with
         * UNAVAILABLE, so that an overloaded instance responds quickly instead of queueing every
         * request until the clients time out. Keep it below quarkus.redis.max-pool-waiting.
         */
        @WithDefault("1000")
        int maxInFlight();
    }

    /** De-duplication of retried sends on (sender, client message id) in Redis. */
    interface Dedup {

        /** How long a sent message's ack is kept for retries. */
        @WithDefault("24h")
        Duration ttl();

        /**
         * Longest wait for one Redis reply about a marker; a slower one fails the send with
         * UNAVAILABLE. A claim that timed out may still take effect, and then its marker blocks
         * retries until the lease ends.
         */
        @WithDefault("5s")
        Duration redisTimeout();

        /**
         * How long one send attempt owns its pending marker. After it, a retry takes the marker
         * over and re-sends the message under the same message id. Keep it above
         * kafka.max-block plus kafka.send-timeout, the longest a send attempt can still be writing.
         */
        @WithDefault("30s")
        Duration lease();

        /** How long a retry that finds the first attempt still in flight waits for its result. */
        @WithDefault("5s")
        Duration pendingWait();
    }

    /** Topics and producer timeouts. The brokers come from {@code kafka.bootstrap.servers}. */
    interface Kafka {

        /** Topic of accepted messages, keyed by conversation key. */
        @WithDefault("tidings.messages")
        String messagesTopic();

        /** Topic of push events for users without a live device, keyed by recipient id. */
        @WithDefault("tidings.push")
        String pushTopic();

        /** Compacted topic of group states, keyed by group id. */
        @WithDefault("tidings.groups")
        String groupsTopic();

        /** Time the broker has to acknowledge a write (producer delivery.timeout.ms). */
        @WithDefault("10s")
        Duration sendTimeout();

        /** Time one produce request may take (producer request.timeout.ms). */
        @WithDefault("5s")
        Duration requestTimeout();

        /** Time a write may wait for topic metadata or buffer space (producer max.block.ms). */
        @WithDefault("5s")
        Duration maxBlock();

        /** Time the producer waits to batch records (producer linger.ms). */
        @WithDefault("1ms")
        Duration linger();
    }

    /** The fan-out consumer of the messages topic. */
    interface FanOut {

        /** Starts the fan-out consumer; off only in tests that feed the fan-out directly. */
        @WithDefault("true")
        boolean enabled();

        /** Kafka consumer group of the fan-out. */
        @WithDefault("tidings-routing")
        String consumerGroup();

        /**
         * Start position of a consumer group without committed offsets: earliest (the default, so
         * that no accepted message is skipped) or latest.
         */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Maximum records per poll (consumer max.poll.records). */
        @WithDefault("500")
        int maxPollRecords();

        /** Threads that process partitions in parallel; one partition is processed in order. */
        @WithDefault("4")
        int threads();

        /** Inbox copies per InboxService.Append call; one user's copies of a batch stay in one call. */
        @WithDefault("100")
        int inboxBatchSize();

        /** Append calls of one batch that run at the same time. */
        @WithDefault("4")
        int inboxConcurrency();

        /** DeliverBatch calls (or Deliver calls to an older connector) that run at the same time, per partition worker. */
        @WithDefault("16")
        int deliveryConcurrency();

        /**
         * More inbox entries than this for one user in one batch are announced with one Notify
         * (the device pulls) instead of one Deliver each.
         */
        @WithDefault("10")
        int notifyThreshold();

        /** Deadline of each offline-svc and connector-svc call. */
        @WithDefault("5s")
        Duration callTimeout();

        /** First pause before re-processing a partition whose record failed; doubles per failure. */
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        /** Maximum pause before re-processing a failed partition. */
        @WithDefault("10s")
        Duration retryMaxBackoff();
    }

    /** Groups and their view of the groups topic. */
    interface Groups {

        /** Maximum members of a group; larger groups fail with GROUP_TOO_LARGE. */
        @WithDefault("3000")
        int maxMembers();

        /** Maximum length of a group name in characters. */
        @WithDefault("128")
        int maxNameLength();

        /** Groups kept in the in-process cache in front of Redis. */
        @WithDefault("10000")
        long cacheSize();

        /** How long a group change holds the group's lock in Redis at most. */
        @WithDefault("30s")
        Duration lockLease();

        /** How long a group change waits for the lock or for the view to catch up. */
        @WithDefault("10s")
        Duration changeWait();
    }

    /** Calls to connector-svc instances at the addresses in the session registry. */
    interface Connector {

        /** A channel to a connector address unused for this long is closed. */
        @WithDefault("5m")
        Duration channelIdleTimeout();
    }
}
