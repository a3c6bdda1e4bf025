package io.tidings.routing.group;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.tidings.protocol.TidingsException;
import io.tidings.protocol.internal.GroupRecord;
import io.tidings.protocol.v1.ErrorCode;
import io.tidings.routing.Await;
import io.tidings.routing.RoutingConfig;
import io.tidings.routing.kafka.KafkaClients;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * This instance's view of the groups. The compacted groups topic is the source of truth; a
 * {@link GroupTopicReader} replays it at start-up and follows it, writing each state to Redis
 * ({@link GroupStore}) and invalidating the in-process cache in front of Redis. The view is ready
 * once the replay reached the end the topic had at start-up.
 *
 * <p>The view remembers the latest version of every group it has read. A Redis read that returns
 * an older version or nothing for a known group means Redis lost data: the read fails with
 * UNAVAILABLE and the reader replays the topic to restore it.
 */
@ApplicationScoped
public class GroupView {

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);

    private final GroupStore store;
    private final KafkaClients kafka;
    private final Admin admin;
    private final String topic;
    private final Cache<String, GroupRecord> cache;
    private final Map<String, Long> knownVersions = new ConcurrentHashMap<>();
    private volatile GroupTopicReader reader;

    public GroupView(GroupStore store, KafkaClients kafka, Admin admin, RoutingConfig config) {
        this.store = store;
        this.kafka = kafka;
        this.admin = admin;
        this.topic = config.kafka().groupsTopic();
        this.cache = Caffeine.newBuilder().maximumSize(config.groups().cacheSize()).build();
    }

    void onStart(@Observes StartupEvent event) {
        startReader();
    }

    void onStop(@Observes ShutdownEvent event) {
        GroupTopicReader current = reader;
        if (current != null) {
            current.stop();
        }
    }

    /** Returns whether the view has read every group that was on the topic at start-up. */
    public boolean caughtUp() {
        GroupTopicReader current = reader;
        return current != null && current.caughtUp();
    }

    /** Returns a group, from the in-process cache when it has it. */
    public Uni<Optional<GroupRecord>> get(String groupId) {
        GroupRecord cached = cache.getIfPresent(groupId);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return getFresh(groupId).invoke(found -> found.ifPresent(this::cacheIfCurrent));
    }

    /** Returns a group from Redis, bypassing the in-process cache. */
    public Uni<Optional<GroupRecord>> getFresh(String groupId) {
        return store.read(groupId).chain(found -> {
            if (!looksLost(groupId, found)) {
                return Uni.createFrom().item(found);
            }
            // The reader may have written a newer version between the read and the check: read again.
            return store.read(groupId).map(again -> {
                if (looksLost(groupId, again)) {
                    reader.requestReplay();
                    // NOTE: until the replay reaches this group, reads of it fail with UNAVAILABLE.
                    throw new TidingsException(ErrorCode.UNAVAILABLE, "group '" + groupId + "' at version "
                            + knownVersions.get(groupId) + " is missing from Redis and is being restored from topic "
                            + topic + "; retry shortly");
                }
                return again;
            });
        });
    }

    /**
     * Stores a group state this instance has just written to the topic, so that this instance
     * reads it at once rather than after its reader gets to it. Blocks; call it from a worker thread.
     */
    public void applyLocal(GroupRecord record) {
        Await.await(store.writeIfNewer(record), REDIS_TIMEOUT, "storing group '" + record.getGroupId() + "' in Redis");
        remember(record);
    }

    /**
     * Waits until the reader has applied every record that is on the topic now, so that a change
     * made next starts from the latest state. Blocks; call it from a worker thread.
     *
     * @throws TidingsException UNAVAILABLE when Kafka does not respond, TIMEOUT when the reader lags
     */
    public void awaitCaughtUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> positions = reader.positions();
        while (positions.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new TidingsException(ErrorCode.UNAVAILABLE, "the groups view has not connected to topic " + topic
                        + " within " + timeout.toMillis() + " ms; check Kafka and retry");
            }
            sleep(CATCH_UP_POLL);
            positions = reader.positions();
        }
        Map<TopicPartition, Long> ends = endOffsets(positions.keySet(), timeout);
        while (!reached(positions, ends)) {
            if (System.nanoTime() > deadline) {
                throw new TidingsException(ErrorCode.TIMEOUT, "the groups view did not catch up with topic " + topic + " within "
                        + timeout.toMillis() + " ms (at " + positions + ", end " + ends + "); retry");
            }
            sleep(CATCH_UP_POLL);
        }
    }

    /**
     * Stops the reader, clears the cache and the known versions and replays the topic with a new
     * consumer, as a restarted instance does.
     */
    void restartReader() {
        GroupTopicReader current = reader;
        if (current != null) {
            current.stop();
        }
        cache.invalidateAll();
        knownVersions.clear();
        startReader();
    }

    private synchronized void startReader() {
        GroupTopicReader next = new GroupTopicReader(
                () -> kafka.consumer(null, "routing-groups", Map.of(
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000)),
                topic, this::applyFromTopic, this::deleteFromTopic);
        reader = next;
        next.start();
    }

    /** Applies a record read from the topic, retrying Redis until it works or the reader stops. */
    private void applyFromTopic(GroupRecord record) {
        retryUntilApplied("storing group " + record.getGroupId() + " version " + record.getVersion(),
                () -> applyLocal(record));
    }

    private void deleteFromTopic(String groupId) {
        Log.infof("Deleting group %s after a deletion marker on topic %s", groupId, topic);
        retryUntilApplied("deleting group " + groupId, () -> {
            Await.await(store.delete(groupId), REDIS_TIMEOUT, "deleting group '" + groupId + "' from Redis");
            knownVersions.remove(groupId);
            cache.invalidate(groupId);
        });
    }

    private static void retryUntilApplied(String what, Runnable step) {
        long pause = 100;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                Log.warnf("%s in Redis failed, retrying in %d ms: %s", what, pause, e.getMessage());
                if (!sleep(Duration.ofMillis(pause))) {
                    return;
                }
                pause = Math.min(pause * 2, 5000);
            }
        }
    }

    private void remember(GroupRecord record) {
        knownVersions.merge(record.getGroupId(), record.getVersion(), Math::max);
        cache.invalidate(record.getGroupId());
    }

    /** Caches a state read from Redis unless the reader has stored a newer one meanwhile. */
    private void cacheIfCurrent(GroupRecord record) {
        Long known = knownVersions.get(record.getGroupId());
        if (known == null || record.getVersion() >= known) {
            cache.put(record.getGroupId(), record);
        }
    }

    private boolean looksLost(String groupId, Optional<GroupRecord> found) {
        Long known = knownVersions.get(groupId);
        return known != null && (found.isEmpty() || found.get().getVersion() < known);
    }

    private Map<TopicPartition, Long> endOffsets(Iterable<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(request).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> ends = new HashMap<>();
            result.forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidingsException(ErrorCode.UNAVAILABLE, "interrupted while reading the end of topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TidingsException(ErrorCode.UNAVAILABLE, "Kafka did not return the end offsets of topic " + topic + ": "
                    + e.getMessage() + "; retry later", e);
        }
    }

    private static boolean reached(Map<TopicPartition, Long> positions, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            Long position = positions.get(end.getKey());
            if (position == null || position < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Sleeps; returns false when interrupted, with the interrupt flag set again. */
    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
