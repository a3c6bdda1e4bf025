package io.tidings.routing.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.tidings.protocol.internal.DeliverRequest;
import io.tidings.protocol.internal.InboxAppend;
import io.tidings.protocol.v1.Deliver;
import io.tidings.protocol.v1.Frame;
import io.tidings.protocol.v1.InboxEntry;
import io.tidings.protocol.v1.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How a fan-out batch is cut into Append calls and DeliverBatch calls. */
class BatchSplittingTest {

    @Test
    void chunksKeepEachUserTogether() {
        List<InboxAppend> appends = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int user = 0; user < 5; user++) {
                appends.add(append("u" + user, "m" + round + "-" + user));
            }
        }

        List<List<Integer>> chunks = InboxAppender.chunksByUser(appends, 2, Long.MAX_VALUE);

        // u0,u1 -> chunk 0; u2,u3 -> chunk 1; u4 -> chunk 2; later rounds join their user's chunk.
        assertThat(chunks).hasSize(3);
        assertThat(chunks.get(0)).containsExactly(0, 1, 5, 6, 10, 11);
        assertThat(chunks.get(1)).containsExactly(2, 3, 7, 8, 12, 13);
        assertThat(chunks.get(2)).containsExactly(4, 9, 14);
        assertThat(chunks.stream().flatMap(List::stream).collect(Collectors.toSet())).hasSize(appends.size());
    }

    @Test
    void chunkGrowsForBusyUser() {
        List<InboxAppend> appends = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            appends.add(append("busy", "m" + i));
        }

        assertThat(InboxAppender.chunksByUser(appends, 3, Long.MAX_VALUE)).containsExactly(List.of(0, 1, 2, 3, 4, 5, 6));
    }

    @Test
    void chunkClosesAtByteLimit() {
        List<InboxAppend> appends = new ArrayList<>();
        for (int user = 0; user < 4; user++) {
            appends.add(append("u" + user, "m" + user, 600));
        }
        appends.add(append("u0", "m4", 600));

        List<List<Integer>> chunks = InboxAppender.chunksByUser(appends, 100, 1000);

        // u0 and u1 fill the first chunk past 1,000 bytes, so u2 starts the second; u0's later copy stays with u0.
        assertThat(chunks).containsExactly(List.of(0, 1, 4), List.of(2, 3));
    }

    @Test
    void deliverCallsSplitByBytes() {
        DeliverRequest small = request("small", 100);
        DeliverRequest large = request("large", LiveDelivery.MAX_CALL_BYTES + 10);

        List<List<DeliverRequest>> parts = LiveDelivery.splitBySize(List.of(small, large, small, small));

        assertThat(parts).hasSize(3);
        assertThat(parts.get(0)).containsExactly(small);
        assertThat(parts.get(1)).containsExactly(large);
        assertThat(parts.get(2)).containsExactly(small, small);
        assertThat(LiveDelivery.splitBySize(List.of())).isEmpty();
    }

    private static InboxAppend append(String userId, String messageId) {
        return append(userId, messageId, 0);
    }

    private static InboxAppend append(String userId, String messageId, int contentBytes) {
        Message message = Message.newBuilder().setMessageId(messageId).setContent(ByteString.copyFrom(new byte[contentBytes])).build();
        return InboxAppend.newBuilder()
                .setUserId(userId)
                .setEntry(InboxEntry.newBuilder().setMessage(message))
                .build();
    }

    private static DeliverRequest request(String userId, int contentBytes) {
        Message message = Message.newBuilder().setContent(ByteString.copyFrom(new byte[contentBytes])).build();
        return DeliverRequest.newBuilder()
                .setUserId(userId)
                .addDeviceIds("phone")
                .addFrames(Frame.newBuilder().setDeliver(Deliver.newBuilder().setEntry(InboxEntry.newBuilder().setMessage(message))))
                .build();
    }
}
