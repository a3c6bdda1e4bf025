package io.tidings.routing.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidings.routing.ids.MessageIdGenerator.MessageId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageIdGeneratorTest {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    @Test
    void twoInstancesUniqueAndSorted() {
        MessageIdGenerator first = new MessageIdGenerator();
        MessageIdGenerator second = new MessageIdGenerator();
        assertThat(first.instanceBits()).isNotEqualTo(second.instanceBits());

        List<MessageId> all = new ArrayList<>();
        List<String> firstIds = new ArrayList<>();
        List<String> secondIds = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            MessageId a = first.next();
            MessageId b = second.next();
            firstIds.add(a.id());
            secondIds.add(b.id());
            all.add(a);
            all.add(b);
        }

        Set<String> distinct = new HashSet<>();
        all.forEach(id -> distinct.add(id.id()));
        assertThat(distinct).hasSize(100_000);
        assertThat(firstIds).isSortedAccordingTo(String::compareTo);
        assertThat(secondIds).isSortedAccordingTo(String::compareTo);
        assertThat(new HashSet<>(firstIds)).hasSize(firstIds.size());

        // Sorting all ids as strings sorts them by time.
        List<MessageId> byString = new ArrayList<>(all);
        byString.sort((x, y) -> x.id().compareTo(y.id()));
        for (int i = 1; i < byString.size(); i++) {
            assertThat(byString.get(i).time()).isGreaterThanOrEqualTo(byString.get(i - 1).time());
        }
        for (MessageId id : all) {
            assertThat(MessageIdGenerator.timeOf(id.id())).isEqualTo(id.time());
        }
    }

    @Test
    void idsHaveFixedWidthAndAlphabet() {
        MessageIdGenerator generator = new MessageIdGenerator();
        for (int i = 0; i < 1000; i++) {
            String id = generator.next().id();
            assertThat(id).hasSize(MessageIdGenerator.LENGTH);
            assertThat(id.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)).as(id).isTrue();
        }
    }

    @Test
    void timeIsTheClockInMilliseconds() {
        long before = System.currentTimeMillis();
        MessageId id = new MessageIdGenerator().next();
        long after = System.currentTimeMillis();
        assertThat(id.time()).isBetween(before, after);
    }

    @Test
    void clockBackwardsKeepsOrder() {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        MessageIdGenerator generator = new MessageIdGenerator(42, clock::get);
        MessageId beforeJump = generator.next();

        clock.addAndGet(-5_000);
        MessageId afterJump = generator.next();

        assertThat(afterJump.time()).isEqualTo(beforeJump.time());
        assertThat(afterJump.id()).isGreaterThan(beforeJump.id());
    }

    @Test
    void sequenceOverflowMovesTimeAhead() {
        long now = 1_700_000_000_000L;
        MessageIdGenerator generator = new MessageIdGenerator(7, () -> now);
        String previous = "";
        MessageId last = null;
        for (int i = 0; i < 65_536 + 10; i++) {
            last = generator.next();
            assertThat(last.id()).isGreaterThan(previous);
            previous = last.id();
        }
        assertThat(last.time()).isEqualTo(now + 1);
    }

    @Test
    void layoutOrdersTimeBeforeOtherBits() {
        long time = 1_700_000_000_000L;
        String latestOfMillisecond = MessageIdGenerator.encode(time, (1L << 36) - 1, (1L << 16) - 1);
        String firstOfNext = MessageIdGenerator.encode(time + 1, 0, 0);
        assertThat(latestOfMillisecond).isLessThan(firstOfNext);
        assertThat(MessageIdGenerator.timeOf(latestOfMillisecond)).isEqualTo(time);
        assertThat(MessageIdGenerator.timeOf(firstOfNext)).isEqualTo(time + 1);
    }

    @Test
    void concurrentCallersGetDistinctIds() throws Exception {
        MessageIdGenerator generator = new MessageIdGenerator();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        ids.add(generator.next().id());
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void timeOfRejectsBadIds() {
        for (String id : List.of("", "ABC", "0123456789ABCDEFGHIU", "01234567890123456789-")) {
            assertThatThrownBy(() -> MessageIdGenerator.timeOf(id))
                    .as(id)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + id + "'");
        }
    }
}
