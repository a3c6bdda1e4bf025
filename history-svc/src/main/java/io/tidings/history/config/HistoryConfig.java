package io.tidings.history.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of history-svc: the HBase table, the Kafka ingest, queries and readiness. */
@ConfigMapping(prefix = "tidings.history")
public interface HistoryConfig {

    Table table();

    Ingest ingest();

    Query query();

    Readiness readiness();

    /** The HBase table of messages, created at start-up when missing. */
    interface Table {

        /** HBase namespace of the table. */
        @WithDefault("tidings")
        String namespace();

        /** Table name inside the namespace. */
        @WithDefault("messages")
        String name();

        /**
         * Days a message stays in history, counted from its server time (the cell timestamp).
         * Applied when the table is created; change an existing table with the HBase shell.
         */
        @WithDefault("180")
        int ttlDays();

        /**
         * Compression of the column family: NONE, GZ or another algorithm the region servers
         * can load. Applied when the table is created.
         */
        @WithDefault("GZ")
        String compression();
    }

    /** The consumer group that copies tidings.messages into HBase. */
    interface Ingest {

        /** Kafka topic of accepted messages. */
        @WithDefault("tidings.messages")
        String topic();

        /** Kafka consumer group id. */
        @WithDefault("tidings-history")
        String consumerGroup();

        /** Start position of a consumer group without committed offsets: earliest or latest. */
        @WithDefault("earliest")
        String autoOffsetReset();

        /** Row count at which a batch is flushed to HBase and its offsets committed. */
        @WithDefault("500")
        int maxBatchRows();

        /** A batch is flushed at the latest this long after its first record arrived. */
        @WithDefault("200ms")
        Duration flushInterval();

        /** First wait after a failed flush; doubled after each further failure. */
        @WithDefault("200ms")
        Duration retryInitialBackoff();

        /** Maximum wait between two flush attempts while HBase is failing. */
        @WithDefault("5s")
        Duration retryMaxBackoff();
    }

    /** History queries. */
    interface Query {

        /** Time a GetMembership reply from routing-svc is reused. */
        @WithDefault("2s")
        Duration membershipCacheTtl();

        /** Deadline of one GetMembership call to routing-svc. */
        @WithDefault("3s")
        Duration membershipTimeout();

        /**
         * Whether a group member also reads the messages sent before they joined. When false, a
         * member reads from the time of their latest join.
         */
        @WithDefault("false")
        boolean groupHistoryBeforeJoin();

        /** Timeout of one history scan in HBase, retries included. */
        @WithDefault("5s")
        Duration scanTimeout();
    }

    /** The readiness probe of HBase. */
    interface Readiness {

        /** Deadline of one probe (a table-exists check). */
        @WithDefault("2s")
        Duration timeout();

        /** A probe result is reused for this long, so frequent health calls cost one probe. */
        @WithDefault("1500ms")
        Duration cacheFor();
    }
}
