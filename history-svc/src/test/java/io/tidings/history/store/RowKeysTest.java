package io.tidings.history.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

class RowKeysTest {

    private static final String GROUP = "g:team";

    @Test
    void sameMessageSameRow() {
        assertThat(RowKeys.messageRow(GROUP, 1_000, "01ABC")).isEqualTo(RowKeys.messageRow(GROUP, 1_000, "01ABC"));
    }

    @Test
    void newerMessageSortsFirst() {
        byte[] older = RowKeys.messageRow(GROUP, 1_000, "01AAA");
        byte[] newer = RowKeys.messageRow(GROUP, 1_001, "01AAB");
        assertThat(Bytes.compareTo(newer, older)).isNegative();
    }

    @Test
    void sameMillisecondLargerIdFirst() {
        byte[] smaller = RowKeys.messageRow(GROUP, 1_000, "01AAA");
        byte[] larger = RowKeys.messageRow(GROUP, 1_000, "01AAB");
        assertThat(Bytes.compareTo(larger, smaller)).isNegative();
    }

    @Test
    void sameMillisecondLongerIdFirstWhenPrefix() {
        byte[] prefix = RowKeys.messageRow(GROUP, 1_000, "01A");
        byte[] longer = RowKeys.messageRow(GROUP, 1_000, "01AB");
        assertThat(Bytes.compareTo(longer, prefix)).isNegative();
    }

    @Test
    void scanStartExcludesBeforeTime() {
        byte[] start = RowKeys.scanStart(GROUP, 1_000);
        byte[] atBefore = RowKeys.messageRow(GROUP, 1_000, "X");
        byte[] justOlder = RowKeys.messageRow(GROUP, 999, "X");
        assertThat(Bytes.compareTo(atBefore, start)).isNegative();
        assertThat(Bytes.compareTo(justOlder, start)).isPositive();
    }

    @Test
    void scanStartZeroIsConversationStart() {
        assertThat(RowKeys.scanStart(GROUP, 0)).isEqualTo(RowKeys.conversationPrefix(GROUP));
    }

    @Test
    void scanStopIncludesNotBeforeTime() {
        byte[] stop = RowKeys.scanStop(GROUP, 1_000);
        byte[] atLimit = RowKeys.messageRow(GROUP, 1_000, "X");
        byte[] justOlder = RowKeys.messageRow(GROUP, 999, "X");
        assertThat(Bytes.compareTo(atLimit, stop)).isNegative();
        assertThat(Bytes.compareTo(justOlder, stop)).isPositive();
    }

    @Test
    void scanRangeExcludesLongerKeyWithSamePrefix() {
        // "g:te" and "g:team" differ in the length field, so neither scan range holds the other's rows.
        String shorter = "g:te";
        byte[] start = RowKeys.scanStart(shorter, 0);
        byte[] stop = RowKeys.scanStop(shorter, 0);
        byte[] otherRow = RowKeys.messageRow(GROUP, 1_000, "X");
        boolean insideRange = Bytes.compareTo(otherRow, start) >= 0 && Bytes.compareTo(otherRow, stop) < 0;
        assertThat(insideRange).isFalse();
    }

    @Test
    void rowsOfConversationInsideItsScanRange() {
        byte[] start = RowKeys.scanStart(GROUP, 0);
        byte[] stop = RowKeys.scanStop(GROUP, 0);
        for (long time : new long[] {1, 1_000, System.currentTimeMillis(), Long.MAX_VALUE - 1}) {
            byte[] row = RowKeys.messageRow(GROUP, time, "01ZZZ");
            assertThat(Bytes.compareTo(row, start)).as("row at %d after start", time).isGreaterThanOrEqualTo(0);
            assertThat(Bytes.compareTo(row, stop)).as("row at %d before stop", time).isNegative();
        }
    }

    @Test
    void saltWithinBuckets() {
        for (int i = 0; i < 1_000; i++) {
            assertThat((int) RowKeys.salt("p:user" + i + ":peer")).isBetween(0, RowKeys.SALT_BUCKETS - 1);
        }
    }

    @Test
    void saltSpreadsConversations() {
        int[] perBucket = new int[RowKeys.SALT_BUCKETS];
        for (int i = 0; i < 16_000; i++) {
            perBucket[RowKeys.salt("g:group-" + i)]++;
        }
        // 1,000 per bucket when even; CRC-32 keeps each within a few percent of that.
        for (int count : perBucket) {
            assertThat(count).isBetween(800, 1_200);
        }
    }

    @Test
    void incrementedSkipsTrailingFf() {
        assertThat(RowKeys.incremented(new byte[] {1, 2, (byte) 0xFF})).isEqualTo(new byte[] {1, 3});
        assertThat(RowKeys.incremented(new byte[] {(byte) 0xFF})).isEmpty();
    }
}
