package io.tidings.history.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Put;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records consumed since the last commit, per partition: their Puts (kept so a failed flush
 * can write them again) and the offset to commit once they are in HBase. Used by the ingest
 * thread only.
 */
final class PendingBatch {

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private int rows;
    private long firstRecordAt;

    private static final class Partition {
        final List<Put> puts = new ArrayList<>();
        long nextOffset;
    }

    /** Adds one consumed record and its Puts, which may be none. */
    void add(TopicPartition partition, long offset, List<Put> puts, long now) {
        if (partitions.isEmpty()) {
            firstRecordAt = now;
        }
        Partition pending = partitions.computeIfAbsent(partition, p -> new Partition());
        pending.puts.addAll(puts);
        pending.nextOffset = offset + 1;
        rows += puts.size();
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    int rows() {
        return rows;
    }

    /** Returns the time the oldest pending record was added, in milliseconds. */
    long firstRecordAt() {
        return firstRecordAt;
    }

    boolean contains(Collection<TopicPartition> candidates) {
        return candidates.stream().anyMatch(partitions::containsKey);
    }

    List<Put> puts() {
        List<Put> all = new ArrayList<>(rows);
        for (Partition pending : partitions.values()) {
            all.addAll(pending.puts);
        }
        return all;
    }

    /** Returns the offsets to commit once every pending Put is in HBase. */
    Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, pending) -> offsets.put(partition, new OffsetAndMetadata(pending.nextOffset)));
        return offsets;
    }

    /**
     * Forgets the records of partitions this consumer no longer owns; their next owner reads
     * them again from the last committed offset.
     */
    void drop(Collection<TopicPartition> lost) {
        for (TopicPartition partition : lost) {
            Partition pending = partitions.remove(partition);
            if (pending != null) {
                rows -= pending.puts.size();
            }
        }
    }

    void clear() {
        partitions.clear();
        rows = 0;
    }
}
